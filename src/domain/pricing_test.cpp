#include "domain/pricing.hpp"

#include <ostream>

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

constexpr Millis kStart = 1'700'000'000'000;
constexpr Millis kEnd = kStart + 3'600'000;

Product product_with_price(std::int64_t price) {
  Product p;
  p.title = "Shirt";
  p.price = price;
  Variant v;
  v.id = "var_1";
  v.stock = 10;
  p.variants.push_back(v);
  return p;
}

Sale timed_sale(SaleKind kind, std::int64_t value) {
  Sale s;
  s.kind = kind;
  s.value = value;
  s.starts_at = kStart;
  s.ends_at = kEnd;
  return s;
}

struct BoundaryCase {
  SaleKind kind;
  std::int64_t value;
  std::int64_t sale_price;  // of a 1000 product

  friend void PrintTo(const BoundaryCase& c, std::ostream* os) { *os << to_string(c.kind) << " " << c.value; }
};

class SaleBoundaryTest : public testing::TestWithParam<BoundaryCase> {};

TEST_P(SaleBoundaryTest, OnSaleFromStartInclusiveToEndExclusive) {
  const BoundaryCase c = GetParam();
  Product p = product_with_price(1000);
  p.sale = timed_sale(c.kind, c.value);

  EXPECT_FALSE(on_sale(p, kStart - 1));
  EXPECT_EQ(price_now(p, kStart - 1), 1000);
  EXPECT_TRUE(on_sale(p, kStart));
  EXPECT_EQ(price_now(p, kStart), c.sale_price);
  EXPECT_TRUE(on_sale(p, kEnd - 1));
  EXPECT_EQ(price_now(p, kEnd - 1), c.sale_price);
  EXPECT_FALSE(on_sale(p, kEnd));
  EXPECT_EQ(price_now(p, kEnd), 1000);
}

TEST_P(SaleBoundaryTest, EndsWhenSoldReachesStockLimit) {
  const BoundaryCase c = GetParam();
  Product p = product_with_price(1000);
  p.sale = timed_sale(c.kind, c.value);
  p.sale->stock_limit = 5;
  const Millis during = kStart + 10;

  p.sale->sold = 4;
  EXPECT_TRUE(on_sale(p, during));
  EXPECT_EQ(price_now(p, during), c.sale_price);
  p.sale->sold = 5;
  EXPECT_FALSE(on_sale(p, during));
  EXPECT_EQ(price_now(p, during), 1000);
  p.sale->sold = 6;
  EXPECT_FALSE(on_sale(p, during));
}

INSTANTIATE_TEST_SUITE_P(AllKinds, SaleBoundaryTest,
                         testing::Values(BoundaryCase{SaleKind::percent, 25, 750},
                                         BoundaryCase{SaleKind::amount, 300, 700},
                                         BoundaryCase{SaleKind::fixed_price, 499, 499}));

TEST(SaleActive, OpenEndedSaleIsAlwaysActive) {
  Sale s;
  s.kind = SaleKind::amount;
  s.value = 1;
  EXPECT_TRUE(sale_active(s, 0));
  EXPECT_TRUE(sale_active(s, kEnd * 10));
  s.starts_at = kStart;
  EXPECT_FALSE(sale_active(s, kStart - 1));
  EXPECT_TRUE(sale_active(s, kEnd * 10));
}

