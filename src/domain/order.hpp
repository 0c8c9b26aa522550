#pragma once
// The order of SPEC §5 as a typed value, and its JSON codec. decode_order is
// the one place an order document is validated (OrderCollection::normalize
// is encode_order of it); the commerce code reads and changes orders through
// these types instead of picking the stored JSON apart.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/collection.hpp"
#include "domain/problem.hpp"
#include "domain/time.hpp"

namespace shelfsync {

inline constexpr std::array<std::string_view, 4> kOrderChannels = {"web", "pos", "partner", "api"};
inline constexpr std::array<std::string_view, 4> kOrderStatuses = {"placed", "confirmed", "fulfilled", "cancelled"};

// Indexed like the names above.
enum class OrderChannel { web, pos, partner, api };
enum class OrderStatus { placed, confirmed, fulfilled, cancelled };

std::string_view to_string(OrderChannel channel);
std::string_view to_string(OrderStatus status);
std::optional<OrderChannel> parse_order_channel(std::string_view text);
std::optional<OrderStatus> parse_order_status(std::string_view text);

// SPEC §5: placed → confirmed → fulfilled; cancel from placed or confirmed.
bool order_transition_allowed(OrderStatus from, OrderStatus to);

// One item of an order, priced as it was placed.
struct OrderLine {
  std::string product_id;
  std::string variant_id;
  std::string title;  // "Product (L / Blue)"
  std::int64_t qty = 0;
  std::int64_t unit_price = 0;

  // Stored as line_total; derived, so it cannot disagree.
  std::int64_t line_total() const { return qty * unit_price; }
  friend bool operator==(const OrderLine&, const OrderLine&) = default;
};

// One entry of status_history: who moved the order to `status`, and when.
struct StatusChange {
  OrderStatus status = OrderStatus::placed;
  Millis at = 0;
  std::string actor;  // a Principal's actor, or "system"
  friend bool operator==(const StatusChange&, const StatusChange&) = default;
};

struct Order {
  std::int64_t number = 0;                 // 1, 2, 3, ... per tenant
  std::optional<std::string> customer_id;  // none for a guest order
  OrderChannel channel = OrderChannel::api;
  std::vector<OrderLine> items;  // at least one
  std::string currency;          // the one it was placed in
  OrderStatus status = OrderStatus::placed;
  std::vector<StatusChange> status_history;  // ends with `status`

  // Stored as total: the sum of the line totals.
  std::int64_t total() const;
  // Moves the order to `to` and appends the history entry that explains it;
  // whether the move is allowed is the caller's check.
  void set_status(OrderStatus to, Millis at, std::string actor);
  friend bool operator==(const Order&, const Order&) = default;
};

// Reads an order document (a stored one, or one the server built) and
// returns the order, or a 422 naming every bad member ("items[1].qty",
// "status_history[0].at"). Members are those of OrderCollection; system
// fields (id, version, ...) are ignored. Defaults: channel api, status
// placed, currency the tenant's (`ctx`), history one entry {status, ctx.now,
// "system"}, an entry's at ctx.now and actor "system". A given line_total or
// total must equal the derived one; the last history entry must carry the
// status.
Result<Order> decode_order(const boost::json::object& doc, const NormalizeContext& ctx);

// The canonical stored form: fixed member order, line_total and total
// derived, optional members only when set, times in RFC 3339 UTC ms.
boost::json::object encode_order(const Order& order);

}  // namespace shelfsync
