#include "commerce/order_service.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>

#include "catalog/record_service.hpp"
#include "catalog/record_writes.hpp"
#include "commerce/product_edits.hpp"
#include "commerce/stored_document.hpp"
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
                                 const NormalizeContext& ctx, const std::string& origin) {
  for (const auto& bill_id : txn.find_ids(who.tenant, "bills", "order_id", order_id, 10)) {
    auto record = txn.get(who.tenant, "bills", bill_id);
    if (!record || record->deleted) continue;
    auto bill = decode_stored(std::move(*record), decode_bill, ctx);
    if (!bill) return bill.problem();
    if (bill->value.voided) continue;
    bill->value.voided = true;
    txn.put(next_version_write(kBills, bill->record, bill->json, encode_bill(bill->value), ctx.now, origin));
  }
  return std::nullopt;
}

// Puts back the units of every line whose tracked variant still exists.
void restock(ProductEdits& products, const Order& order) {
  for (const OrderLine& line : order.items) {
    LoadedProduct* p = products.load(line.product_id);
    if (!p || !p->current.track_inventory) continue;
    const Variant* v = find_variant(p->current, line.variant_id);
    if (!v) continue;  // the variant is gone: nothing to put back
    products.set_stock(*p, line.variant_id, v->stock + line.qty);
  }
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

Result<OrderRequest> decode_order_request(const json::object& body, const Principal& who) {
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
    const std::string caller =
        who.role == Role::customer ? std::string(to_string(who.kind)) + " customer" : std::string(to_string(who.role));
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

Result<json::object> OrderService::validate(const Principal& who, const std::vector<CheckoutItem>& items) {
  ProductSnapshot products(store_, who.tenant);
  const auto corrections = check_items(
      items, [&](std::string_view id) { return products.find(id); }, now_ms());
  if (!corrections.empty()) return checkout_problem(corrections);
  return json::object{{"ok", true}, {"total", checkout_total(items)}, {"currency", who.currency}};
}

Result<json::object> OrderService::transition(const Principal& who, const TransitionRequest& req) {
  return write_answer(
      store_, req.idempotency, [&](WriteTxn& txn, std::optional<json::object>& out) -> std::optional<Problem> {
        auto record = txn.get(who.tenant, "orders", req.order_id);
        if (!record || record->deleted) return Problem::not_found("orders '" + req.order_id + "' does not exist");
        if (req.if_match && *req.if_match != record->version)
          return version_mismatch(*record, kOrders, who.projection(), *req.if_match);
        const NormalizeContext ctx{now_ms(), who.currency};
        auto stored = decode_stored(std::move(*record), decode_order, ctx);
        if (!stored) return stored.problem();
        const json::object& previous = stored->json;
        Order& order = stored->value;
        const auto to = parse_order_status(req.to);
        if (!to || !order_transition_allowed(order.status, *to))
          return invalid_transition(to_string(order.status), req.to);

        order.set_status(*to, ctx.now, actor_or_system(who.actor));
        auto canonical = kOrders.normalize(encode_order(order), &previous, ctx);
        if (!canonical) return canonical.problem();
        auto write = next_version_write(kOrders, stored->record, previous, *canonical, ctx.now, req.origin);
        txn.put(write);

        if (*to == OrderStatus::cancelled) {
          ProductEdits products(txn, who.tenant);
          restock(products, order);
          const LedgerContext ledger{"cancel", "order cancelled", req.order_id, who.actor, req.origin, ctx.now};
          if (auto p = products.commit(who, ledger)) return p;
          if (auto p = void_bill(txn, who, req.order_id, ctx, req.origin)) return p;
        }
        out = render_document(*canonical, write.record, kOrders, who.projection());
        return std::nullopt;
      });
}

}  // namespace shelfsync
