// POST /api/stock/adjust and POST /api/stock/sync (SPEC §4).

#include "commerce/stock_service.hpp"
#include "http/handlers/commerce_common.hpp"
#include "http/handlers/common.hpp"
#include "http/problem_response.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

Response keyed_answer(const Result<json::object>& answer, const IdempotentRequest& idempotency) {
  if (!answer) return problem_response(answer.problem());
  auto r = Response::json(200, *answer);
  r.set_header("Cache-Control", cache_policy(DataKind::private_data));
  mark_replayed(r, idempotency);
  return r;
}

Response adjust(Request& req, ApiContext& ctx) {
  auto who = authenticate_request(req, ctx);
  if (!who) return problem_response(who.problem());
  if (!is_back_office(who->role))
    return problem_response(Problem::forbidden("only admin, staff and service tokens adjust stock"));
  auto idempotency = idempotency_of(req, *who, 200);
  if (!idempotency) return problem_response(idempotency.problem());
  auto body = json_body(req);
  if (!body) return problem_response(body.problem());
  auto adjustment = decode_stock_adjustment(*body);
  if (!adjustment) return problem_response(adjustment.problem());
  adjustment->origin = mutation_meta(req, std::nullopt).origin;
  return keyed_answer(ctx.stock.adjust(*who, *adjustment, &*idempotency), *idempotency);
}

Response sync(Request& req, ApiContext& ctx) {
  auto who = authenticate_request(req, ctx);
  if (!who) return problem_response(who.problem());
  if (who->role != Role::admin && who->role != Role::service)
    return problem_response(Problem::forbidden("only admin and service tokens sync stock levels"));
  auto idempotency = idempotency_of(req, *who, 200);
  if (!idempotency) return problem_response(idempotency.problem());
  auto body = json_body(req);
  if (!body) return problem_response(body.problem());
  auto levels = decode_stock_levels(*body);
  if (!levels) return problem_response(levels.problem());
  return keyed_answer(ctx.stock.sync(*who, *levels, mutation_meta(req, std::nullopt).origin, &*idempotency),
                      *idempotency);
}

}  // namespace

void add_stock_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/stock/adjust", [&ctx](Request& r) { return adjust(r, ctx); });
  router.add("POST", "/api/stock/sync", [&ctx](Request& r) { return sync(r, ctx); });
}

}  // namespace shelfsync
