// Placing orders (OrderService::place): the orders queued while the writer
// is busy are placed in one WriteFn, one after the other (see the header).

#include <future>
#include <iterator>
#include <map>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "catalog/record_service.hpp"
#include "catalog/record_writes.hpp"
#include "commerce/order_service.hpp"
#include "commerce/product_edits.hpp"
#include "domain/commerce_collections.hpp"
#include "domain/ids.hpp"
#include "domain/pricing.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

const OrderCollection kOrders;
const BillCollection kBills;
const AlertCollection kAlerts;

// At most this many orders in one WriteFn, so one job never holds the
// writer (and its callers) for long; the rest go in the next one.
constexpr std::size_t kMaxOrdersPerJob = 256;

std::string money(std::int64_t minor, const std::string& currency) {
  const std::int64_t units = minor / 100;
  const std::int64_t cents = minor % 100;
  return std::to_string(units) + "." + (cents < 10 ? "0" : "") + std::to_string(cents) + " " + currency;
}

// The products of each tenant, shared by the orders of one job.
class TenantProducts {
 public:
  explicit TenantProducts(WriteTxn& txn) : txn_(txn) {}
  ProductEdits& of(const std::string& tenant) {
    auto it = edits_.find(tenant);
    if (it == edits_.end()) it = edits_.emplace(tenant, ProductEdits(txn_, tenant)).first;
    return it->second;
  }
  void write_all(Millis now) {
    for (auto& [tenant, edits] : edits_) edits.write_products(now);
  }

 private:
  WriteTxn& txn_;
  std::map<std::string, ProductEdits, std::less<>> edits_;
};

// The Location of a kept 201: the order's path, from its body.
std::string order_location(const std::string& body) {
  boost::system::error_code ec;
  const auto order = json::parse(body, ec);
  if (ec || !order.is_object()) return {};
  const auto* id = order.as_object().if_contains("id");
  return id && id->is_string() ? "/api/orders/" + std::string(id->as_string()) : std::string();
}

// One order, checked against `products` as the orders before it in this
// job left them. Its answer (or a Problem that wrote nothing) goes to
// `out`; a returned Problem is a bug after partial writes and fails the job.
std::optional<Problem> place_one(WriteTxn& txn, ProductEdits& products, const Principal& who, const OrderRequest& req,
                                 std::optional<Result<CommerceAnswer>>& out) {
  if (auto kept = kept_answer(txn, who.tenant, req.idempotency_key, req.fingerprint)) {
    if (*kept && (*kept)->status == 201) (*kept)->location = order_location((*kept)->body);
    out = std::move(*kept);
    return std::nullopt;
  }
  const Millis now = now_ms();
  const auto corrections = check_items(
      req.items,
      [&](std::string_view id) -> const Product* {
        auto* p = products.load(std::string(id));
        return p ? &p->current : nullptr;
      },
      now);
  if (!corrections.empty()) {
    CommerceAnswer answer{409, json::serialize(to_json(checkout_problem(corrections)))};
    keep_answer(txn, who.tenant, req.idempotency_key, req.fingerprint, answer);
    out = std::move(answer);
    return std::nullopt;
  }
  if (req.customer_id) {
    const auto customer = txn.head(who.tenant, "customers", *req.customer_id);
    if (!customer || customer->deleted) {
      out = Problem::validation({{"customer_id", "customer '" + *req.customer_id + "' does not exist"}});
      return std::nullopt;
    }
  }

  const auto channel = parse_order_channel(req.channel);
  if (!channel) {
    out = Problem::internal("an order on the unknown channel '" + req.channel + "'");
    return std::nullopt;
  }
  const std::string order_id = new_id(kOrders.id_prefix());
  Order order;
  order.customer_id = req.customer_id;
  order.channel = *channel;
  order.currency = who.currency;
  for (const CheckoutItem& item : req.items) {
    LoadedProduct& p = *products.load(item.product_id);
    const Variant& variant = *find_variant(p.current, item.variant_id);
    order.items.push_back(
        {item.product_id, item.variant_id, line_title(p.current, variant), item.qty, item.unit_price});
    // Whether the sale counts is decided on the state the items were
    // checked against, so every item of one order is priced alike.
    if (p.before.sale && p.before.sale->stock_limit && on_sale(p.before, now)) products.add_sale_sold(p, item.qty);
    if (p.current.track_inventory) products.set_stock(p, item.variant_id, variant.stock - item.qty);
  }
  const LedgerContext ledger{"sale", "", order_id, who.actor, req.origin, now};
  if (auto p = products.commit_effects(who, ledger)) return p;

  order.number = txn.next_counter(who.tenant, "order_number");
  order.set_status(OrderStatus::placed, now, actor_or_system(who.actor));
  const NormalizeContext ctx{now, who.currency};
  auto order_write = new_internal_record(kOrders, who.tenant, order_id, encode_order(order), ctx, req.origin);
  if (!order_write) return order_write.problem();
  txn.put(*order_write);

  if (req.customer_id) {
    Bill bill;
    bill.number = txn.next_counter(who.tenant, "bill_number");
    bill.customer_id = *req.customer_id;
    bill.order_id = order_id;
    bill.amount = order.total();
    bill.currency = who.currency;
    auto bill_write =
        new_internal_record(kBills, who.tenant, new_id(kBills.id_prefix()), encode_bill(bill), ctx, req.origin);
    if (!bill_write) return bill_write.problem();
    txn.put(*bill_write);
  }
  json::object alert{
      {"kind", "new_order"},
      {"order_id", order_id},
      {"message", "Order #" + std::to_string(order.number) + " placed: " + std::to_string(req.items.size()) +
                      " line(s), " + money(order.total(), who.currency)}};
  auto alert_write = new_internal_record(kAlerts, who.tenant, new_id(kAlerts.id_prefix()), alert, ctx, req.origin);
  if (!alert_write) return alert_write.problem();
  txn.put(*alert_write);

  // The answer is the order as stored.
  const auto stored = json::parse(order_write->record.data).as_object();
  const auto rendered = render_document(stored, order_write->record, kOrders, who.projection());
  CommerceAnswer answer{201, json::serialize(rendered)};
  keep_answer(txn, who.tenant, req.idempotency_key, req.fingerprint, answer);
  answer.location = "/api/orders/" + order_id;
  out = std::move(answer);
  return std::nullopt;
}

}  // namespace

