#include "domain/commerce_collections.hpp"

#include <span>

#include <boost/json.hpp>

#include "domain/checkout.hpp"
#include "domain/json_read.hpp"
#include "domain/json_util.hpp"
#include "domain/product.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxTitle = 200;
constexpr std::string_view kSystemActor = "system";

// Adds (field, value) when the member is a non-empty string.
void add_key_if_set(IndexKeys& keys, const json::object& stored, std::string_view field) {
  if (auto value = string_or_empty(stored, field); !value.empty())
    keys.emplace_back(std::string(field), std::string(value));
}

// One of `names` (a static array, so the view stays valid), or `fallback`
// when absent or wrong (the reader has then added the error).
std::string_view read_enum(MemberReader& r, std::string_view key,
                           std::span<const std::string_view> names, std::string_view fallback) {
  std::size_t i = 0;
  return r.one_of(key, names, i) ? names[i] : fallback;
}

// An ISO 4217 code kept from the record (an order keeps the currency it was
// placed in), else the tenant's.
std::string read_currency(MemberReader& r, const NormalizeContext& ctx) {
  std::string currency = ctx.currency;
  r.string("currency", 3, 3, currency);
  return currency;
}

json::object history_entry(std::string_view status, Millis at, std::string_view actor) {
  json::object o;
  o["status"] = status;
  o["at"] = format_rfc3339(at);
  o["actor"] = actor;
  return o;
}

// Appends the canonical item to `out` and its line total to `sum`; false
// (with errors added) when the item is malformed.
bool read_order_item(const json::value& v, const std::string& path, Errors& errors,
                     json::array& out, std::int64_t& sum) {
  if (!v.is_object()) {
    errors.add(path, "must be an object");
    return false;
  }
  const std::size_t errors_before = errors.list().size();
  MemberReader r(v.get_object(), path, errors);
  std::optional<std::string> product_id;
  std::optional<std::string> variant_id;
  std::string title;
  std::int64_t qty = 0;
  std::int64_t unit_price = 0;
  if (r.require("product_id")) r.id("product_id", product_id);
  if (r.require("variant_id")) r.id("variant_id", variant_id);
  if (r.require("title")) r.string("title", 1, kMaxTitle, title);
  if (r.require("qty")) r.integer("qty", 1, kMaxCheckoutQty, qty);
  if (r.require("unit_price")) r.integer("unit_price", 0, kMaxPrice, unit_price);
  const std::int64_t line = qty * unit_price;  // ≤ kMaxLineTotal
  std::int64_t given = line;
  if (r.integer("line_total", 0, kMaxLineTotal, given) && given != line)
    errors.add(r.path("line_total"), "must be qty * unit_price (" + std::to_string(line) + ")");
  r.reject_unknown({"product_id", "variant_id", "title", "qty", "unit_price", "line_total"});
  if (errors.list().size() != errors_before) return false;

  json::object item;
  item["product_id"] = *product_id;
  item["variant_id"] = *variant_id;
  item["title"] = title;
  item["qty"] = qty;
  item["unit_price"] = unit_price;
  item["line_total"] = line;
  out.push_back(std::move(item));
  sum += line;
  return true;
}

// The history as given, or one entry for the current status when absent or
// empty. Its last entry must carry `status`: the history explains the status.
json::array read_status_history(MemberReader& r, std::string_view status,
                                const NormalizeContext& ctx) {
  json::array out;
  const json::array* list = r.array("status_history", kMaxStatusHistory);
  if (!list || list->empty()) {
    out.push_back(history_entry(status, ctx.now, kSystemActor));
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
    std::string_view entry_status;
    if (e.require("status")) entry_status = read_enum(e, "status", kOrderStatuses, "");
    std::optional<Millis> at;
    e.time("at", at);
    std::string actor(kSystemActor);
    e.string("actor", 1, kMaxActorLength, actor);
    e.reject_unknown({"status", "at", "actor"});
    if (i + 1 == list->size() && !entry_status.empty() && entry_status != status)
      errors.add(member_path(path, "status"),
                 "the last entry must be the order's status (" + std::string(status) + ")");
    out.push_back(history_entry(entry_status, at.value_or(ctx.now), actor));
  }
  return out;
}

}  // namespace

bool order_transition_allowed(std::string_view from, std::string_view to) {
  if (from == "placed") return to == "confirmed" || to == "cancelled";
  if (from == "confirmed") return to == "fulfilled" || to == "cancelled";
  return false;
}

// ---- orders ----------------------------------------------------------------

