#include "cli/demo_history_plan.hpp"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

namespace shelfsync::demo {
namespace {

constexpr Millis kNow = 1'795'000'000'123;  // a fixed instant in 2026
const std::vector<bool> kPartners = {false, false, false, false, true, true};

TEST(DemoHistoryPlan, SpansTheLastThirtyDaysInTimeOrderWithNothingAhead) {
  const auto plan = plan_history(7, kNow, kPartners);
  ASSERT_FALSE(plan.events.empty());
  std::set<Millis> order_days;
  Millis previous = 0;
  for (const auto& e : plan.events) {
    EXPECT_GE(e.at, previous);
    EXPECT_LT(e.at, kNow);
    EXPECT_GE(e.at, kNow - kHistoryDays * kDay);
    previous = e.at;
    if (e.kind == EventKind::place) order_days.insert(e.at / kDay);
  }
  EXPECT_GE(order_days.size(), 28u);
  EXPECT_GE(plan.orders.size(), 150u);
  EXPECT_LE(plan.orders.size(), 350u);
}

TEST(DemoHistoryPlan, HasEveryKindOfEventAndBuyer) {
  const auto plan = plan_history(7, kNow, kPartners);
  std::set<EventKind> kinds;
  for (const auto& e : plan.events) kinds.insert(e.kind);
  EXPECT_EQ(kinds.size(), 9u);
  std::set<Buyer> buyers;
  for (const auto& o : plan.orders) {
    buyers.insert(o.buyer);
    if (o.customer < 0) continue;
    const bool partner = kPartners.at(static_cast<std::size_t>(o.customer));
    EXPECT_EQ(partner, o.buyer == Buyer::partner) << "customer " << o.customer;
  }
  EXPECT_EQ(buyers.size(), 5u);
}

TEST(DemoHistoryPlan, AnOrdersEventsFollowItsPlacingAndSomeAreNotSeenToYet) {
  const auto plan = plan_history(7, kNow, kPartners);
  std::vector<int> placed(plan.orders.size(), 0);
  std::vector<int> moved(plan.orders.size(), 0);
  for (const auto& e : plan.events) {
    if (e.kind == EventKind::place) {
      placed[e.order] = 1;
    } else if (e.order >= 0) {
      EXPECT_TRUE(placed[e.order]) << "order " << e.order;
      if (e.kind != EventKind::pay_order) moved[e.order] = 1;
    }
  }
  EXPECT_GE(std::count(moved.begin(), moved.end(), 0), 3) << "orders still placed";
}

TEST(DemoHistoryPlan, IsTheSameForTheSameSeed) {
  const auto a = plan_history(7, kNow, kPartners);
  const auto b = plan_history(7, kNow, kPartners);
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].at, b.events[i].at);
    EXPECT_EQ(a.events[i].kind, b.events[i].kind);
  }
}

}  // namespace
}  // namespace shelfsync::demo
