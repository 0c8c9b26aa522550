#pragma once
// The demo shop's customers and its last 30 days (SPEC §8): orders in every
// status on every channel, their bills and payments, manual invoices (one
// overdue), deliveries and stock corrections. Written through the real
// services (orders, bills, stock) with the server's clock set back to each
// event's time, so stock movements, alerts, bills and the change log agree
// as if the shop had been open for a month.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/tokens.hpp"
#include "store/store.hpp"

namespace shelfsync {

// Create bodies with fixed ids (cust_demo_01, ...), some of kind partner.
std::vector<boost::json::object> demo_customers();
// The customers whose portal links `shelfsync demo` prints.
inline constexpr std::string_view kDemoRetailCustomer = "cust_demo_01";
inline constexpr std::string_view kDemoPartnerCustomer = "cust_demo_10";

// Who acts in the history, as their tokens authenticate.
struct DemoActors {
  Principal admin, staff, service, public_;
  std::vector<Principal> customers;  // one per demo_customers(), same order
};

struct HistoryCounts {
  int orders = 0;
  int refused = 0;  // orders the checkout refused (409): left out
  int transitions = 0;
  int payments = 0;
  int bills = 0;  // manual ones
  int stock_changes = 0;
};

// Sets the server's clock `offset` ms off for its lifetime, then back to zero.
class BackDated {
 public:
  explicit BackDated(Millis offset) { set_clock_offset(offset); }
  ~BackDated() { set_clock_offset(0); }
  BackDated(const BackDated&) = delete;
  BackDated& operator=(const BackDated&) = delete;
};

// True if the tenant has an order already: its history is not written twice.
bool has_history(Store& store, const std::string& tenant);

// Plays the history ending at `now` (deterministic for a seed and the
// catalog's state). Sets the process's clock offset while it runs and
// leaves it at zero.
HistoryCounts write_demo_history(Store& store, const DemoActors& actors, std::uint64_t seed, Millis now);

}  // namespace shelfsync
