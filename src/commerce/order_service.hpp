#pragma once
// Checkout and orders (SPEC §5). Orders are placed in the store's single
// writer: each re-checks every item against the products as the orders
// before it left them, then cuts stock, writes the ledger, the order, its
// bill and the alerts — or writes nothing but the kept 409 answer. Because
// the writer runs one WriteFn at a time, no two orders can both take the
// last unit.
//
// Orders that arrive while the writer is busy are combined: the first one
// queues a WriteFn, and whatever has queued by the time the writer runs it
// is placed in it, one after the other. A hot product is then loaded once
// and written once per writer job (one new version carrying every order's
// stock cut; each order still gets its own movement with its stock_after),
// instead of once per order.
//
// Thread-safe; every call but place_async blocks on the store: call them
// from worker threads.

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/tokens.hpp"
#include "catalog/idempotency.hpp"
#include "domain/checkout.hpp"
#include "domain/problem.hpp"
#include "store/store.hpp"
#include "util/mutex.hpp"

namespace shelfsync {

struct OrderRequest {
  std::vector<CheckoutItem> items;
  std::optional<std::string> customer_id;
  std::string channel;          // web | pos | partner | api
  std::string idempotency_key;  // may be empty only for internal callers
  std::string fingerprint;
  std::string origin;  // X-Client-Id
};

struct TransitionRequest {
  std::string order_id;
  std::string to;  // confirmed | fulfilled | cancelled
  std::optional<std::int64_t> if_match;
  std::string origin;
  IdempotentRequest* idempotency = nullptr;  // the POST's Idempotency-Key, if any
};

class OrderService {
 public:
  explicit OrderService(Store& store);
  ~OrderService();

  // {ok: true, total, currency} or the 409 checkout_corrections Problem.
  Result<boost::json::object> validate(const Principal& who, const std::vector<CheckoutItem>& items);

  // 201 with the order or 409 with corrections (both kept for the key); a
  // Problem for what changes nothing and is not kept (422 unknown customer,
  // 422 idempotency_key_reused, 503).
  Result<CommerceAnswer> place(const Principal& who, const OrderRequest& request);
  // The same without waiting: `done` gets the answer on the store's writer
  // thread once the order's job is durable (or failed). It must not block.
  using PlaceDone = std::function<void(Result<CommerceAnswer>)>;
  void place_async(Principal who, OrderRequest request, PlaceDone done) EXCLUDES(queue_mu_);

  // Confirm, fulfil or cancel; cancel restocks and voids the order's bill
  // (which keeps its payments: refund_due).
  Result<boost::json::object> transition(const Principal& who, const TransitionRequest& request);

 private:
  struct Queued;
  // Submits one WriteFn that places the queued orders (up to a bound); its
  // completion answers them and submits the next one if more queued.
  void submit_job() EXCLUDES(queue_mu_);

  Store& store_;
  Mutex queue_mu_;
  std::vector<std::unique_ptr<Queued>> queue_ GUARDED_BY(queue_mu_);
  bool job_submitted_ GUARDED_BY(queue_mu_) = false;  // a WriteFn will take the queue
};

// Decodes `{items, customer_id?, channel?}` for `who` (SPEC §3): a customer
// orders only for itself, the public role only as a guest (403 otherwise);
// 422 naming every bad member. Leaves key, fingerprint and origin empty.
Result<OrderRequest> decode_order_request(const boost::json::object& body, const Principal& who);

// The channels a caller places orders on (SPEC §2), the default first:
// public and retail customers `web`, partners `partner`, staff
// `pos`/`web`/`api`, service `api`, admin any. Another channel is a 403.
std::span<const std::string_view> order_channels(Projection projection);

}  // namespace shelfsync
