#include "domain/figures.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace shelfsync {
namespace {

namespace json = boost::json;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

constexpr Millis kPlaced = 1'700'000'000'000;  // 2023-11-14T22:13:20.000Z

json::object order(std::string_view status) {
  return obj(R"({"status":")" + std::string(status) + R"(","total":1100,"items":[
    {"product_id":"p1","qty":2,"line_total":600},{"product_id":"p2","qty":1,"line_total":500},
    {"product_id":"p1","qty":1,"line_total":0}],
    "status_history":[{"status":"placed","at":"2023-11-14T22:13:20.000Z"},
                      {"status":")" +
             std::string(status) + R"(","at":"2023-11-15T09:00:00.000Z"}]})");
}

const FigureDelta* row(const std::vector<FigureDelta>& rows, std::string_view series, std::string_view key = "") {
  for (const auto& r : rows)
    if (r.series == series && r.key == key) return &r;
  return nullptr;
}

TEST(Figures, BucketsAreFloorsAlsoBefore1970) {
  EXPECT_EQ(quarter_of(0), 0);
  EXPECT_EQ(quarter_of(kQuarterMs - 1), 0);
  EXPECT_EQ(quarter_of(kQuarterMs), 1);
  EXPECT_EQ(quarter_of(-1), -1);
  EXPECT_EQ(day_of(-1), -1);
  EXPECT_EQ(day_of(kDayMs * 3 + 5), 3);
}

TEST(Figures, AnOrderCountsInTheQuarterAndDayItWasPlaced) {
  const auto rows = figure_contributions("orders", order("confirmed"), 0);
  const auto* totals = row(rows, series::kOrders);
  ASSERT_TRUE(totals);
  EXPECT_EQ(totals->bucket, quarter_of(kPlaced)) << "placed, not the later confirmation";
  EXPECT_EQ(totals->values, (FigureValues{1, 1100, 4, 0, 0}));
  const auto placed = order("placed");
  const auto changes = figure_changes("orders", nullptr, 0, &placed, 0);
  const auto* p1 = row(changes, series::kProductDays, "p1");
  ASSERT_TRUE(p1) << "two lines of one product make one row";
  EXPECT_EQ(p1->bucket, day_of(kPlaced));
  EXPECT_EQ(p1->values, (FigureValues{3, 600, 0, 0, 0}));
  EXPECT_EQ(row(changes, series::kProductQuarters, "p2")->values, (FigureValues{1, 500}));
}

TEST(Figures, CancellingMovesAnOrderFromTheTotalsToCancelled) {
  const auto before = order("placed");
  const auto after = order("cancelled");
  const auto changes = figure_changes("orders", &before, 0, &after, 0);
  const auto* totals = row(changes, series::kOrders);
  ASSERT_TRUE(totals);
  EXPECT_EQ(totals->values, (FigureValues{-1, -1100, -4, 1, 0}));
  EXPECT_EQ(row(changes, series::kProductDays, "p1")->values, (FigureValues{-3, -600}));
  // Confirming changes no figure at all.
  const auto confirmed = order("confirmed");
  EXPECT_TRUE(figure_changes("orders", &before, 0, &confirmed, 0).empty());
}

TEST(Figures, OpenBillsCountWhatIsLeftToPayByDueInstant) {
  const auto unpaid = obj(R"({"status":"unpaid","amount":1000,"paid_amount":0,
                              "due_at":"2023-11-14T22:13:20.000Z"})");
  const auto partly = obj(R"({"status":"partially_paid","amount":1000,"paid_amount":300,
                              "due_at":"2023-11-14T22:13:20.000Z"})");
  const auto paid = obj(R"({"status":"paid","amount":1000,"paid_amount":1000})");
  const auto no_due = obj(R"({"status":"unpaid","amount":70,"paid_amount":0})");
  auto changes = figure_changes("bills", &unpaid, 0, &partly, 0);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].bucket, kPlaced);
  EXPECT_EQ(changes[0].values, (FigureValues{0, -300}));
  changes = figure_changes("bills", &partly, 0, &paid, 0);
  EXPECT_EQ(changes[0].values, (FigureValues{-1, -700}));
  EXPECT_EQ(figure_contributions("bills", no_due, 0)[0].bucket, kNoDue);
}

TEST(Figures, AProductCountsByStatusStockAndSaleAtItsVersionsTime) {
  const auto doc = obj(R"({"title":"Mug","status":"active","price":500,"low_stock_threshold":5,
    "sale":{"kind":"percent","value":10,"starts_at":"2023-11-14T22:13:20.000Z"},
    "variants":[{"id":"v1","stock":3,"available":true}]})");
  const auto rows = figure_contributions("products", doc, kPlaced);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].values, (FigureValues{1, 1, 1, 0, 1}));
  EXPECT_EQ(figure_contributions("products", doc, kPlaced - 1)[0].values, (FigureValues{1, 1, 1, 0, 0}));
  // The sale timer's version: same document, later instant.
  const auto changes = figure_changes("products", &doc, kPlaced - 1, &doc, kPlaced);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].values, (FigureValues{0, 0, 0, 0, 1}));
  // A delete takes everything back.
  EXPECT_EQ(figure_changes("products", &doc, kPlaced, nullptr, 0)[0].values, (FigureValues{-1, -1, -1, 0, -1}));
  EXPECT_TRUE(figure_contributions("categories", doc, 0).empty());
}

}  // namespace
}  // namespace shelfsync
