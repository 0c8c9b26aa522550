#include "domain/checkout.hpp"

#include <algorithm>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace shelfsync {
namespace {

namespace json = boost::json;

constexpr Millis kNow = 1'700'000'000'000;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

bool has_error(const Problem& p, std::string_view field) {
  return std::any_of(p.errors.begin(), p.errors.end(), [&](const FieldError& e) { return e.field == field; });
}

// ---- decode_checkout -------------------------------------------------------

constexpr const char* kGoodItem = R"({"product_id":"prod_1","variant_id":"var_1","qty":2,"unit_price":1000})";

TEST(DecodeCheckout, ReadsItems) {
  auto r = decode_checkout(obj(
      R"({"items":[{"product_id":"prod_1","variant_id":"var_1","qty":2,"unit_price":1000},
                   {"product_id":"p-2","variant_id":"v_2","qty":10.0,"unit_price":0}]})"));
  ASSERT_TRUE(r.ok()) << r.problem().detail;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].product_id, "prod_1");
  EXPECT_EQ((*r)[0].variant_id, "var_1");
  EXPECT_EQ((*r)[0].qty, 2);
  EXPECT_EQ((*r)[0].unit_price, 1000);
  EXPECT_EQ((*r)[1].qty, 10);
  EXPECT_EQ((*r)[1].unit_price, 0);
}

TEST(DecodeCheckout, AcceptsLimits) {
  json::array items;
  for (int i = 0; i < 100; ++i)
    items.push_back(obj(R"({"product_id":"p","variant_id":"v","qty":10000,"unit_price":1000000000000})"));
  json::object body;
  body["items"] = std::move(items);
  auto r = decode_checkout(body);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(checkout_total(*r), 1'000'000'000'000'000'000);  // 100 * 10^4 * 10^12, no overflow
  EXPECT_EQ(line_total(r->front()), kMaxLineTotal);
}

TEST(DecodeCheckout, RejectsBadInputWithPaths) {
  const std::pair<std::string, const char*> cases[] = {
      {R"({})", "items"},
      {R"({"items":null})", "items"},
      {R"({"items":[]})", "items"},
      {R"({"items":{}})", "items"},
      {R"({"items":[1]})", "items[0]"},
      {R"({"items":[{"variant_id":"v","qty":1,"unit_price":1}]})", "items[0].product_id"},
      {R"({"items":[{"product_id":"a b","variant_id":"v","qty":1,"unit_price":1}]})", "items[0].product_id"},
      {R"({"items":[{"product_id":"p","variant_id":5,"qty":1,"unit_price":1}]})", "items[0].variant_id"},
      {R"({"items":[{"product_id":"p","qty":1,"unit_price":1}]})", "items[0].variant_id"},
      {R"({"items":[{"product_id":"p","variant_id":"v","unit_price":1}]})", "items[0].qty"},
      {R"({"items":[{"product_id":"p","variant_id":"v","qty":0,"unit_price":1}]})", "items[0].qty"},
      {R"({"items":[{"product_id":"p","variant_id":"v","qty":-1,"unit_price":1}]})", "items[0].qty"},
      {R"({"items":[{"product_id":"p","variant_id":"v","qty":10001,"unit_price":1}]})", "items[0].qty"},
      {R"({"items":[{"product_id":"p","variant_id":"v","qty":1.5,"unit_price":1}]})", "items[0].qty"},
      {R"({"items":[{"product_id":"p","variant_id":"v","qty":"1","unit_price":1}]})", "items[0].qty"},
      {R"({"items":[{"product_id":"p","variant_id":"v","qty":1}]})", "items[0].unit_price"},
      {R"({"items":[{"product_id":"p","variant_id":"v","qty":1,"unit_price":-1}]})", "items[0].unit_price"},
      {R"({"items":[{"product_id":"p","variant_id":"v","qty":1,"unit_price":1000000000001}]})", "items[0].unit_price"},
      {R"({"items":[{"product_id":"p","variant_id":"v","qty":1,"unit_price":9.99}]})", "items[0].unit_price"},
      {R"({"items":[{"product_id":"p","variant_id":"v","qty":1,"unit_price":1,"title":"x"}]})", "items[0].title"},
      {std::string(R"({"items":[)") + kGoodItem + "], \"coupon\":\"X\"}", "coupon"},
      {std::string(R"({"items":[)") + kGoodItem + "," + kGoodItem +
           R"(,{"product_id":"p","variant_id":"v","qty":0,"unit_price":1}]})",
       "items[2].qty"},
  };
  for (const auto& [doc, field] : cases) {
    auto r = decode_checkout(obj(doc));
    ASSERT_FALSE(r.ok()) << doc;
    EXPECT_EQ(r.problem().status, 422) << doc;
    EXPECT_EQ(r.problem().code, ErrorCode::validation_failed) << doc;
    EXPECT_TRUE(has_error(r.problem(), field)) << doc << " should name " << field;
  }
}

