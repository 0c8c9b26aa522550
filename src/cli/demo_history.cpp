// Plays the plan of demo_history_plan.cpp through the order, bill and stock
// services, one event at a time at its own (back-dated) time.

#include "cli/demo_history.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>

#include "cli/demo_history_plan.hpp"
#include "cli/demo_rng.hpp"
#include "commerce/bill_service.hpp"
#include "commerce/order_service.hpp"
#include "commerce/stock_service.hpp"
#include "domain/pricing.hpp"

namespace shelfsync {

namespace json = boost::json;
using demo::Buyer;
using demo::EventKind;
using demo::HistoryEvent;

namespace {

constexpr const char* kOrigin = "demo";
constexpr std::size_t kPageSize = 1000;

// The server's clock reads `at` from now on (until the next call).
void set_clock_to(Millis at) { set_clock_offset(at - (now_ms() - clock_offset())); }

std::optional<json::object> read_doc(Store& store, const std::string& tenant, const std::string& entity,
                                     const std::string& id) {
  const auto record = store.get(tenant, entity, id);
  if (!record || record->deleted) return std::nullopt;
  auto doc = json::parse(record->data);
  if (!doc.is_object()) return std::nullopt;
  return std::move(doc.as_object());
}

class Player {
 public:
  Player(Store& store, const DemoActors& actors, std::uint64_t seed, const demo::HistoryPlan& plan)
      : store_(store),
        actors_(actors),
        tenant_(actors.admin.tenant),
        rng_(seed),
        plan_(plan),
        orders_(store),
        bills_(store),
        stock_(store),
        order_ids_(plan.orders.size()),
        order_bills_(plan.orders.size()),
        manual_bills_(plan.bills.size()) {
    load_product_ids();
  }

  HistoryCounts play() {
    for (const HistoryEvent& e : plan_.events) {
      set_clock_to(e.at);
      play(e);
    }
    return counts_;
  }

 private:
  void play(const HistoryEvent& e) {
    switch (e.kind) {
      case EventKind::place:
        return place(e.order);
      case EventKind::confirm:
        return transition(e.order, "confirmed");
      case EventKind::fulfill:
        return transition(e.order, "fulfilled");
      case EventKind::cancel:
        return transition(e.order, "cancelled");
      case EventKind::pay_order:
        return pay(order_bills_[e.order], e.permille, plan_.orders[e.order].buyer);
      case EventKind::manual_bill:
        return invoice(e.bill);
      case EventKind::pay_bill:
        return pay(manual_bills_[e.bill], e.permille, Buyer::partner);
      case EventKind::purchase:
        return deliver();
      case EventKind::adjustment:
        return correct_count();
    }
  }

  void load_product_ids() {
    ListQuery query{tenant_, "products", {}, "", "", kPageSize};
    do {
      auto page = store_.list(query);
      for (const auto& r : page.records)
        if (!r.deleted) product_ids_.push_back(r.id);
      query.after_id = page.next_after_id;
    } while (!query.after_id.empty());
  }

  std::optional<Product> product(const std::string& id) {
    auto doc = read_doc(store_, tenant_, "products", id);
    if (!doc) return std::nullopt;
    return read_pricing_fields(*doc);
  }

  static bool limited(const Product& p) { return p.track_inventory && !p.allow_backorder; }

  // A cart of up to `lines` lines at today's prices that the stock allows.
  std::vector<CheckoutItem> cart(int lines, bool partner) {
    std::vector<CheckoutItem> items;
    if (product_ids_.empty()) return items;
    for (int line = 0; line < lines; ++line) {
      for (int attempt = 0; attempt < 8; ++attempt) {
        const std::string& id = rng_.pick(product_ids_);
        const auto p = product(id);
        if (!p || p->status != ProductStatus::active || p->variants.empty()) continue;
        const Variant& v = p->variants[rng_.next() % p->variants.size()];
        const bool taken =
            std::any_of(items.begin(), items.end(), [&](const CheckoutItem& i) { return i.variant_id == v.id; });
        if (!v.available || taken) continue;
        std::int64_t qty = partner ? rng_.range(3, 12) : (rng_.percent(80) ? 1 : rng_.range(2, 3));
        if (limited(*p)) qty = std::min(qty, v.stock);
        if (qty < 1) continue;
        items.push_back({id, v.id, qty, price_now(*p, v, now_ms())});
        break;
      }
    }
    return items;
  }

  const Principal& buyer(const demo::PlannedOrder& o) const {
    switch (o.buyer) {
      case Buyer::guest_web:
        return actors_.public_;
      case Buyer::till:
        return actors_.staff;
      case Buyer::system:
        return actors_.service;
      case Buyer::retail:
      case Buyer::partner:
        break;
    }
    return actors_.customers.at(static_cast<std::size_t>(o.customer));
  }

  void place(int index) {
    const demo::PlannedOrder& planned = plan_.orders[index];
    const Principal& who = buyer(planned);
    OrderRequest request;
    request.items = cart(planned.lines, planned.buyer == Buyer::partner);
    if (request.items.empty()) {
      ++counts_.refused;
      return;
    }
    // Each on its default channel (SPEC §2): a partner on `partner`.
    request.channel = std::string(order_channels(who.projection()).front());
    if (who.role == Role::customer) request.customer_id = who.customer_id;
    request.origin = kOrigin;
    auto answer = orders_.place(who, request);
    // A sale that sold out meanwhile (409) or the like: the shopper left.
    if (!answer || answer->status != 201) {
      ++counts_.refused;
      return;
    }
    ++counts_.orders;
    const auto order = json::parse(answer->body).as_object();
    order_ids_[index] = std::string(order.at("id").as_string());
    if (!request.customer_id) return;
    ListQuery query{tenant_, "bills", {{"order_id", order_ids_[index]}}, "", "", 1};
    auto bill = store_.list(query);
    if (!bill.records.empty()) order_bills_[index] = bill.records.front().id;
  }

