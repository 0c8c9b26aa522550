#include "commerce/order_service.hpp"

#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "catalog/record_service.hpp"
#include "catalog/record_writes.hpp"
#include "commerce/order_history.hpp"
#include "commerce/product_edits.hpp"
#include "domain/commerce_collections.hpp"
#include "domain/json_read.hpp"
#include "domain/pricing.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

const OrderCollection kOrders;
const BillCollection kBills;

// Products as they are now, read outside the writer (for validate).
class ProductSnapshot {
 public:
  ProductSnapshot(Store& store, std::string tenant) : store_(store), tenant_(std::move(tenant)) {}

  const Product* find(std::string_view id) {
    auto it = products_.find(id);
    if (it == products_.end()) {
      std::optional<Product> product;
      const auto record = store_.get(tenant_, "products", std::string(id));
      if (record && !record->deleted) {
        auto doc = json::parse(record->data);
        if (doc.is_object()) product = read_pricing_fields(doc.as_object());
      }
      it = products_.emplace(std::string(id), std::move(product)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

 private:
  Store& store_;
  std::string tenant_;
  std::map<std::string, std::optional<Product>, std::less<>> products_;
};

Problem invalid_transition(std::string_view from, std::string_view to) {
  return Problem::of(ErrorCode::invalid_transition,
                     "an order that is " + std::string(from) + " cannot become " + std::string(to));
}

// The order's bill becomes void when the order is cancelled; it keeps what
// was paid, which it shows as refund_due.
std::optional<Problem> void_bill(WriteTxn& txn, const Principal& who, const std::string& order_id,
                                 Millis now, const std::string& origin) {
  for (const auto& bill_id : txn.find_ids(who.tenant, "bills", "order_id", order_id, 10)) {
    auto bill = txn.get(who.tenant, "bills", bill_id);
    if (!bill || bill->deleted) continue;
    auto doc = json::parse(bill->data).as_object();
    if (doc["status"] == "void") continue;
    const auto previous = doc;
    doc["status"] = "void";
    txn.put(next_version_write(kBills, *bill, previous, doc, now, origin));
  }
  return std::nullopt;
}

}  // namespace

std::span<const std::string_view> order_channels(Projection projection) {
  static constexpr std::string_view kWeb[] = {"web"};
  static constexpr std::string_view kPartner[] = {"partner"};
  static constexpr std::string_view kStaff[] = {"pos", "web", "api"};
  static constexpr std::string_view kService[] = {"api"};
  static constexpr std::string_view kAdmin[] = {"api", "web", "pos", "partner"};
  switch (projection) {
    case Projection::public_:
    case Projection::retail:
      return kWeb;
    case Projection::partner:
      return kPartner;
    case Projection::staff:
      return kStaff;
    case Projection::service:
      return kService;
    case Projection::admin:
      break;
  }
  return kAdmin;
}

Result<OrderRequest> decode_order(const json::object& body, const Principal& who) {
  auto items = decode_checkout(body, {"customer_id", "channel"});
  Errors errors;
  MemberReader r(body, "", errors);
  OrderRequest out;
  r.id("customer_id", out.customer_id);
  const auto channels = order_channels(who.projection());
  std::size_t channel = 0;
  out.channel = r.one_of("channel", kOrderChannels, channel) ? std::string(kOrderChannels[channel])
                                                             : std::string(channels.front());
  if (!items) {
    for (const auto& e : errors.list()) items.problem().errors.push_back(e);
    return items.problem();
  }
  if (!errors.empty()) return errors.problem();
  out.items = std::move(*items);
  if (std::find(channels.begin(), channels.end(), out.channel) == channels.end()) {
    std::string allowed;
    for (auto c : channels) allowed += (allowed.empty() ? "" : ", ") + std::string(c);
    const std::string caller = who.role == Role::customer
                                   ? std::string(to_string(who.kind)) + " customer"
                                   : std::string(to_string(who.role));
    return Problem::forbidden("a " + caller + " token places orders on channel " + allowed + " only, not '" +
                              out.channel + "'");
  }
  if (who.role == Role::public_ && out.customer_id)
    return Problem::forbidden("a public token places guest orders only: send no customer_id");
  if (who.role == Role::customer) {
    if (out.customer_id && *out.customer_id != who.customer_id)
      return Problem::forbidden("a customer token orders for its own customer only");
    out.customer_id = who.customer_id;
  }
  return out;
}

Result<json::object> OrderService::validate(const Principal& who,
                                            const std::vector<CheckoutItem>& items) {
  ProductSnapshot products(store_, who.tenant);
  const auto corrections =
      check_items(items, [&](std::string_view id) { return products.find(id); }, now_ms());
  if (!corrections.empty()) return checkout_problem(corrections);
  return json::object{{"ok", true}, {"total", checkout_total(items)}, {"currency", who.currency}};
}

Result<json::object> OrderService::transition(const Principal& who, const TransitionRequest& req) {
  return write_answer(store_, req.idempotency, [&](WriteTxn& txn, std::optional<json::object>& out)
                                                  -> std::optional<Problem> {
    const auto order = txn.get(who.tenant, "orders", req.order_id);
    if (!order || order->deleted)
      return Problem::not_found("orders '" + req.order_id + "' does not exist");
    if (req.if_match && *req.if_match != order->version)
      return version_mismatch(*order, kOrders, who.projection(), *req.if_match);
    const auto previous = json::parse(order->data).as_object();
    const std::string from(previous.at("status").as_string());
    if (!order_transition_allowed(from, req.to)) return invalid_transition(from, req.to);

    const Millis now = now_ms();
    json::object doc = previous;
    doc["status"] = req.to;
    doc["status_history"].as_array().push_back(history_entry(req.to, now, who.actor));
    auto canonical = kOrders.normalize(doc, &previous, {now, who.currency});
    if (!canonical) return canonical.problem();
    auto write = next_version_write(kOrders, *order, previous, *canonical, now, req.origin);
    txn.put(write);

    if (req.to == "cancelled") {
      ProductEdits products(txn, who.tenant);
      for (const auto& line : previous.at("items").as_array()) {
        const auto& item = line.as_object();
        const std::string product_id(item.at("product_id").as_string());
        const std::string variant_id(item.at("variant_id").as_string());
        LoadedProduct* p = products.load(product_id);
        if (!p || !p->current.track_inventory) continue;
        const Variant* v = find_variant(p->current, variant_id);
        if (!v) continue;  // the variant is gone: nothing to put back
        products.set_stock(*p, variant_id, v->stock + item.at("qty").as_int64());
      }
      const LedgerContext ledger{"cancel", "order cancelled", req.order_id, who.actor, req.origin,
                                 now};
      if (auto p = products.commit(who, ledger)) return p;
      if (auto p = void_bill(txn, who, req.order_id, now, req.origin)) return p;
    }
    out = render_document(*canonical, write.record, kOrders, who.projection());
    return std::nullopt;
  });
}

}  // namespace shelfsync
