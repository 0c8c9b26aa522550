// GET /api/sync and GET /api/sync/digest (SPEC §6).

#include "feed/sync.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "auth/access.hpp"
#include "auth/tokens.hpp"
#include "commerce/stats_publisher.hpp"
#include "domain/topic_collection.hpp"
#include "feed/change_waiters.hpp"
#include "feed/cursor.hpp"
#include "feed/digest.hpp"
#include "http/handlers/common.hpp"
#include "http/problem_response.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxLimit = 1000;
constexpr int kMaxWaitSeconds = 60;

Problem bad_query(std::string detail) { return Problem::of(ErrorCode::bad_query, std::move(detail)); }

std::optional<long> parse_number(std::string_view v, long max) {
  if (v.empty() || v.size() > 6) return std::nullopt;
  long n = 0;
  for (char ch : v) {
    if (ch < '0' || ch > '9') return std::nullopt;
    n = n * 10 + (ch - '0');
  }
  if (n > max) return std::nullopt;
  return n;
}

// `entities=a,b`: each a collection or publish topic the caller may read;
// default: every collection it may read (topics only when named).
Result<std::vector<const Collection*>> parse_entities(std::optional<std::string_view> list, const Principal& who) {
  const Role role = who.role;
  std::vector<const Collection*> out;
  if (!list) {
    for (const auto* c : all_collections())
      if (may_read(role, c->name())) out.push_back(c);
    return out;
  }
  std::string_view rest = *list;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto name = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const auto* c = find_topic(who.tenant, name);
    if (!c) return bad_query("unknown entity '" + std::string(name.substr(0, 60)) + "'");
    if (!may_read(role, *c))
      return Problem::forbidden("a " + std::string(to_string(role)) + " token may not read " + std::string(c->name()));
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  if (out.empty()) return bad_query("entities names no collection");
  return out;
}

struct SyncCall {
  Principal who;
  SyncRequest request;
  int wait_seconds = 0;
};

Result<SyncCall> parse_sync(const Request& req, ApiContext& ctx) {
  auto who = authenticate_request(req, ctx);
  if (!who) return who.problem();
  SyncCall call{std::move(*who), {}, 0};
  for (const auto& [key, value] : req.query) {
    if (key == "access_token" || key == "entities") continue;
    if (key == "since") {
      if (auto seq = decode_cursor(value)) {
        call.request.since = *seq;
      } else if (auto pos = decode_snapshot_position(value)) {
        call.request.snapshot = *pos;
      } else {
        return Problem::of(ErrorCode::bad_cursor, "'since' is not a cursor from this API");
      }
    } else if (key == "limit") {
      auto n = parse_number(value, kMaxLimit);
      if (!n || *n < 1) return bad_query("limit must be an integer 1–1000");
      call.request.limit = static_cast<std::size_t>(*n);
    } else if (key == "wait") {
      auto n = parse_number(value, kMaxWaitSeconds);
      if (!n) return bad_query("wait must be a whole number of seconds, 0–60");
      call.wait_seconds = static_cast<int>(*n);
    } else {
      return bad_query("unknown query parameter '" + key.substr(0, 60) + "' (allowed: since, entities, limit, wait)");
    }
  }
  auto entities = parse_entities(req.query_param("entities"), call.who);
  if (!entities) return entities.problem();
  call.request.entities = std::move(*entities);
  // Naming the figures asks for them (a default sync of every collection
  // gets them only where they are kept already).
  if (ctx.stats && req.query_param("entities"))
    for (const auto* c : call.request.entities)
      if (c->name() == "stats") ctx.stats->follow(call.who.tenant);
  return call;
}

Response answer(const SyncCall& call, const Result<SyncAnswer>& result) {
  if (!result) return problem_response(result.problem());
  auto r = Response::json(200, result->body);
  r.set_header("Cache-Control", cache_policy(kind_of(call.request.entities)));
  return r;
}

