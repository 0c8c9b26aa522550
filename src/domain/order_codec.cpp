// decode_order and encode_order: the order document (domain/order.hpp).

#include <utility>

#include <boost/json.hpp>

#include "domain/checkout.hpp"
#include "domain/commerce_codec_internal.hpp"
#include "domain/commerce_fields.hpp"
#include "domain/json_read.hpp"
#include "domain/order.hpp"
#include "domain/product.hpp"

namespace shelfsync {

namespace json = boost::json;
using commerce_codec::enum_named;
using commerce_codec::read_currency;
using commerce_codec::read_enum;

namespace {

constexpr std::size_t kMaxLineTitle = 200;

// Appends the item to `out`; false (with errors added) when it is malformed.
bool read_line(const json::value& v, const std::string& path, Errors& errors, std::vector<OrderLine>& out) {
  if (!v.is_object()) {
    errors.add(path, "must be an object");
    return false;
  }
  const std::size_t errors_before = errors.list().size();
  MemberReader r(v.get_object(), path, errors);
  std::optional<std::string> product_id;
  std::optional<std::string> variant_id;
  OrderLine line;
  if (r.require("product_id")) r.id("product_id", product_id);
  if (r.require("variant_id")) r.id("variant_id", variant_id);
  if (r.require("title")) r.string("title", 1, kMaxLineTitle, line.title);
  if (r.require("qty")) r.integer("qty", 1, kMaxCheckoutQty, line.qty);
  if (r.require("unit_price")) r.integer("unit_price", 0, kMaxPrice, line.unit_price);
  const std::int64_t derived = line.line_total();  // ≤ kMaxLineTotal
  std::int64_t given = derived;
  if (r.integer("line_total", 0, kMaxLineTotal, given) && given != derived)
    errors.add(r.path("line_total"), "must be qty * unit_price (" + std::to_string(derived) + ")");
  r.reject_unknown({"product_id", "variant_id", "title", "qty", "unit_price", "line_total"});
  if (errors.list().size() != errors_before) return false;
  line.product_id = std::move(*product_id);
  line.variant_id = std::move(*variant_id);
  out.push_back(std::move(line));
  return true;
}

// The items; false when any is malformed or there are none (errors added).
bool read_lines(MemberReader& r, std::vector<OrderLine>& out) {
  if (!r.require("items")) return false;
  const json::array* list = r.array("items", kMaxCheckoutItems);
  if (!list) return false;
  bool ok = !list->empty();
  if (list->empty()) r.errors().add("items", "must have at least 1 item");
  for (std::size_t i = 0; i < list->size(); ++i) ok &= read_line((*list)[i], element_path("items", i), r.errors(), out);
  return ok;
}

// The history as given, or one entry for the current status when absent or
// empty. Its last entry must carry `status`: the history explains the status.
std::vector<StatusChange> read_status_history(MemberReader& r, OrderStatus status, const NormalizeContext& ctx) {
  std::vector<StatusChange> out;
  const json::array* list = r.array("status_history", kMaxStatusHistory);
  if (!list || list->empty()) {
    out.push_back({status, ctx.now, std::string(kSystemActor)});
    return out;
  }
  Errors& errors = r.errors();
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = element_path("status_history", i);
    if (!(*list)[i].is_object()) {
      errors.add(path, "must be an object");
      continue;
    }
    MemberReader e((*list)[i].get_object(), path, errors);
    StatusChange change;
    const bool has_status = e.require("status") && read_enum(e, "status", kOrderStatuses, change.status);
    std::optional<Millis> at;
    e.time("at", at);
    change.at = at.value_or(ctx.now);
    change.actor = std::string(kSystemActor);
    e.string("actor", 1, kMaxActorLength, change.actor);
    e.reject_unknown({"status", "at", "actor"});
    if (i + 1 == list->size() && has_status && change.status != status)
      errors.add(member_path(path, "status"),
                 "the last entry must be the order's status (" + std::string(to_string(status)) + ")");
    out.push_back(std::move(change));
  }
  return out;
}

}  // namespace

std::string_view to_string(OrderChannel channel) { return kOrderChannels[static_cast<std::size_t>(channel)]; }
std::string_view to_string(OrderStatus status) { return kOrderStatuses[static_cast<std::size_t>(status)]; }

std::optional<OrderChannel> parse_order_channel(std::string_view text) {
  return enum_named<OrderChannel>(kOrderChannels, text);
}

std::optional<OrderStatus> parse_order_status(std::string_view text) {
  return enum_named<OrderStatus>(kOrderStatuses, text);
}

bool order_transition_allowed(OrderStatus from, OrderStatus to) {
  switch (from) {
    case OrderStatus::placed:
      return to == OrderStatus::confirmed || to == OrderStatus::cancelled;
    case OrderStatus::confirmed:
      return to == OrderStatus::fulfilled || to == OrderStatus::cancelled;
    case OrderStatus::fulfilled:
    case OrderStatus::cancelled:
      break;
  }
  return false;
}

std::int64_t Order::total() const {
  std::int64_t sum = 0;  // ≤ kMaxOrderTotal: at most kMaxCheckoutItems lines
  for (const OrderLine& line : items) sum += line.line_total();
  return sum;
}

void Order::set_status(OrderStatus to, Millis at, std::string actor) {
  status = to;
  status_history.push_back({to, at, std::move(actor)});
}

Result<Order> decode_order(const json::object& doc, const NormalizeContext& ctx) {
  Errors errors;
  MemberReader r(doc, "", errors);
  Order order;
  if (r.require("number")) r.integer("number", 1, kMaxOrderNumber, order.number);
  r.id("customer_id", order.customer_id);
  read_enum(r, "channel", kOrderChannels, order.channel);
  const bool items_ok = read_lines(r, order.items);
  std::int64_t total = order.total();
  if (r.integer("total", 0, kMaxOrderTotal, total) && items_ok && total != order.total())
    errors.add("total", "must be the sum of the line totals (" + std::to_string(order.total()) + ")");
  order.currency = read_currency(r, ctx);
  read_enum(r, "status", kOrderStatuses, order.status);
  order.status_history = read_status_history(r, order.status, ctx);
  r.reject_unknown({"number", "customer_id", "channel", "items", "total", "currency", "status", "status_history"},
                   {"id", "version", "created_at", "updated_at"});
  if (!errors.empty()) return errors.problem();
  return order;
}

json::object encode_order(const Order& order) {
  json::object o;
  o["number"] = order.number;
  if (order.customer_id) o["customer_id"] = *order.customer_id;
  o["channel"] = to_string(order.channel);
  json::array items;
  for (const OrderLine& line : order.items) {
    json::object item;
    item["product_id"] = line.product_id;
    item["variant_id"] = line.variant_id;
    item["title"] = line.title;
    item["qty"] = line.qty;
    item["unit_price"] = line.unit_price;
    item["line_total"] = line.line_total();
    items.push_back(std::move(item));
  }
  o["items"] = std::move(items);
  o["total"] = order.total();
  if (!order.currency.empty()) o["currency"] = order.currency;
  o["status"] = to_string(order.status);
  json::array history;
  for (const StatusChange& change : order.status_history) {
    json::object entry;
    entry["status"] = to_string(change.status);
    entry["at"] = format_rfc3339(change.at);
    entry["actor"] = change.actor;
    history.push_back(std::move(entry));
  }
  o["status_history"] = std::move(history);
  return o;
}

}  // namespace shelfsync