Result<json::object> OrderCollection::normalize(const json::object& input,
                                                const json::object* previous,
                                                const NormalizeContext& ctx) const {
  Errors errors;
  MemberReader r(input, "", errors);
  std::int64_t number = 0;
  if (r.require("number")) r.integer("number", 1, kMaxOrderNumber, number);
  std::optional<std::string> customer_id;
  r.id("customer_id", customer_id);
  const std::string_view channel = read_enum(r, "channel", kOrderChannels, "api");

  json::array items;
  std::int64_t sum = 0;  // ≤ kMaxOrderTotal: at most kMaxCheckoutItems lines
  bool items_ok = false;
  if (r.require("items")) {
    if (const json::array* list = r.array("items", kMaxCheckoutItems)) {
      items_ok = !list->empty();
      if (list->empty()) errors.add("items", "must have at least 1 item");
      for (std::size_t i = 0; i < list->size(); ++i)
        items_ok &= read_order_item((*list)[i], element_path("items", i), errors, items, sum);
    }
  }
  std::int64_t total = sum;
  if (r.integer("total", 0, kMaxOrderTotal, total) && items_ok && total != sum)
    errors.add("total", "must be the sum of the line totals (" + std::to_string(sum) + ")");
  const std::string currency = read_currency(r, ctx);
  const std::string_view status = read_enum(r, "status", kOrderStatuses, "placed");
  json::array history = read_status_history(r, status, ctx);
  r.reject_unknown({"number", "customer_id", "channel", "items", "total", "currency", "status",
                    "status_history"},
                   {"id", "version", "created_at", "updated_at"});
  if (!errors.empty()) return errors.problem();

  json::object o;
  o["number"] = number;
  if (customer_id) o["customer_id"] = *customer_id;
  o["channel"] = channel;
  o["items"] = std::move(items);
  o["total"] = sum;
  if (!currency.empty()) o["currency"] = currency;
  o["status"] = status;
  o["status_history"] = std::move(history);
  return o;
}

IndexKeys OrderCollection::index_keys(const json::object& stored) const {
  IndexKeys keys;
  keys.emplace_back("status", std::string(string_or_empty(stored, "status")));
  add_key_if_set(keys, stored, "customer_id");
  keys.emplace_back("channel", std::string(string_or_empty(stored, "channel")));
  return keys;
}

std::vector<std::string_view> OrderCollection::filter_fields() const {
  return {"status", "customer_id", "channel"};
}

std::span<const std::string_view> OrderCollection::filter_values(std::string_view field) const {
  if (field == "status") return kOrderStatuses;
  if (field == "channel") return kOrderChannels;
  return {};
}

bool OrderCollection::visible_to(const json::object& stored, Role role) const {
  return role != Role::public_;
}

// ---- bills -----------------------------------------------------------------

json::object bill_payment(std::int64_t amount, std::string_view method,
                          std::string_view reference, Millis at, std::string_view actor) {
  json::object o;
  o["amount"] = amount;
  o["method"] = method;
  if (!reference.empty()) o["reference"] = reference;
  o["at"] = format_rfc3339(at);
  o["actor"] = actor;
  return o;
}

namespace {

// The payments as given (none when absent), canonical; their sum to `paid`.
json::array read_payments(MemberReader& r, const NormalizeContext& ctx, std::int64_t& paid) {
  json::array out;
  paid = 0;
  const json::array* list = r.array("payments", kMaxPayments);
  if (!list) return out;
  Errors& errors = r.errors();
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = element_path("payments", i);
    if (!(*list)[i].is_object()) {
      errors.add(path, "must be an object");
      continue;
    }
    MemberReader e((*list)[i].get_object(), path, errors);
    std::int64_t amount = 0;
    if (e.require("amount")) e.integer("amount", 1, kMaxOrderTotal, amount);
    std::string_view method;
    if (e.require("method")) method = read_enum(e, "method", kPaymentMethods, "");
    std::string reference;
    e.string("reference", 1, kMaxReferenceLength, reference);
    std::optional<Millis> at;
    e.time("at", at);
    std::string actor(kSystemActor);
    e.string("actor", 1, kMaxActorLength, actor);
    e.reject_unknown({"amount", "method", "reference", "at", "actor"});
    paid += amount;
    out.push_back(bill_payment(amount, method, reference, at.value_or(ctx.now), actor));
  }
  return out;
}

}  // namespace