TEST(DecodeCheckout, RejectsMoreThan100Items) {
  json::array items;
  for (int i = 0; i < 101; ++i) items.push_back(obj(kGoodItem));
  json::object body;
  body["items"] = std::move(items);
  auto r = decode_checkout(body);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has_error(r.problem(), "items"));
}

TEST(DecodeCheckout, CollectsEveryError) {
  auto r = decode_checkout(obj(R"({"items":[
      {"product_id":"p","variant_id":"v","qty":0,"unit_price":1},
      {"product_id":"p","variant_id":"v","qty":1,"unit_price":-5,"extra":1}],"x":1})"));
  ASSERT_FALSE(r.ok());
  const auto& errors = r.problem().errors;
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_TRUE(has_error(r.problem(), "items[0].qty"));
  EXPECT_TRUE(has_error(r.problem(), "items[1].unit_price"));
  EXPECT_TRUE(has_error(r.problem(), "items[1].extra"));
  EXPECT_TRUE(has_error(r.problem(), "x"));
}

TEST(DecodeCheckout, ExtraMembersAreTheCallersToRead) {
  const std::string body = std::string(R"({"items":[)") + kGoodItem + R"(],"customer_id":"c"})";
  EXPECT_FALSE(decode_checkout(obj(body)).ok());
  EXPECT_TRUE(decode_checkout(obj(body), {"customer_id"}).ok());
}

// ---- check_item ------------------------------------------------------------

Product shirt() {
  Product p;
  p.title = "Shirt";
  p.status = ProductStatus::active;
  p.price = 1000;
  Variant a;
  a.id = "var_a";
  a.stock = 5;
  Variant b;
  b.id = "var_b";
  b.price = 1200;
  b.stock = 2;
  Variant off;
  off.id = "var_off";
  off.stock = 9;
  off.available = false;
  p.variants = {a, b, off};
  return p;
}

Sale percent_off(std::int64_t pct, std::optional<Millis> starts, std::optional<Millis> ends) {
  Sale s;
  s.kind = SaleKind::percent;
  s.value = pct;
  s.starts_at = starts;
  s.ends_at = ends;
  return s;
}

CheckoutItem item(std::string variant, std::int64_t qty, std::int64_t unit_price) {
  return {"prod_1", std::move(variant), qty, unit_price};
}

std::string dump(const std::vector<Correction>& corrections) {
  json::array a;
  for (const auto& c : corrections) a.push_back(to_json(c));
  return json::serialize(a);
}

constexpr const char* kUnavailable =
    R"([{"index":0,"field":"availability","expected":"available","actual":"unavailable"}])";

TEST(CheckItem, MatchingItemHasNoCorrections) {
  const Product p = shirt();
  EXPECT_TRUE(check_item(0, item("var_a", 5, 1000), &p, 0, kNow).empty());
  EXPECT_TRUE(check_item(0, item("var_b", 2, 1200), &p, 0, kNow).empty());
}

TEST(CheckItem, UnavailableProduct) {
  EXPECT_EQ(dump(check_item(0, item("var_a", 1, 1000), nullptr, 0, kNow)), kUnavailable);
  for (ProductStatus status : {ProductStatus::draft, ProductStatus::archived}) {
    Product p = shirt();
    p.status = status;
    EXPECT_EQ(dump(check_item(0, item("var_a", 1, 1000), &p, 0, kNow)), kUnavailable);
  }
}

TEST(CheckItem, UnavailableVariant) {
  const Product p = shirt();
  EXPECT_EQ(dump(check_item(0, item("var_zzz", 1, 1000), &p, 0, kNow)), kUnavailable);
  EXPECT_EQ(dump(check_item(0, item("var_off", 1, 1000), &p, 0, kNow)), kUnavailable);
}

TEST(CheckItem, UnavailabilityIsTheOnlyCorrection) {
  Product p = shirt();
  p.status = ProductStatus::draft;
  // Wrong price and too many units too, but only availability is reported.
  EXPECT_EQ(dump(check_item(0, item("var_a", 99, 1), &p, 0, kNow)), kUnavailable);
}

