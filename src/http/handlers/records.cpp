// GET/POST /api/{collection}, GET/PATCH/DELETE /api/{collection}/{id}.

#include <boost/json/array.hpp>

#include "auth/access.hpp"
#include "domain/json_util.hpp"
#include "http/handlers/common.hpp"
#include "http/handlers/list_query.hpp"
#include "http/page_token.hpp"
#include "http/problem_response.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

struct Call {
  Principal who;
  const Collection* collection;
};

// Authenticates and checks the role may read (write) the collection.
Result<Call> begin(Request& req, ApiContext& ctx, bool write) {
  auto who = authenticate_request(req, ctx);
  if (!who) return who.problem();
  auto c = collection_from_path(req.params.at(0));
  if (!c) return c.problem();
  const auto name = (*c)->name();
  if (!may_read(who->role, name))
    return Problem::forbidden("a " + std::string(to_string(who->role)) + " token may not read " + std::string(name));
  if (write && !may_write(who->role, name))
    return Problem::forbidden("a " + std::string(to_string(who->role)) + " token may not change " + std::string(name));
  if (req.params.size() > 1)
    if (auto p = check_id(req.params[1])) return *p;
  return Call{std::move(*who), *c};
}

Response list(Request& req, ApiContext& ctx) {
  auto call = begin(req, ctx, false);
  if (!call) return problem_response(call.problem());
  auto query = parse_list_query(req, *call->collection);
  if (!query) return problem_response(query.problem());
  auto page = ctx.records.list(call->who, *call->collection, std::move(*query));
  if (!page) return problem_response(page.problem());
  json::array data;
  data.reserve(page->data.size());
  for (auto& d : page->data) data.emplace_back(std::move(d));
  json::object body{{"data", std::move(data)}, {"next", nullptr}};
  if (page->next_after_id) body["next"] = encode_page_token(*page->next_after_id);
  auto r = Response::json(200, body);
  r.set_header("Cache-Control", cache_policy(call->collection->kind()));
  return with_body_etag(req, std::move(r));
}

Response get_one(Request& req, ApiContext& ctx) {
  auto call = begin(req, ctx, false);
  if (!call) return problem_response(call.problem());
  auto rec = ctx.records.get(call->who, *call->collection, req.params[1]);
  if (!rec) return problem_response(rec.problem());
  return record_response(req, 200, *rec, *call->collection);
}

Response create(Request& req, ApiContext& ctx) {
  auto call = begin(req, ctx, true);
  if (!call) return problem_response(call.problem());
  if (auto p = require_json(req, false)) return problem_response(*p);
  auto idempotency = idempotency_of(req, call->who, 201);
  if (!idempotency) return problem_response(idempotency.problem());
  auto body = parse_json_object(req.body);
  if (!body) return problem_response(body.problem());
  auto meta = mutation_meta(req, std::nullopt);
  meta.idempotency = &*idempotency;
  auto rec = ctx.records.create(call->who, *call->collection, std::move(*body), meta);
  if (!rec) return problem_response(rec.problem());
  auto r = record_response(req, 201, *rec, *call->collection);
  r.set_header("Location",
               "/api/" + std::string(call->collection->name()) + "/" + std::string(rec->at("id").as_string()));
  mark_replayed(r, *idempotency);
  return r;
}

struct PatchCall {
  Call call;
  MutationMeta meta;
  boost::json::value body;
};

Result<PatchCall> begin_patch(Request& req, ApiContext& ctx) {
  auto call = begin(req, ctx, true);
  if (!call) return call.problem();
  auto if_match = parse_if_match(req);
  if (!if_match) return if_match.problem();
  if (auto p = require_json(req, true)) return *p;
  auto body = parse_json(req.body);
  if (!body) return body.problem();
  return PatchCall{std::move(*call), mutation_meta(req, *if_match), std::move(*body)};
}

// A PATCH that waits on the writer (the retry of one that lost a race).
Response patch_waiting(Request& req, ApiContext& ctx) {
  auto p = begin_patch(req, ctx);
  if (!p) return problem_response(p.problem());
  auto rec = ctx.records.patch(p->call.who, *p->call.collection, req.params[1], p->body, p->meta);
  if (!rec) return problem_response(rec.problem());
  return record_response(req, 200, *rec, *p->call.collection);
}

// Answered from the writer's completion: the answer is rendered here, before
// the write, and the writer's thread only hands it to the connection, so no
// worker sleeps on the commit and none is woken after it. A write that lost
// a race to another edit of the record runs again on a worker, waiting.
Response patch(Request& req, ApiContext& ctx) {
  auto p = begin_patch(req, ctx);
  if (!p) return problem_response(p.problem());
  auto attempt = ctx.records.try_patch(p->call.who, *p->call.collection, req.params[1], p->body, p->meta);
  if (!attempt) return problem_response(attempt.problem());
  auto answer = record_response(req, 200, attempt->answer, *p->call.collection);
  if (!attempt->write) return answer;
  Response later;
  // The request outlives `respond` (the session holds both until answered).
  later.deferred = [&req, &ctx, answer = std::make_shared<Response>(std::move(answer)),
                    write = std::move(attempt->write)](const Respond& respond) mutable {
    ctx.store.write_async(std::move(write), [&req, &ctx, answer, respond](std::optional<Problem> problem) {
      if (!problem) return respond(std::move(*answer));
      if (!lost_race(problem)) return respond(problem_response(*problem));
      ctx.post_work([&req, &ctx] { return patch_waiting(req, ctx); }, respond);
    });
  };
  return later;
}

Response remove(Request& req, ApiContext& ctx) {
  auto call = begin(req, ctx, true);
  if (!call) return problem_response(call.problem());
  auto if_match = parse_if_match(req);
  if (!if_match) return problem_response(if_match.problem());
  if (auto p = ctx.records.remove(call->who, *call->collection, req.params[1], mutation_meta(req, *if_match)))
    return problem_response(*p);
  return Response::empty(204);
}

}  // namespace

void add_record_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/{collection}", [&ctx](Request& r) { return list(r, ctx); });
  router.add("POST", "/api/{collection}", [&ctx](Request& r) { return create(r, ctx); });
  router.add("GET", "/api/{collection}/{id}", [&ctx](Request& r) { return get_one(r, ctx); });
  router.add("PATCH", "/api/{collection}/{id}", [&ctx](Request& r) { return patch(r, ctx); });
  router.add("DELETE", "/api/{collection}/{id}", [&ctx](Request& r) { return remove(r, ctx); });
}

}  // namespace shelfsync