Result<json::object> BillCollection::normalize(const json::object& input,
                                               const json::object* previous,
                                               const NormalizeContext& ctx) const {
  Errors errors;
  MemberReader r(input, "", errors);
  std::optional<std::int64_t> number;
  r.integer("number", 1, kMaxOrderNumber, number);
  std::optional<std::string> customer_id;
  if (r.require("customer_id")) r.id("customer_id", customer_id);
  std::optional<std::string> order_id;
  r.id("order_id", order_id);
  std::int64_t amount = 0;
  if (r.require("amount")) r.integer("amount", 0, kMaxOrderTotal, amount);
  const std::string currency = read_currency(r, ctx);
  const std::string_view given_status = read_enum(r, "status", kBillStatuses, "unpaid");
  std::optional<Millis> due_at;
  r.time("due_at", due_at);
  std::int64_t paid = 0;
  json::array payments = read_payments(r, ctx, paid);
  std::string note;
  const bool has_note = r.string("note", 0, kMaxNoteLength, note);
  r.reject_unknown({"number", "customer_id", "order_id", "amount", "currency", "status", "due_at",
                    "payments", "note"},
                   // derived: paid_amount from the payments; refund_due when read
                   {"id", "version", "created_at", "updated_at", "paid_amount", "refund_due"});
  if (paid > amount && given_status != "void")
    errors.add("payments", "pay " + std::to_string(paid) + " in all, more than the amount " +
                               std::to_string(amount));
  if (!errors.empty()) return errors.problem();

  const std::string_view status = given_status == "void" ? "void"
                                  : paid >= amount       ? "paid"  // also a bill of 0
                                  : paid == 0            ? "unpaid"
                                                         : "partially_paid";
  json::object o;
  if (number) o["number"] = *number;
  o["customer_id"] = *customer_id;
  if (order_id) o["order_id"] = *order_id;
  o["amount"] = amount;
  if (!currency.empty()) o["currency"] = currency;
  o["paid_amount"] = paid;
  o["status"] = status;
  if (due_at) o["due_at"] = format_rfc3339(*due_at);
  o["payments"] = std::move(payments);
  if (has_note && !note.empty()) o["note"] = note;
  return o;
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

std::vector<std::string_view> BillCollection::filter_fields() const {
  return {"customer_id", "status", "order_id"};
}

std::span<const std::string_view> BillCollection::filter_values(std::string_view field) const {
  if (field == "status") return kBillStatuses;
  return {};
}

bool BillCollection::visible_to(const json::object& stored, Role role) const {
  return role != Role::public_;
}

// ---- stock movements -------------------------------------------------------

Result<json::object> StockMovementCollection::normalize(const json::object& input,
                                                        const json::object* previous,
                                                        const NormalizeContext& ctx) const {
  Errors errors;
  MemberReader r(input, "", errors);
  std::optional<std::string> product_id;
  if (r.require("product_id")) r.id("product_id", product_id);
  std::optional<std::string> variant_id;
  if (r.require("variant_id")) r.id("variant_id", variant_id);
  std::int64_t delta = 0;
  if (r.require("delta") && r.integer("delta", -kMaxLedgerUnits, kMaxLedgerUnits, delta) &&
      delta == 0)
    errors.add("delta", "must not be 0");
  std::string_view reason;
  if (r.require("reason")) reason = read_enum(r, "reason", kMovementReasons, "");
  std::optional<std::string> order_id;
  r.id("order_id", order_id);
  std::string note;
  const bool has_note = r.string("note", 0, kMaxNoteLength, note);
  std::int64_t stock_after = 0;
  if (r.require("stock_after"))
    r.integer("stock_after", -kMaxLedgerUnits, kMaxLedgerUnits, stock_after);
  std::optional<Millis> at;
  r.time("at", at);
  std::string actor(kSystemActor);
  r.string("actor", 1, kMaxActorLength, actor);
  r.reject_unknown({"product_id", "variant_id", "delta", "reason", "order_id", "note",
                    "stock_after", "at", "actor"},
                   {"id", "version", "created_at", "updated_at"});
  if (!errors.empty()) return errors.problem();

  json::object o;
  o["product_id"] = *product_id;
  o["variant_id"] = *variant_id;
  o["delta"] = delta;
  o["reason"] = reason;
  if (order_id) o["order_id"] = *order_id;
  if (has_note) o["note"] = note;
  o["stock_after"] = stock_after;
  o["at"] = format_rfc3339(at.value_or(ctx.now));
  o["actor"] = actor;
  return o;
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

std::span<const std::string_view> StockMovementCollection::filter_values(
    std::string_view field) const {
  if (field == "reason") return kMovementReasons;
  return {};
}

bool StockMovementCollection::visible_to(const json::object& stored, Role role) const {
  return is_back_office(role);
}

// ---- alerts ----------------------------------------------------------------

Result<json::object> AlertCollection::normalize(const json::object& input,
                                                const json::object* previous,
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

std::vector<std::string_view> AlertCollection::filter_fields() const {
  return {"kind", "product_id"};
}

std::span<const std::string_view> AlertCollection::filter_values(std::string_view field) const {
  if (field == "kind") return kAlertKinds;
  return {};
}

bool AlertCollection::visible_to(const json::object& stored, Role role) const {
  return is_back_office(role);
}

}  // namespace shelfsync
