#include "cli/demo_history_plan.hpp"

#include <algorithm>

#include "cli/demo_rng.hpp"

namespace shelfsync::demo {
namespace {

// Opening hours (UTC): orders fall between 08:00 and 21:00.
constexpr int kOpenHour = 8;
constexpr int kCloseHour = 21;

Millis day_start(Millis t) { return t - ((t % kDay) + kDay) % kDay; }

class Planner {
 public:
  Planner(std::uint64_t seed, Millis now, const std::vector<bool>& partners) : rng_(seed), now_(now) {
    for (int i = 0; i < static_cast<int>(partners.size()); ++i) (partners[i] ? partners_ : retail_).push_back(i);
  }

  HistoryPlan run() {
    const Millis today = day_start(now_);
    for (int ago = kHistoryDays - 1; ago >= 0; --ago) {
      const Millis day = today - ago * kDay;
      plan_day(day, ago);
      if (ago % 3 == 1) add({day + 7 * kHour, EventKind::purchase});
      if (ago % 2 == 0) add({day + 20 * kHour + rng_.range(0, 50) * kMinute, EventKind::adjustment});
    }
    plan_invoices(today);
    // Stable: an order's events were added in their own order, which their
    // times already follow; equal times keep it.
    std::stable_sort(plan_.events.begin(), plan_.events.end(),
                     [](const HistoryEvent& a, const HistoryEvent& b) { return a.at < b.at; });
    return std::move(plan_);
  }

 private:
  void add(HistoryEvent e) {
    if (e.at < now_) plan_.events.push_back(e);  // what lies ahead has not happened yet
  }

  void plan_day(Millis day, int ago) {
    const int weekday = static_cast<int>((day / kDay + 4) % 7);  // 0 = Sunday
    int count = rng_.range(4, 9) + (weekday == 0 || weekday == 6 ? 4 : 0);
    if (ago == 9) count += 8;  // a promotion day
    std::vector<Millis> times;
    for (int i = 0; i < count; ++i)
      times.push_back(day + rng_.range(kOpenHour * 60, kCloseHour * 60 - 1) * kMinute + rng_.range(0, 59'999));
    std::sort(times.begin(), times.end());
    for (Millis at : times) plan_order(at);
  }

  PlannedOrder pick_buyer() {
    const int roll = rng_.range(0, 99);
    if (roll < 30) return {Buyer::guest_web, -1, rng_.range(1, 3)};
    if (roll < 50) return {Buyer::till, -1, rng_.range(1, 4)};
    if (roll < 55) return {Buyer::system, -1, rng_.range(1, 2)};
    if (roll < 82 || partners_.empty()) return {Buyer::retail, rng_.pick(retail_), rng_.range(1, 3)};
    return {Buyer::partner, rng_.pick(partners_), rng_.range(2, 5)};
  }

  void plan_order(Millis at) {
    const int index = static_cast<int>(plan_.orders.size());
    const PlannedOrder order = pick_buyer();
    plan_.orders.push_back(order);
    add({at, EventKind::place, index});

    // A retail customer pays by card as the order is placed (most do).
    Millis paid_at = 0;
    if (order.buyer == Buyer::retail && rng_.percent(80)) {
      paid_at = at + rng_.range(1, 3) * kMinute;
      add({paid_at, EventKind::pay_order, index, -1, 1000});
    }
    // The last two days' orders are not all seen to yet.
    if (at > now_ - 2 * kDay && rng_.percent(30)) return;
    const int fate = rng_.range(0, 99);
    Millis t = at + rng_.range(10, 240) * kMinute;
    if (fate < 6) {  // cancelled before it was confirmed
      add({t, EventKind::cancel, index});
      return;
    }
    add({t, EventKind::confirm, index});
    if (fate < 10) {  // cancelled after it was confirmed
      add({t + rng_.range(1, 20) * kHour, EventKind::cancel, index});
      return;
    }
    if (fate < 13) return;  // waits, confirmed
    t += rng_.range(2, 36) * kHour;
    add({t, EventKind::fulfill, index});
    // A partner pays by transfer some days after delivery: in full, in
    // part (the rest later, or not yet), or not yet at all.
    if (order.buyer == Buyer::partner) {
      const int pay = rng_.range(0, 99);
      const Millis first = t + rng_.range(2, 8) * kDay + rng_.range(9, 16) * kHour;
      if (pay < 50) {
        add({first, EventKind::pay_order, index, -1, 1000});
      } else if (pay < 80) {
        add({first, EventKind::pay_order, index, -1, rng_.range(3, 7) * 100});
        add({first + rng_.range(5, 12) * kDay, EventKind::pay_order, index, -1, 1000});
      }
    } else if (order.buyer == Buyer::retail && paid_at == 0 && rng_.percent(50)) {
      add({t + rng_.range(1, 5) * kDay, EventKind::pay_order, index, -1, 1000});
    }
  }

  // Each partner gets a monthly service invoice (display and delivery
  // fees): the first partner's older one stays unpaid past its due date,
  // the second's is part-paid, the rest are paid.
  void plan_invoices(Millis today) {
    for (std::size_t p = 0; p < partners_.size(); ++p) {
      for (int round = 0; round < 2; ++round) {
        const Millis at = today - (round == 0 ? 26 : 6) * kDay + (10 + static_cast<int>(p)) * kHour;
        const int index = static_cast<int>(plan_.bills.size());
        plan_.bills.push_back({partners_[p], rng_.range(40, 160) * std::int64_t{500}, at + 14 * kDay});
        add({at, EventKind::manual_bill, -1, index});
        if (round == 1) continue;  // not due yet
        if (p == 0) continue;      // overdue
        add({at + rng_.range(3, 9) * kDay, EventKind::pay_bill, -1, index, p == 1 ? 500 : 1000});
      }
    }
  }

  Rng rng_;
  Millis now_;
  std::vector<int> retail_, partners_;
  HistoryPlan plan_;
};

}  // namespace

HistoryPlan plan_history(std::uint64_t seed, Millis now, const std::vector<bool>& partners) {
  return Planner(seed, now, partners).run();
}

}  // namespace shelfsync::demo
