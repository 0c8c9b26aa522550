// POST /api/checkout/validate, POST /api/orders, POST /api/orders/{id}/
// confirm|fulfill|cancel (SPEC §5).

#include "commerce/order_service.hpp"
#include "domain/json_util.hpp"
#include "http/handlers/commerce_common.hpp"
#include "http/handlers/common.hpp"
#include "http/problem_response.hpp"

namespace shelfsync {
namespace {

Response validate(Request& req, ApiContext& ctx) {
  auto who = authenticate_request(req, ctx);
  if (!who) return problem_response(who.problem());
  // A read: a key is checked like on every POST, but there is nothing to keep.
  if (auto p = check_idempotency_key(req.header("idempotency-key"), false)) return problem_response(*p);
  auto body = json_body(req);
  if (!body) return problem_response(body.problem());
  auto items = decode_checkout(*body);
  if (!items) return problem_response(items.problem());
  auto answer = ctx.orders.validate(*who, *items);
  if (!answer) return problem_response(answer.problem());
  auto r = Response::json(200, *answer);
  r.set_header("Cache-Control", cache_policy(DataKind::private_data));
  return r;
}

Response place(Request& req, ApiContext& ctx) {
  auto who = authenticate_request(req, ctx);
  if (!who) return problem_response(who.problem());
  auto idempotency = idempotency_of(req, *who, 201, true);
  if (!idempotency) return problem_response(idempotency.problem());
  auto body = json_body(req);
  if (!body) return problem_response(body.problem());
  auto order = decode_order_request(*body, *who);
  if (!order) return problem_response(order.problem());
  order->idempotency_key = idempotency->key;
  order->fingerprint = idempotency->fingerprint;
  order->origin = mutation_meta(req, std::nullopt).origin;
  // Answered from the writer's completion: no worker sleeps on the commit.
  Response later;
  later.deferred = [&ctx, who = std::move(*who), order = std::move(*order)](const Respond& respond) mutable {
    ctx.orders.place_async(std::move(who), std::move(order), [respond](Result<CommerceAnswer> answer) {
      if (!answer) return respond(problem_response(answer.problem()));
      auto r = answer_response(*answer);
      if (!answer->location.empty()) r.set_header("Location", answer->location);
      respond(std::move(r));
    });
  };
  return later;
}

Response transition(Request& req, ApiContext& ctx, std::string to) {
  auto who = authenticate_request(req, ctx);
  if (!who) return problem_response(who.problem());
  if (!is_back_office(who->role))
    return problem_response(Problem::forbidden("only admin, staff and service tokens change an order's status"));
  if (auto p = check_id(req.params[0])) return problem_response(*p);
  auto if_match = parse_if_match(req);
  if (!if_match) return problem_response(if_match.problem());
  auto idempotency = idempotency_of(req, *who, 200);
  if (!idempotency) return problem_response(idempotency.problem());
  TransitionRequest t{req.params[0], std::move(to), *if_match, mutation_meta(req, std::nullopt).origin, &*idempotency};
  auto order = ctx.orders.transition(*who, t);
  if (!order) return problem_response(order.problem());
  auto r = record_response(req, 200, *order, *find_collection("orders"));
  mark_replayed(r, *idempotency);
  return r;
}

}  // namespace

void add_commerce_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/checkout/validate", [&ctx](Request& r) { return validate(r, ctx); });
  router.add("POST", "/api/orders", [&ctx](Request& r) { return place(r, ctx); });
  router.add("POST", "/api/orders/{id}/confirm", [&ctx](Request& r) { return transition(r, ctx, "confirmed"); });
  router.add("POST", "/api/orders/{id}/fulfill", [&ctx](Request& r) { return transition(r, ctx, "fulfilled"); });
  router.add("POST", "/api/orders/{id}/cancel", [&ctx](Request& r) { return transition(r, ctx, "cancelled"); });
}

}  // namespace shelfsync