Response sync(Request& req, ApiContext& ctx) {
  auto call = parse_sync(req, ctx);
  if (!call) return problem_response(call.problem());
  auto result = run_sync(ctx.store, call->who, call->request);
  if (!result || result->has_changes || call->wait_seconds == 0 || !call->request.since || !ctx.waiters ||
      result->body.at("has_more").as_bool())
    return answer(*call, result);

  // Long poll: answer as soon as the tenant's log moves past the cursor.
  // The token is checked again then: one revoked while the poll was held
  // gets 401, not the changes written after its revocation (and a
  // customer's kind, hence its projection, is read as it is now).
  const auto deadline = ChangeWaiters::Clock::now() + std::chrono::seconds(call->wait_seconds);
  const auto after = result->cursor_seq;
  Response later;
  later.deferred = [&ctx, call = std::move(*call), deadline, after](const Respond& respond) {
    ctx.waiters->wait(call.who.tenant, after, deadline, [&ctx, call, respond] {
      ctx.post_work(
          [&ctx, call] {
            auto who = recheck(ctx.store, call.who);
            if (!who) return problem_response(who.problem());
            SyncCall now = call;
            now.who = std::move(*who);
            return answer(now, run_sync(ctx.store, now.who, now.request));
          },
          respond);
    });
  };
  return later;
}

constexpr std::size_t kMaxDigestIds = 1000;

// `ids=a,b` or `filter=<JSON>` (as a live subscription's, SPEC §7) for a
// digest of one entity; nullopt when neither is given.
Result<std::optional<RecordFilter>> parse_digest_scope(const Request& req, const Principal& who,
                                                       const std::vector<const Collection*>& cs) {
  const auto ids = req.query_param("ids");
  const auto filter = req.query_param("filter");
  if (!ids && !filter) return std::optional<RecordFilter>{};
  if (ids && filter) return bad_query("give ids or filter, not both");
  if (cs.size() != 1) return bad_query("a scoped digest (ids, filter) takes exactly one entity");
  json::value scope;
  if (ids) {
    json::array list;
    std::string_view rest = *ids;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      list.emplace_back(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    if (list.empty()) return bad_query("ids names no record");
    if (list.size() > kMaxDigestIds) return bad_query("ids may name at most 1000 records");
    scope = json::object{{"ids", std::move(list)}};
  } else {
    boost::system::error_code ec;
    scope = json::parse(*filter, ec);
    if (ec) return Problem::of(ErrorCode::bad_filter, "filter must be URL-encoded JSON");
  }
  auto parsed = parse_filter(scope, *cs.front(), who);
  if (!parsed) return parsed.problem();
  if (parsed->ids && parsed->ids->size() > kMaxDigestIds)
    return bad_query("a digest's ids filter may name at most 1000 records");
  return std::optional<RecordFilter>{std::move(*parsed)};
}

Response digest(Request& req, ApiContext& ctx) {
  auto who = authenticate_request(req, ctx);
  if (!who) return problem_response(who.problem());
  for (const auto& [key, value] : req.query)
    if (key != "entities" && key != "ids" && key != "filter" && key != "access_token")
      return problem_response(
          bad_query("unknown query parameter '" + key.substr(0, 60) + "' (allowed: entities, ids, filter)"));
  auto entities = parse_entities(req.query_param("entities"), *who);
  if (!entities) return problem_response(entities.problem());
  auto scope = parse_digest_scope(req, *who, *entities);
  if (!scope) return problem_response(scope.problem());
  auto body =
      *scope ? scoped_digest(ctx.store, *who, *entities->front(), **scope) : view_digest(ctx.store, *who, *entities);
  auto r = Response::json(200, std::move(body));
  r.set_header("Cache-Control", cache_policy(kind_of(*entities)));
  return r;
}

}  // namespace

void add_sync_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/sync", [&ctx](Request& r) { return sync(r, ctx); });
  router.add("GET", "/api/sync/digest", [&ctx](Request& r) { return digest(r, ctx); });
}

}  // namespace shelfsync
