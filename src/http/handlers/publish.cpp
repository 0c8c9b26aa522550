// Publish topics (SPEC §8): PUT /api/topics/{name} and GET /api/topics
// (admin), POST /api/publish (service, admin). integrations/publish_service.hpp
// does the work; readers take a topic like a collection (/api/live,
// /api/stream, /api/sync, webhooks).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "domain/json_util.hpp"
#include "http/api.hpp"
#include "http/handlers/common.hpp"
#include "http/problem_response.hpp"
#include "integrations/publish_service.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

Result<Principal> caller(const Request& req, ApiContext& ctx) {
  if (!ctx.publish) return Problem::not_found("publish topics are not served here");
  return authenticate_request(req, ctx);
}

Response declare(Request& req, ApiContext& ctx) {
  auto who = caller(req, ctx);
  if (!who) return problem_response(who.problem());
  if (auto p = require_json(req, false)) return problem_response(*p);
  auto body = parse_json_object(req.body);
  if (!body) return problem_response(body.problem());
  auto done = ctx.publish->declare(*who, req.params[0], *body);
  if (!done) return problem_response(done.problem());
  auto r = Response::json(done->first ? 201 : 200, render_topic(done->second));
  if (done->first) r.set_header("Location", "/api/topics/" + done->second.name);
  r.set_header("Cache-Control", "no-store");
  return r;
}

Response list(Request& req, ApiContext& ctx) {
  auto who = caller(req, ctx);
  if (!who) return problem_response(who.problem());
  auto topics = ctx.publish->list(*who);
  if (!topics) return problem_response(topics.problem());
  json::array data;
  for (const auto& t : *topics) data.push_back(render_topic(t));
  auto r = Response::json(200, json::object{{"data", std::move(data)}});
  r.set_header("Cache-Control", "no-store");
  return r;
}

Response publish(Request& req, ApiContext& ctx) {
  auto who = caller(req, ctx);
  if (!who) return problem_response(who.problem());
  if (auto p = require_json(req, false)) return problem_response(*p);
  auto idempotency = idempotency_of(req, *who, 200);
  if (!idempotency) return problem_response(idempotency.problem());
  auto body = parse_json_object(req.body);
  if (!body) return problem_response(body.problem());
  auto meta = mutation_meta(req, std::nullopt);
  auto answer = ctx.publish->publish(*who, *body, meta.origin, &*idempotency);
  if (!answer) return problem_response(answer.problem());
  auto r = Response::json(200, *answer);
  r.set_header("Cache-Control", "no-store");
  mark_replayed(r, *idempotency);
  return r;
}

}  // namespace

void add_publish_routes(Router& router, ApiContext& ctx) {
  router.add("PUT", "/api/topics/{name}", [&ctx](Request& r) { return declare(r, ctx); });
  router.add("GET", "/api/topics", [&ctx](Request& r) { return list(r, ctx); });
  router.add("POST", "/api/publish", [&ctx](Request& r) { return publish(r, ctx); });
}

}  // namespace shelfsync