  void transition(int index, const char* to) {
    if (order_ids_[index].empty()) return;
    // The till's own orders are handled by the till; the rest by the office.
    const Principal& who = plan_.orders[index].buyer == Buyer::till ? actors_.staff : actors_.admin;
    if (orders_.transition(who, {order_ids_[index], to, std::nullopt, kOrigin, nullptr})) ++counts_.transitions;
  }

  // Pays `permille` of what is open on the bill: by card for a shopper
  // (taken by the payment system), by bank transfer for a partner.
  void pay(const std::string& bill_id, int permille, Buyer payer) {
    if (bill_id.empty()) return;
    const auto doc = read_doc(store_, tenant_, "bills", bill_id);
    if (!doc) return;
    const auto bill = decode_bill(*doc, {now_ms(), actors_.admin.currency});
    if (!bill || bill->voided) return;
    const std::int64_t open = bill->open_amount();
    if (open <= 0) return;
    const std::int64_t amount = std::max<std::int64_t>(1, open * permille / 1000);
    const bool partner = payer == Buyer::partner;
    const Payment payment{amount, partner ? PaymentMethod::transfer : PaymentMethod::card,
                          partner ? "TRF-" + std::to_string(rng_.range(100000, 999999)) : ""};
    const Principal& who = partner ? actors_.admin : actors_.service;
    if (bills_.pay(who, bill_id, payment, {std::nullopt, kOrigin, nullptr})) ++counts_.payments;
  }

  void invoice(int index) {
    const demo::PlannedBill& planned = plan_.bills[index];
    const auto& customer = actors_.customers.at(static_cast<std::size_t>(planned.customer));
    const ManualBill bill{customer.customer_id, planned.amount, planned.due_at, "Monthly display and delivery fees"};
    auto created = bills_.create(actors_.admin, bill, {std::nullopt, kOrigin, nullptr});
    if (!created) return;
    manual_bills_[index] = std::string(created->at("id").as_string());
    ++counts_.bills;
  }

  struct Level {
    std::string variant_id;
    std::int64_t stock;
    std::int64_t threshold;
  };

  // Every tracked variant of an active product and its stock.
  std::vector<Level> tracked_levels() {
    std::vector<Level> out;
    for (const auto& id : product_ids_) {
      const auto p = product(id);
      if (!p || p->status != ProductStatus::active || !p->track_inventory) continue;
      for (const Variant& v : p->variants) out.push_back({v.id, v.stock, p->low_stock_threshold});
    }
    return out;
  }

  bool adjust(const std::string& variant_id, std::int64_t delta, const char* reason, const char* note) {
    StockAdjustment a;
    a.variant_id = variant_id;
    a.delta = delta;
    a.reason = reason;
    a.note = note;
    a.origin = kOrigin;
    // 409 insufficient_stock: the count was wrong the other way; skip it.
    const bool done = static_cast<bool>(stock_.adjust(actors_.staff, a, nullptr));
    counts_.stock_changes += done ? 1 : 0;
    return done;
  }

  // A supplier delivery restocks the lowest variants (and a few others).
  void deliver() {
    auto levels = tracked_levels();
    if (levels.empty()) return;
    std::stable_sort(levels.begin(), levels.end(), [](const Level& a, const Level& b) { return a.stock < b.stock; });
    std::size_t low = 0;
    while (low < levels.size() && low < 6 && levels[low].stock <= levels[low].threshold) ++low;
    for (std::size_t i = 0; i < low; ++i)
      adjust(levels[i].variant_id, rng_.range(12, 40), "purchase", "Supplier delivery");
    for (int extra = 0; extra < 2; ++extra)
      adjust(rng_.pick(levels).variant_id, rng_.range(6, 24), "purchase", "Supplier delivery");
  }

  // The evening count finds a unit damaged, or one more or fewer than the
  // books say.
  void correct_count() {
    const auto levels = tracked_levels();
    if (levels.empty()) return;
    const Level& l = rng_.pick(levels);
    switch (rng_.range(0, 2)) {
      case 0:
        adjust(l.variant_id, -1, "adjustment", "Damaged in store");
        break;
      case 1:
        adjust(l.variant_id, -rng_.range(1, 2), "adjustment", "Stock count correction");
        break;
      default:
        adjust(l.variant_id, 1, "adjustment", "Stock count correction");
    }
  }

  Store& store_;
  const DemoActors& actors_;
  std::string tenant_;
  demo::Rng rng_;
  const demo::HistoryPlan& plan_;
  OrderService orders_;
  BillService bills_;
  StockService stock_;
  std::vector<std::string> product_ids_;
  std::vector<std::string> order_ids_;     // per planned order; empty: not placed
  std::vector<std::string> order_bills_;   // per planned order; empty: no bill
  std::vector<std::string> manual_bills_;  // per planned bill
  HistoryCounts counts_;
};

}  // namespace

bool has_history(Store& store, const std::string& tenant) {
  return !store.list({tenant, "orders", {}, "", "", 1}).records.empty();
}

HistoryCounts write_demo_history(Store& store, const DemoActors& actors, std::uint64_t seed, Millis now) {
  std::vector<bool> partners;
  for (const auto& c : demo_customers()) partners.push_back(c.at("kind") == "partner");
  const auto plan = demo::plan_history(seed, now, partners);
  BackDated reset(0);  // the clock reads the real time again however this ends
  return Player(store, actors, seed ^ 0x5EED, plan).play();
}

}  // namespace shelfsync