TEST(CheckItem, PriceChanged) {
  const Product p = shirt();
  EXPECT_EQ(dump(check_item(3, item("var_a", 1, 900), &p, 0, kNow)),
            R"([{"index":3,"field":"price","expected":900,"actual":1000}])");
  // The variant's own price counts, not the product's.
  EXPECT_EQ(dump(check_item(0, item("var_b", 1, 1000), &p, 0, kNow)),
            R"([{"index":0,"field":"price","expected":1000,"actual":1200}])");
}

TEST(CheckItem, SaleStarted) {
  Product p = shirt();
  p.sale = percent_off(10, kNow - 1000, kNow + 1000);
  // The client still saw the regular price.
  EXPECT_EQ(dump(check_item(0, item("var_a", 1, 1000), &p, 0, kNow)),
            R"([{"index":0,"field":"sale","expected":false,"actual":true}])");
  EXPECT_EQ(dump(check_item(0, item("var_b", 1, 1200), &p, 0, kNow)),
            R"([{"index":0,"field":"sale","expected":false,"actual":true}])");
  // Starts exactly now: active.
  p.sale = percent_off(10, kNow, std::nullopt);
  EXPECT_EQ(dump(check_item(0, item("var_a", 1, 1000), &p, 0, kNow)),
            R"([{"index":0,"field":"sale","expected":false,"actual":true}])");
  // The sale price is what it should be.
  EXPECT_TRUE(check_item(0, item("var_a", 1, 900), &p, 0, kNow).empty());
  EXPECT_TRUE(check_item(0, item("var_b", 1, 1080), &p, 0, kNow).empty());
}

TEST(CheckItem, SaleEnded) {
  Product p = shirt();
  p.sale = percent_off(10, kNow - 2000, kNow);  // ends_at is exclusive
  EXPECT_EQ(dump(check_item(0, item("var_a", 1, 900), &p, 0, kNow)),
            R"([{"index":0,"field":"sale","expected":true,"actual":false}])");
  EXPECT_EQ(dump(check_item(0, item("var_b", 1, 1080), &p, 0, kNow)),
            R"([{"index":0,"field":"sale","expected":true,"actual":false}])");
  EXPECT_TRUE(check_item(0, item("var_a", 1, 1000), &p, 0, kNow).empty());

  // A limited sale that sold out ends the same way.
  p.sale = percent_off(10, std::nullopt, std::nullopt);
  p.sale->stock_limit = 3;
  p.sale->sold = 3;
  EXPECT_EQ(dump(check_item(0, item("var_a", 1, 900), &p, 0, kNow)),
            R"([{"index":0,"field":"sale","expected":true,"actual":false}])");
}

TEST(CheckItem, OtherPricesWithASaleArePriceCorrections) {
  Product p = shirt();
  p.sale = percent_off(10, kNow - 1000, std::nullopt);
  EXPECT_EQ(dump(check_item(0, item("var_a", 1, 950), &p, 0, kNow)),
            R"([{"index":0,"field":"price","expected":950,"actual":900}])");
  p.sale->ends_at = kNow - 1;
  EXPECT_EQ(dump(check_item(0, item("var_a", 1, 950), &p, 0, kNow)),
            R"([{"index":0,"field":"price","expected":950,"actual":1000}])");
}

TEST(CheckItem, OutOfStock) {
  Product p = shirt();
  p.variants[0].stock = 0;
  EXPECT_EQ(dump(check_item(0, item("var_a", 1, 1000), &p, 0, kNow)),
            R"([{"index":0,"field":"stock","expected":1,"actual":0}])");
  p.variants[0].stock = -4;  // never reported below zero
  EXPECT_EQ(dump(check_item(0, item("var_a", 1, 1000), &p, 0, kNow)),
            R"([{"index":0,"field":"stock","expected":1,"actual":0}])");
}

TEST(CheckItem, NotEnoughStock) {
  const Product p = shirt();
  EXPECT_EQ(dump(check_item(1, item("var_a", 6, 1000), &p, 0, kNow)),
            R"([{"index":1,"field":"stock","expected":6,"actual":5}])");
}

TEST(CheckItem, AlreadyTakenUnitsAreNotAvailable) {
  const Product p = shirt();
  EXPECT_TRUE(check_item(0, item("var_a", 2, 1000), &p, 3, kNow).empty());
  EXPECT_EQ(dump(check_item(0, item("var_a", 3, 1000), &p, 3, kNow)),
            R"([{"index":0,"field":"stock","expected":3,"actual":2}])");
  EXPECT_EQ(dump(check_item(0, item("var_a", 1, 1000), &p, 7, kNow)),
            R"([{"index":0,"field":"stock","expected":1,"actual":0}])");
}

