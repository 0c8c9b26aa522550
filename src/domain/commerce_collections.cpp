#include "domain/commerce_collections.hpp"

#include <span>

#include <boost/json.hpp>

#include "domain/json_read.hpp"
#include "domain/json_util.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

// Adds (field, value) when the member is a non-empty string.
void add_key_if_set(IndexKeys& keys, const json::object& stored, std::string_view field) {
  if (auto value = string_or_empty(stored, field); !value.empty())
    keys.emplace_back(std::string(field), std::string(value));
}

// One of `names` (a static array, so the view stays valid), or `fallback`
// when absent or wrong (the reader has then added the error).
std::string_view read_enum(MemberReader& r, std::string_view key, std::span<const std::string_view> names,
                           std::string_view fallback) {
  std::size_t i = 0;
  return r.one_of(key, names, i) ? names[i] : fallback;
}

}  // namespace

bool order_transition_allowed(std::string_view from, std::string_view to) {
  const auto from_status = parse_order_status(from);
  const auto to_status = parse_order_status(to);
  return from_status && to_status && order_transition_allowed(*from_status, *to_status);
}

// ---- orders ----------------------------------------------------------------

Result<json::object> OrderCollection::normalize(const json::object& input, const json::object* previous,
                                                const NormalizeContext& ctx) const {
  auto order = decode_order(input, ctx);
  if (!order) return std::move(order.problem());
  return encode_order(*order);
}

IndexKeys OrderCollection::index_keys(const json::object& stored) const {
  IndexKeys keys;
  keys.emplace_back("status", std::string(string_or_empty(stored, "status")));
  add_key_if_set(keys, stored, "customer_id");
  keys.emplace_back("channel", std::string(string_or_empty(stored, "channel")));
  return keys;
}

std::vector<std::string_view> OrderCollection::filter_fields() const { return {"status", "customer_id", "channel"}; }

std::span<const std::string_view> OrderCollection::filter_values(std::string_view field) const {
  if (field == "status") return kOrderStatuses;
  if (field == "channel") return kOrderChannels;
  return {};
}

bool OrderCollection::visible_to(const json::object& stored, Role role) const { return role != Role::public_; }

// ---- bills -----------------------------------------------------------------

Result<json::object> BillCollection::normalize(const json::object& input, const json::object* previous,
                                               const NormalizeContext& ctx) const {
  auto bill = decode_bill(input, ctx);
  if (!bill) return std::move(bill.problem());
  return encode_bill(*bill);
}

void BillCollection::render(json::object& doc, Projection, Millis) const {
  const auto* status = doc.if_contains("status");
  if (!status || *status != "void") return;
  const auto* paid = doc.if_contains("paid_amount");
  doc["refund_due"] = paid && paid->is_int64() ? paid->as_int64() : 0;
}

IndexKeys BillCollection::index_keys(const json::object& stored) const {
  IndexKeys keys;
  keys.emplace_back("customer_id", std::string(string_or_empty(stored, "customer_id")));
  keys.emplace_back("status", std::string(string_or_empty(stored, "status")));
  add_key_if_set(keys, stored, "order_id");
  return keys;
}

std::vector<std::string_view> BillCollection::filter_fields() const { return {"customer_id", "status", "order_id"}; }

std::span<const std::string_view> BillCollection::filter_values(std::string_view field) const {
  if (field == "status") return kBillStatuses;
  return {};
}

bool BillCollection::visible_to(const json::object& stored, Role role) const { return role != Role::public_; }

// ---- stock movements -------------------------------------------------------

Result<json::object> StockMovementCollection::normalize(const json::object& input, const json::object* previous,
                                                        const NormalizeContext& ctx) const {
  auto movement = decode_stock_movement(input, ctx);
  if (!movement) return std::move(movement.problem());
  return encode_stock_movement(*movement);
}

IndexKeys StockMovementCollection::index_keys(const json::object& stored) const {
  IndexKeys keys;
  keys.emplace_back("product_id", std::string(string_or_empty(stored, "product_id")));
  keys.emplace_back("variant_id", std::string(string_or_empty(stored, "variant_id")));
  keys.emplace_back("reason", std::string(string_or_empty(stored, "reason")));
  add_key_if_set(keys, stored, "order_id");
  return keys;
}

std::vector<std::string_view> StockMovementCollection::filter_fields() const {
  return {"product_id", "variant_id", "reason", "order_id"};
}

std::span<const std::string_view> StockMovementCollection::filter_values(std::string_view field) const {
  if (field == "reason") return kMovementReasons;
  return {};
}

bool StockMovementCollection::visible_to(const json::object& stored, Role role) const { return is_back_office(role); }

// ---- alerts ----------------------------------------------------------------

Result<json::object> AlertCollection::normalize(const json::object& input, const json::object* previous,
                                                const NormalizeContext& ctx) const {
  Errors errors;
  MemberReader r(input, "", errors);
  std::string_view kind;
  if (r.require("kind")) kind = read_enum(r, "kind", kAlertKinds, "");
  std::optional<std::string> product_id;
  r.id("product_id", product_id);
  std::optional<std::string> variant_id;
  r.id("variant_id", variant_id);
  std::optional<std::string> order_id;
  r.id("order_id", order_id);
  std::optional<std::string> webhook_id;
  r.id("webhook_id", webhook_id);
  std::optional<std::int64_t> stock;
  r.integer("stock", -kMaxLedgerUnits, kMaxLedgerUnits, stock);
  std::string message;
  r.string("message", 0, kMaxNoteLength, message);
  r.reject_unknown({"kind", "product_id", "variant_id", "order_id", "webhook_id", "stock", "message"},
                   {"id", "version", "created_at", "updated_at"});
  if (!errors.empty()) return errors.problem();

  json::object o;
  o["kind"] = kind;
  if (product_id) o["product_id"] = *product_id;
  if (variant_id) o["variant_id"] = *variant_id;
  if (order_id) o["order_id"] = *order_id;
  if (webhook_id) o["webhook_id"] = *webhook_id;
  if (stock) o["stock"] = *stock;
  o["message"] = message;
  return o;
}

IndexKeys AlertCollection::index_keys(const json::object& stored) const {
  IndexKeys keys;
  keys.emplace_back("kind", std::string(string_or_empty(stored, "kind")));
  add_key_if_set(keys, stored, "product_id");
  return keys;
}

std::vector<std::string_view> AlertCollection::filter_fields() const { return {"kind", "product_id"}; }

std::span<const std::string_view> AlertCollection::filter_values(std::string_view field) const {
  if (field == "kind") return kAlertKinds;
  return {};
}

bool AlertCollection::visible_to(const json::object& stored, Role role) const { return is_back_office(role); }

}  // namespace shelfsync
