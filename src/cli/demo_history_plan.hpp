#pragma once
// The timeline of the demo shop's history (demo_history.cpp plays it): when
// each order is placed and by whom, when it moves on, when bills are paid,
// when stock arrives or is corrected. Plain data from (seed, now), no I/O:
// which products an order holds is chosen when it is played, from the
// stock as the orders before it left it.

#include <cstdint>
#include <vector>

#include "domain/time.hpp"

namespace shelfsync::demo {

inline constexpr Millis kMinute = 60'000;
inline constexpr Millis kHour = 60 * kMinute;
inline constexpr Millis kDay = 24 * kHour;
inline constexpr int kHistoryDays = 30;

// Who places an order, which fixes its channel (SPEC §2).
enum class Buyer {
  guest_web,  // public token, channel web
  till,       // staff token, channel pos
  system,     // service token, channel api
  retail,     // a retail customer, channel web
  partner,    // a partner customer, channel partner
};

enum class EventKind {
  place,        // order `order`
  confirm,      // order `order`
  fulfill,      // order `order`
  cancel,       // order `order`
  pay_order,    // a payment on order `order`'s bill
  manual_bill,  // manual bill `bill` (an invoice to a partner)
  pay_bill,     // a payment on manual bill `bill`
  purchase,     // a supplier delivery: low variants restocked
  adjustment,   // a stock count correction
};

struct HistoryEvent {
  Millis at = 0;
  EventKind kind = EventKind::place;
  int order = -1;    // index into HistoryPlan::orders
  int bill = -1;     // index into HistoryPlan::bills
  int permille = 0;  // payments: the part of what is open that is paid
};

struct PlannedOrder {
  Buyer buyer = Buyer::guest_web;
  int customer = -1;  // index into the demo customers (retail or partner)
  int lines = 1;
};

struct PlannedBill {
  int customer = -1;  // a partner
  std::int64_t amount = 0;
  Millis due_at = 0;
};

struct HistoryPlan {
  std::vector<PlannedOrder> orders;
  std::vector<PlannedBill> bills;
  std::vector<HistoryEvent> events;  // by time, none after `now`
};

// Orders on each of the last kHistoryDays days (more at weekends), most
// fulfilled, some cancelled, some of the last two days' still placed; card
// payments for retail customers, transfers (some partial, some late) for
// partners; monthly partner invoices, one left overdue; deliveries every
// few days and the odd count correction. `customers` gives each demo
// customer's kind (true: partner), in demo_customers() order.
HistoryPlan plan_history(std::uint64_t seed, Millis now, const std::vector<bool>& partners);

}  // namespace shelfsync::demo