TEST(SalePrice, PercentRoundsHalfUp) {
  Sale s;
  s.kind = SaleKind::percent;
  s.value = 15;
  EXPECT_EQ(sale_price(999, s), 849);  // 849.15
  s.value = 1;
  EXPECT_EQ(sale_price(50, s), 50);  // 49.5
  EXPECT_EQ(sale_price(49, s), 49);  // 48.51
  s.value = 50;
  EXPECT_EQ(sale_price(101, s), 51);  // 50.5
  EXPECT_EQ(sale_price(99, s), 50);   // 49.5
  s.value = 33;
  EXPECT_EQ(sale_price(100, s), 67);
  s.value = 100;
  EXPECT_EQ(sale_price(12345, s), 0);
  s.value = 10;
  EXPECT_EQ(sale_price(1'000'000'000'000, s), 900'000'000'000);
}

TEST(SalePrice, NeverNegative) {
  Sale s;
  s.kind = SaleKind::amount;
  s.value = 1500;
  EXPECT_EQ(sale_price(1000, s), 0);
  s.value = 1000;
  EXPECT_EQ(sale_price(1000, s), 0);
  s.value = 999;
  EXPECT_EQ(sale_price(1000, s), 1);
  s.kind = SaleKind::fixed_price;
  s.value = 0;
  EXPECT_EQ(sale_price(1000, s), 0);
}

TEST(SalePrice, FixedPriceSetsThePrice) {
  Sale s;
  s.kind = SaleKind::fixed_price;
  s.value = 777;
  EXPECT_EQ(sale_price(1000, s), 777);
  EXPECT_EQ(sale_price(2000, s), 777);
}

TEST(PriceNow, NoSaleIsBasePrice) {
  const Product p = product_with_price(1234);
  EXPECT_FALSE(on_sale(p, kStart));
  EXPECT_EQ(price_now(p, kStart), 1234);
  EXPECT_EQ(price_now(p, p.variants[0], kStart), 1234);
}

TEST(PriceNow, VariantOverridesProductPrice) {
  Product p = product_with_price(1000);
  Variant big;
  big.id = "var_2";
  big.price = 2000;
  p.variants.push_back(big);
  EXPECT_EQ(price_now(p, p.variants[0], kStart), 1000);
  EXPECT_EQ(price_now(p, p.variants[1], kStart), 2000);

  p.sale = timed_sale(SaleKind::percent, 10);
  EXPECT_EQ(price_now(p, p.variants[0], kStart), 900);
  EXPECT_EQ(price_now(p, p.variants[1], kStart), 1800);
  EXPECT_EQ(price_now(p, p.variants[1], kEnd), 2000);

  p.sale = timed_sale(SaleKind::amount, 1500);
  EXPECT_EQ(price_now(p, p.variants[0], kStart), 0);
  EXPECT_EQ(price_now(p, p.variants[1], kStart), 500);

  p.sale = timed_sale(SaleKind::fixed_price, 300);
  EXPECT_EQ(price_now(p, p.variants[0], kStart), 300);
  EXPECT_EQ(price_now(p, p.variants[1], kStart), 300);
}

Product stocked(std::vector<std::int64_t> stocks) {
  Product p = product_with_price(100);
  p.variants.clear();
  for (std::size_t i = 0; i < stocks.size(); ++i) {
    Variant v;
    v.id = "var_" + std::to_string(i);
    v.stock = stocks[i];
    p.variants.push_back(v);
  }
  return p;
}

TEST(Stock, TotalCountsOnlyAvailableVariants) {
  Product p = stocked({3, 4, 5});
  EXPECT_EQ(stock_total(p), 12);
  p.variants[1].available = false;
  EXPECT_EQ(stock_total(p), 8);
}

TEST(Stock, StatusInLowSoldOut) {
  // Default threshold 5.
  EXPECT_EQ(stock_status(stocked({6})), StockStatus::in_stock);
  EXPECT_EQ(stock_status(stocked({5})), StockStatus::low_stock);
  EXPECT_EQ(stock_status(stocked({1})), StockStatus::low_stock);
  EXPECT_EQ(stock_status(stocked({0})), StockStatus::sold_out);
  EXPECT_EQ(stock_status(stocked({2, 2, 2})), StockStatus::in_stock);

  Product p = stocked({3});
  p.low_stock_threshold = 0;
  EXPECT_EQ(stock_status(p), StockStatus::in_stock);
  p.variants[0].stock = 0;
  EXPECT_EQ(stock_status(p), StockStatus::sold_out);
}

TEST(Stock, BackorderedStockIsSoldOut) {
  Product p = stocked({-3});
  p.allow_backorder = true;
  EXPECT_EQ(stock_total(p), -3);
  EXPECT_EQ(stock_status(p), StockStatus::sold_out);
  EXPECT_EQ(stock_status(p, p.variants[0]), StockStatus::sold_out);
}

TEST(Stock, UntrackedIsAlwaysInStock) {
  Product p = stocked({0});
  p.track_inventory = false;
  EXPECT_EQ(stock_status(p), StockStatus::in_stock);
  EXPECT_EQ(stock_status(p, p.variants[0]), StockStatus::in_stock);
  p.variants[0].stock = -4;
  EXPECT_EQ(stock_status(p), StockStatus::in_stock);
}

TEST(Stock, VariantStatus) {
  Product p = stocked({10, 2, 0});
  EXPECT_EQ(stock_status(p, p.variants[0]), StockStatus::in_stock);
  EXPECT_EQ(stock_status(p, p.variants[1]), StockStatus::low_stock);
  EXPECT_EQ(stock_status(p, p.variants[2]), StockStatus::sold_out);
  p.variants[0].available = false;
  EXPECT_EQ(stock_status(p, p.variants[0]), StockStatus::sold_out);
}

TEST(Stock, StatusNames) {
  EXPECT_EQ(to_string(StockStatus::in_stock), "in_stock");
  EXPECT_EQ(to_string(StockStatus::low_stock), "low_stock");
  EXPECT_EQ(to_string(StockStatus::sold_out), "sold_out");
}

TEST(NextSaleTransition, StartThenEndThenNone) {
  Product p = product_with_price(1000);
  EXPECT_EQ(next_sale_transition(p, kStart), std::nullopt);
  p.sale = timed_sale(SaleKind::percent, 10);
  EXPECT_EQ(next_sale_transition(p, kStart - 1), kStart);
  EXPECT_EQ(next_sale_transition(p, kStart), kEnd);
  EXPECT_EQ(next_sale_transition(p, kEnd - 1), kEnd);
  EXPECT_EQ(next_sale_transition(p, kEnd), std::nullopt);
}

}  // namespace
}  // namespace shelfsync
