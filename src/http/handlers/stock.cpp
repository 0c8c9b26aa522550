// POST /api/stock/adjust and POST /api/stock/sync (SPEC §4).

#include <boost/json/serialize.hpp>

#include "commerce/stock_service.hpp"
#include "http/handlers/commerce_common.hpp"
#include "http/handlers/common.hpp"
#include "http/problem_response.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

Response adjust(Request& req, ApiContext& ctx) {
  auto who = authenticate_request(req, ctx);
  if (!who) return problem_response(who.problem());
  if (!is_back_office(who->role))
    return problem_response(forbidden("only admin, staff and service tokens adjust stock"));
  const std::string key(req.header("idempotency-key"));
  if (auto p = check_idempotency_key(key, true)) return problem_response(*p);
  auto body = json_body(req);
  if (!body) return problem_response(body.problem());
  auto adjustment = decode_stock_adjustment(*body);
  if (!adjustment) return problem_response(adjustment.problem());
  adjustment->idempotency_key = key;
  adjustment->fingerprint = request_fingerprint("POST /api/stock/adjust", *who, json::serialize(*body));
  adjustment->origin = mutation_meta(req, std::nullopt).origin;
  auto answer = ctx.stock.adjust(*who, *adjustment);
  if (!answer) return problem_response(answer.problem());
  return answer_response(*answer);
}

Response sync(Request& req, ApiContext& ctx) {
  auto who = authenticate_request(req, ctx);
  if (!who) return problem_response(who.problem());
  if (who->role != Role::admin && who->role != Role::service)
    return problem_response(forbidden("only admin and service tokens sync stock levels"));
  auto body = json_body(req);
  if (!body) return problem_response(body.problem());
  auto levels = decode_stock_levels(*body);
  if (!levels) return problem_response(levels.problem());
  auto result = ctx.stock.sync(*who, *levels, mutation_meta(req, std::nullopt).origin);
  if (!result) return problem_response(result.problem());
  auto r = Response::json(200, *result);
  r.set_header("Cache-Control", "no-store");
  return r;
}

}  // namespace

void add_stock_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/stock/adjust", [&ctx](Request& r) { return adjust(r, ctx); });
  router.add("POST", "/api/stock/sync", [&ctx](Request& r) { return sync(r, ctx); });
}

}  // namespace shelfsync
