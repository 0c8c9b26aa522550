// Webhooks (SPEC §8), admin only: POST/GET /api/webhooks,
// GET/PATCH/DELETE /api/webhooks/{id}, POST /api/webhooks/{id}/replay,
// GET /api/webhooks/{id}/deliveries. integrations/webhook_service.hpp does the work.

#include <boost/json/object.hpp>

#include "domain/json_util.hpp"
#include "http/api.hpp"
#include "http/handlers/common.hpp"
#include "http/problem_response.hpp"
#include "integrations/webhook_service.hpp"
#include "integrations/webhook_settings.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

constexpr std::size_t kDefaultAttempts = 50;

// The caller, checked: authenticated, webhooks served, the id well-formed.
Result<Principal> caller(const Request& req, ApiContext& ctx) {
  if (!ctx.webhooks) return Problem::not_found("webhooks are not served here");
  auto who = authenticate_request(req, ctx);
  if (!who) return who.problem();
  if (!req.params.empty())
    if (auto p = check_id(req.params[0])) return *p;
  return who;
}

Response hook_response(int status, const json::object& hook) {
  auto r = Response::json(status, hook);
  r.set_header("ETag", "\"" + std::to_string(hook.at("version").as_int64()) + "\"");
  r.set_header("Cache-Control", "no-store");
  return r;
}

Result<json::object> json_body(const Request& req, bool merge_patch) {
  if (auto p = require_json(req, merge_patch)) return *p;
  return parse_json_object(req.body);
}

Response create(Request& req, ApiContext& ctx) {
  auto who = caller(req, ctx);
  if (!who) return problem_response(who.problem());
  auto body = json_body(req, false);
  if (!body) return problem_response(body.problem());
  auto idempotency = idempotency_of(req, *who, 201);
  if (!idempotency) return problem_response(idempotency.problem());
  auto hook = ctx.webhooks->create(*who, *body, &*idempotency);
  if (!hook) return problem_response(hook.problem());
  auto r = hook_response(201, *hook);
  r.set_header("Location", "/api/webhooks/" + std::string(hook->at("id").as_string()));
  mark_replayed(r, *idempotency);
  return r;
}

Response list(Request& req, ApiContext& ctx) {
  auto who = caller(req, ctx);
  if (!who) return problem_response(who.problem());
  for (const auto& [key, value] : req.query)
    if (key != "access_token")
      return problem_response(Problem::of(ErrorCode::bad_query, "unknown query parameter '" + key.substr(0, 60) + "'"));
  auto hooks = ctx.webhooks->list(*who);
  if (!hooks) return problem_response(hooks.problem());
  auto r = Response::json(200, json::object{{"data", std::move(*hooks)}});
  r.set_header("Cache-Control", "no-store");
  return r;
}

Response get(Request& req, ApiContext& ctx) {
  auto who = caller(req, ctx);
  if (!who) return problem_response(who.problem());
  auto hook = ctx.webhooks->get(*who, req.params[0]);
  if (!hook) return problem_response(hook.problem());
  return hook_response(200, render_webhook(*hook));
}

Response patch(Request& req, ApiContext& ctx) {
  auto who = caller(req, ctx);
  if (!who) return problem_response(who.problem());
  auto if_match = parse_if_match(req);
  if (!if_match) return problem_response(if_match.problem());
  auto body = json_body(req, true);
  if (!body) return problem_response(body.problem());
  auto hook = ctx.webhooks->patch(*who, req.params[0], *body, *if_match);
  if (!hook) return problem_response(hook.problem());
  return hook_response(200, *hook);
}

Response remove(Request& req, ApiContext& ctx) {
  auto who = caller(req, ctx);
  if (!who) return problem_response(who.problem());
  auto if_match = parse_if_match(req);
  if (!if_match) return problem_response(if_match.problem());
  if (auto p = ctx.webhooks->remove(*who, req.params[0], *if_match)) return problem_response(*p);
  return Response::empty(204);
}

Response replay(Request& req, ApiContext& ctx) {
  auto who = caller(req, ctx);
  if (!who) return problem_response(who.problem());
  auto body = json_body(req, false);
  if (!body) return problem_response(body.problem());
  auto idempotency = idempotency_of(req, *who, 200);
  if (!idempotency) return problem_response(idempotency.problem());
  auto hook = ctx.webhooks->replay(*who, req.params[0], *body, &*idempotency);
  if (!hook) return problem_response(hook.problem());
  auto r = hook_response(200, *hook);
  mark_replayed(r, *idempotency);
  return r;
}

Response deliveries(Request& req, ApiContext& ctx) {
  auto who = caller(req, ctx);
  if (!who) return problem_response(who.problem());
  std::size_t limit = kDefaultAttempts;
  for (const auto& [key, value] : req.query) {
    if (key == "access_token") continue;
    if (key != "limit" || value.empty() || value.size() > 3 ||
        value.find_first_not_of("0123456789") != std::string::npos || std::stoul(value) < 1 || std::stoul(value) > 100)
      return problem_response(Problem::of(ErrorCode::bad_query, "deliveries take only limit, an integer 1–100"));
    limit = std::stoul(value);
  }
  auto attempts = ctx.webhooks->attempts(*who, req.params[0], limit);
  if (!attempts) return problem_response(attempts.problem());
  auto r = Response::json(200, json::object{{"data", std::move(*attempts)}});
  r.set_header("Cache-Control", "no-store");
  return r;
}

}  // namespace

void add_webhook_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/webhooks", [&ctx](Request& r) { return create(r, ctx); });
  router.add("GET", "/api/webhooks", [&ctx](Request& r) { return list(r, ctx); });
  router.add("GET", "/api/webhooks/{id}", [&ctx](Request& r) { return get(r, ctx); });
  router.add("PATCH", "/api/webhooks/{id}", [&ctx](Request& r) { return patch(r, ctx); });
  router.add("DELETE", "/api/webhooks/{id}", [&ctx](Request& r) { return remove(r, ctx); });
  router.add("POST", "/api/webhooks/{id}/replay", [&ctx](Request& r) { return replay(r, ctx); });
  router.add("GET", "/api/webhooks/{id}/deliveries", [&ctx](Request& r) { return deliveries(r, ctx); });
}

}  // namespace shelfsync