TEST(CheckItem, PriceAndStockTogether) {
  Product p = shirt();
  EXPECT_EQ(dump(check_item(0, item("var_a", 6, 900), &p, 0, kNow)),
            R"([{"index":0,"field":"price","expected":900,"actual":1000},)"
            R"({"index":0,"field":"stock","expected":6,"actual":5}])");
  p.sale = percent_off(10, kNow - 1, std::nullopt);
  EXPECT_EQ(dump(check_item(0, item("var_a", 6, 1000), &p, 0, kNow)),
            R"([{"index":0,"field":"sale","expected":false,"actual":true},)"
            R"({"index":0,"field":"stock","expected":6,"actual":5}])");
}

TEST(CheckItem, BackorderAndUntrackedNeverRunOut) {
  Product backorder = shirt();
  backorder.allow_backorder = true;
  backorder.variants[0].stock = -3;
  EXPECT_TRUE(check_item(0, item("var_a", 10000, 1000), &backorder, 500, kNow).empty());

  Product untracked = shirt();
  untracked.track_inventory = false;
  untracked.variants[0].stock = 0;
  EXPECT_TRUE(check_item(0, item("var_a", 10000, 1000), &untracked, 500, kNow).empty());
}

TEST(CheckItems, CountsEarlierItemsOfTheSameVariant) {
  const Product p = shirt();
  Product other = shirt();  // same variant ids, another product: its own stock
  const std::vector<CheckoutItem> items = {
      {"prod_1", "var_a", 3, 1000},                                // 3 of 5
      {"prod_2", "var_a", 5, 1000},                                // another product's var_a: all 5 left
      {"prod_1", "var_b", 1, 1200}, {"prod_1", "var_a", 3, 1000},  // only 2 left
      {"gone", "var_a", 1, 1000},   {"prod_1", "var_a", 1, 1000},  // none left
  };
  auto lookup = [&](std::string_view id) -> const Product* {
    if (id == "prod_1") return &p;
    if (id == "prod_2") return &other;
    return nullptr;
  };
  EXPECT_EQ(dump(check_items(items, lookup, kNow)),
            R"([{"index":3,"field":"stock","expected":3,"actual":2},)"
            R"({"index":4,"field":"availability","expected":"available","actual":"unavailable"},)"
            R"({"index":5,"field":"stock","expected":1,"actual":0}])");
}

TEST(CheckItems, LimitedSaleUnitsAreCountedAcrossVariants) {
  Product p = shirt();
  p.sale = percent_off(50, kNow - 1000, std::nullopt);
  p.sale->stock_limit = 5;
  p.sale->sold = 2;  // 3 sale units left
  const std::vector<CheckoutItem> items = {
      {"prod_1", "var_a", 2, 500},  // 2 of 3
      {"prod_1", "var_b", 2, 600},  // only 1 left
  };
  auto lookup = [&](std::string_view) -> const Product* { return &p; };
  EXPECT_EQ(dump(check_items(items, lookup, kNow)), R"([{"index":1,"field":"sale","expected":2,"actual":1}])");
  p.sale->sold = 5;  // the sale is over: the sale price is now a sale correction
  EXPECT_EQ(dump(check_items({items[0]}, lookup, kNow)),
            R"([{"index":0,"field":"sale","expected":true,"actual":false}])");
}

TEST(LineTitle, NamesTheVariantInOptionOrder) {
  Product p = shirt();
  p.options = {{"size", {"S", "L"}}, {"color", {"Blue"}}};
  Variant v;
  v.options = {{"color", "Blue"}, {"size", "L"}};
  EXPECT_EQ(line_title(p, v), "Shirt (L / Blue)");
  EXPECT_EQ(line_title(p, Variant{}), "Shirt");
  p.title = std::string(199, 'x') + "\u00e9\u00e9";  // 201 code points
  const std::string cut = line_title(p, Variant{});
  EXPECT_EQ(cut, std::string(199, 'x') + "\u00e9");
}

TEST(CheckoutProblem, Is409WithCorrections) {
  const Product p = shirt();
  const Problem problem = checkout_problem(check_item(2, item("var_a", 6, 1000), &p, 0, kNow));
  EXPECT_EQ(problem.status, 409);
  EXPECT_EQ(problem.code, ErrorCode::checkout_corrections);
  EXPECT_EQ(json::serialize(problem.extensions),
            R"({"ok":false,"corrections":[{"index":2,"field":"stock","expected":6,"actual":5}]})");
}

TEST(CheckoutTotal, SumsLineTotals) {
  EXPECT_EQ(checkout_total({item("var_a", 2, 1000), item("var_b", 3, 1200)}), 5600);
  EXPECT_EQ(checkout_total({}), 0);
}

}  // namespace
}  // namespace shelfsync
