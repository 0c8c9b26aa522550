#include "http/handlers/common.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "domain/ids.hpp"
#include "http/problem_response.hpp"

namespace shelfsync {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True if an If-None-Match list names `etag` (weak or strong) or is "*".
bool none_match_hits(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    auto tag = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

std::string fnv1a_hex(std::string_view data) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kHex[h & 15];
  return out;
}

}  // namespace

Result<std::string_view> presented_token(const Request& req, bool allow_query) {
  const auto auth = req.header("authorization");
  if (!auth.empty()) {
    if (auth.size() < 7 || (auth.substr(0, 7) != "Bearer " && auth.substr(0, 7) != "bearer "))
      return Problem::of(ErrorCode::invalid_token, "the Authorization header must be 'Bearer <token>'");
    return trim(auth.substr(7));
  }
  if (auto q = req.query_param("access_token")) {
    if (allow_query) return *q;
    return Problem::of(ErrorCode::unauthorized,
                       "?access_token= is accepted only by /api/live and /api/stream (a WebSocket or "
                       "EventSource cannot set headers); send Authorization: Bearer <token>");
  }
  return std::string_view{};
}

Result<Principal> authenticate_request(const Request& req, ApiContext& ctx) {
  auto token = presented_token(req, false);
  if (!token) return token.problem();
  return authenticate(ctx.store, *token);
}

Result<Principal> authenticate_live_request(const Request& req, ApiContext& ctx) {
  auto token = presented_token(req, true);
  if (!token) return token.problem();
  return authenticate(ctx.store, *token);
}

Result<const Collection*> collection_from_path(std::string_view name) {
  const auto* c = find_collection(name);
  if (!c) return Problem::not_found("no collection named '" + std::string(name) + "'");
  return c;
}

std::optional<Problem> check_id(std::string_view id) {
  if (is_valid_id(id)) return std::nullopt;
  return Problem::of(ErrorCode::bad_id,
                     "malformed id '" + std::string(id.substr(0, 80)) + "': ids match ^[A-Za-z0-9_-]{1,64}$");
}

Result<std::optional<std::int64_t>> parse_if_match(const Request& req) {
  auto v = trim(req.header("if-match"));
  if (v.empty()) return std::optional<std::int64_t>{};
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() < 3 || v.front() != '"' || v.back() != '"' || v.size() > 21)
    return Problem::of(ErrorCode::bad_precondition, "If-Match must be a version ETag like \"7\"");
  std::int64_t n = 0;
  for (char c : v.substr(1, v.size() - 2)) {
    if (c < '0' || c > '9')
      return Problem::of(ErrorCode::bad_precondition, "If-Match must be a version ETag like \"7\"");
    n = n * 10 + (c - '0');
  }
  return std::optional<std::int64_t>{n};
}

std::optional<Problem> require_json(const Request& req, bool allow_merge_patch) {
  auto type = req.header("content-type");
  type = trim(type.substr(0, type.find(';')));
  std::string lower(type);
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (lower == "application/json") return std::nullopt;
  if (allow_merge_patch && lower == "application/merge-patch+json") return std::nullopt;
  return Problem::of(ErrorCode::unsupported_media_type,
                     "send the body as application/json" +
                         std::string(allow_merge_patch ? " or application/merge-patch+json" : "") +
                         (lower.empty() ? " (no Content-Type was given)" : " (got '" + lower.substr(0, 100) + "')"));
}

MutationMeta mutation_meta(const Request& req, std::optional<std::int64_t> if_match) {
  return {if_match, std::string(req.header("x-client-id").substr(0, 200))};
}

Result<IdempotentRequest> idempotency_of(const Request& req, const Principal& who, int status, bool required) {
  IdempotentRequest out{who.tenant, std::string(req.header("idempotency-key")), "", status, false};
  if (auto p = check_idempotency_key(out.key, required)) return *p;
  if (out.key.empty()) return out;
  std::string operation = req.method + " " + req.path;
  char sep = '?';
  for (const auto& [k, v] : req.query) {
    if (k == "access_token") continue;
    operation.append(1, sep).append(k).append("=").append(v);
    sep = '&';
  }
  boost::system::error_code ec;
  const auto json = boost::json::parse(req.body, ec);
  out.fingerprint = request_fingerprint(operation, who, ec ? req.body : canonical_json(json));
  return out;
}

void mark_replayed(Response& response, const IdempotentRequest& request) {
  if (request.replayed) response.set_header("Idempotent-Replayed", "true");
}

std::string cache_policy(DataKind kind) { return kind == DataKind::catalog ? "no-cache" : "no-store"; }

DataKind kind_of(const std::vector<const Collection*>& collections) {
  for (const auto* c : collections)
    if (c->kind() != DataKind::catalog) return DataKind::private_data;
  return DataKind::catalog;
}

Response record_response(const Request& req, int status, const boost::json::object& record,
                         const Collection& collection) {
  const auto etag = "\"" + std::to_string(record.at("version").as_int64()) + "\"";
  Response r;
  if (status == 200 && none_match_hits(req.header("if-none-match"), etag)) {
    r = Response::empty(304);
  } else {
    r = Response::json(status, record);
  }
  r.set_header("ETag", etag);
  r.set_header("Cache-Control", cache_policy(collection.kind()));
  return r;
}

Response with_body_etag(const Request& req, Response response) {
  const auto etag = "\"" + fnv1a_hex(response.body) + "\"";
  if (none_match_hits(req.header("if-none-match"), etag)) {
    Response not_modified = Response::empty(304);
    for (const auto& [k, v] : response.headers)
      if (k != "Content-Type") not_modified.set_header(k, v);
    not_modified.set_header("ETag", etag);
    return not_modified;
  }
  response.set_header("ETag", etag);
  return response;
}

}  // namespace shelfsync