// An order waiting for the WriteFn that places it.
struct OrderService::Queued {
  Principal who;
  OrderRequest req;
  PlaceDone done;
  std::optional<Result<CommerceAnswer>> answer;  // set inside the WriteFn
};

OrderService::OrderService(Store& store) : store_(store) {}
OrderService::~OrderService() = default;

Result<CommerceAnswer> OrderService::place(const Principal& who, const OrderRequest& req) {
  std::promise<Result<CommerceAnswer>> done;
  auto answer = done.get_future();
  place_async(who, req, [&done](Result<CommerceAnswer> a) { done.set_value(std::move(a)); });
  return answer.get();
}

void OrderService::place_async(Principal who, OrderRequest req, PlaceDone done) {
  bool submit = false;
  {
    MutexLock lock(&queue_mu_);
    queue_.push_back(std::make_unique<Queued>(Queued{std::move(who), std::move(req), std::move(done), {}}));
    submit = !job_submitted_;
    job_submitted_ = true;
  }
  // The order that found no job on its way submits one; the others ride on
  // the job that takes them.
  if (submit) submit_job();
}

void OrderService::submit_job() {
  // Filled by the WriteFn when the writer runs it, read by its completion.
  auto taken = std::make_shared<std::vector<std::unique_ptr<Queued>>>();
  auto more = std::make_shared<bool>(false);
  store_.write_async(
      [this, taken, more](WriteTxn& txn) -> std::optional<Problem> {
        {
          MutexLock lock(&queue_mu_);
          // One shop's orders per job (the first queued shop's, in their
          // order): a job then takes one shop's lock (PostgreSQL), and
          // never waits for a second while holding the first.
          const std::string tenant =
              taken->empty() ? (queue_.empty() ? "" : queue_.front()->who.tenant) : taken->front()->who.tenant;
          for (auto it = queue_.begin(); it != queue_.end() && taken->size() < kMaxOrdersPerJob;) {
            if ((*it)->who.tenant != tenant) {
              ++it;
              continue;
            }
            taken->push_back(std::move(*it));
            it = queue_.erase(it);
          }
          *more = !queue_.empty();
          job_submitted_ = *more;  // the rest: this job's completion submits the next
        }
        TenantProducts products(txn);
        for (auto& q : *taken)
          if (auto bug = place_one(txn, products.of(q->who.tenant), q->who, q->req, q->answer)) return bug;
        products.write_all(now_ms());
        return std::nullopt;
      },
      [this, taken, more](std::optional<Problem> failed) {
        if (taken->empty() && failed) {
          // The store refused the job before running it (shutting down): fail
          // whatever it would have taken, or those callers would wait forever.
          MutexLock lock(&queue_mu_);
          taken->swap(queue_);
          job_submitted_ = false;
        }
        // On a failed job nothing of it was applied: every order in it fails alike.
        for (auto& q : *taken) q->done(failed ? Result<CommerceAnswer>(*failed) : std::move(*q->answer));
        if (*more) submit_job();
      });
}

}  // namespace shelfsync
