#pragma once
// The commerce records of SPEC §2 and §5: orders, bills, stock movements and
// alerts. The server's own commerce code writes them (clients never send
// these documents), so normalize() checks the internal shape, keeps the
// invariants (line totals, order total, status history) and fills defaults;
// a 422 from it is a bug in the caller, never a client mistake. For orders,
// bills and movements it is their typed codec, decode then encode
// (domain/order.hpp, bill.hpp, stock_movement.hpp).

#include <array>
#include <optional>
#include <string_view>

#include <boost/json/object.hpp>

#include "domain/bill.hpp"
#include "domain/collection.hpp"
#include "domain/commerce_fields.hpp"
#include "domain/order.hpp"
#include "domain/stock_movement.hpp"

namespace shelfsync {

inline constexpr std::array<std::string_view, 5> kAlertKinds = {"low_stock", "sold_out", "back_in_stock", "new_order",
                                                                "webhook_paused"};

// order_transition_allowed on status names; an unknown name moves nowhere.
bool order_transition_allowed(std::string_view from, std::string_view to);

// "orders" (ord): {number, customer_id?, channel, items: [{product_id,
// variant_id, title, qty, unit_price, line_total}], total, currency, status,
// status_history: [{status, at, actor}]}. Defaults: channel "api", status
// "placed", line_total and total computed (when given they must match),
// currency the tenant's, status_history one entry {status, now, "system"};
// the last history entry must carry the current status.
// Readable by every role but public; a customer only its own (owner_customer).
class OrderCollection final : public Collection {
 public:
  std::string_view name() const override { return "orders"; }
  std::string_view id_prefix() const override { return "ord"; }
  Result<boost::json::object> normalize(const boost::json::object& input, const boost::json::object* previous,
                                        const NormalizeContext& ctx) const override;
  IndexKeys index_keys(const boost::json::object& stored) const override;
  std::vector<std::string_view> filter_fields() const override;
  std::span<const std::string_view> filter_values(std::string_view field) const override;
  bool visible_to(const boost::json::object& stored, Role role) const override;
  void render(boost::json::object& doc, Projection projection, Millis now) const override {}
  // Its customer_id; "" (owned by no customer) for a guest order.
  std::optional<std::string_view> owner_field() const override { return "customer_id"; }
};

// "bills" (bill): {number?, customer_id, order_id?, amount, currency,
// paid_amount, status, due_at?, payments: [{amount, method, reference?, at,
// actor}], note?}. paid_amount is the sum of the payments and the status
// follows from it (unpaid, partially_paid, paid) unless the bill is void; a
// void bill keeps its payments and is read with refund_due (what was paid).
// Currency defaults to the tenant's. Readable like orders.
class BillCollection final : public Collection {
 public:
  std::string_view name() const override { return "bills"; }
  std::string_view id_prefix() const override { return "bill"; }
  Result<boost::json::object> normalize(const boost::json::object& input, const boost::json::object* previous,
                                        const NormalizeContext& ctx) const override;
  IndexKeys index_keys(const boost::json::object& stored) const override;
  std::vector<std::string_view> filter_fields() const override;
  std::span<const std::string_view> filter_values(std::string_view field) const override;
  bool visible_to(const boost::json::object& stored, Role role) const override;
  void render(boost::json::object& doc, Projection projection, Millis now) const override;
  std::optional<std::string_view> owner_field() const override { return "customer_id"; }
};

// "stock_movements" (mov): {product_id, variant_id, delta (≠ 0), reason,
// order_id?, note?, stock_after, at, actor}. Defaults: at now, actor
// "system". Readable by admin, staff and service only.
class StockMovementCollection final : public Collection {
 public:
  std::string_view name() const override { return "stock_movements"; }
  std::string_view id_prefix() const override { return "mov"; }
  Result<boost::json::object> normalize(const boost::json::object& input, const boost::json::object* previous,
                                        const NormalizeContext& ctx) const override;
  IndexKeys index_keys(const boost::json::object& stored) const override;
  std::vector<std::string_view> filter_fields() const override;
  std::span<const std::string_view> filter_values(std::string_view field) const override;
  bool visible_to(const boost::json::object& stored, Role role) const override;
  void render(boost::json::object& doc, Projection projection, Millis now) const override {}
};

// "alerts" (alert): {kind, product_id?, variant_id?, order_id?, stock?,
// message}. Default message "". Readable by admin, staff and service only.
class AlertCollection final : public Collection {
 public:
  std::string_view name() const override { return "alerts"; }
  std::string_view id_prefix() const override { return "alert"; }
  Result<boost::json::object> normalize(const boost::json::object& input, const boost::json::object* previous,
                                        const NormalizeContext& ctx) const override;
  IndexKeys index_keys(const boost::json::object& stored) const override;
  std::vector<std::string_view> filter_fields() const override;
  std::span<const std::string_view> filter_values(std::string_view field) const override;
  bool visible_to(const boost::json::object& stored, Role role) const override;
  void render(boost::json::object& doc, Projection projection, Millis now) const override {}
};

}  // namespace shelfsync
