#pragma once
// Small pieces every REST handler uses: who is calling, preconditions,
// content types, and building record responses.

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/tokens.hpp"
#include "catalog/idempotency.hpp"
#include "domain/collection.hpp"
#include "domain/problem.hpp"
#include "http/api.hpp"
#include "http/message.hpp"

namespace shelfsync {

// The bearer token a request presents: `Authorization: Bearer`, or, where
// `allow_query`, `?access_token=`; empty if none. A token in the URL of a
// REST request is refused (401): URLs end up in logs and Referer headers.
Result<std::string_view> presented_token(const Request& req, bool allow_query);

// The caller of a REST request (Authorization header only).
Result<Principal> authenticate_request(const Request& req, ApiContext& ctx);
// The caller of GET /api/live or /api/stream: a WebSocket or an EventSource
// cannot set headers, so these also take `?access_token=`.
Result<Principal> authenticate_live_request(const Request& req, ApiContext& ctx);

// The collection named in the path, or 404.
Result<const Collection*> collection_from_path(std::string_view name);

// Validates a path id: 400 `bad_id` if malformed.
std::optional<Problem> check_id(std::string_view id);

// `If-Match: "7"` → 7; absent → nullopt; malformed → 400.
Result<std::optional<std::int64_t>> parse_if_match(const Request& req);

// The body must be JSON (application/json; merge patch also allows
// application/merge-patch+json): 415 otherwise.
std::optional<Problem> require_json(const Request& req, bool allow_merge_patch);

MutationMeta mutation_meta(const Request& req, std::optional<std::int64_t> if_match);

// Every POST's Idempotency-Key for `who` (SPEC §4): 400 if malformed, or if
// missing where `required`. The fingerprint covers method, path, query,
// caller and body (a JSON body compared in canonical form). `status` is what
// a fresh success answers.
Result<IdempotentRequest> idempotency_of(const Request& req, const Principal& who, int status, bool required = false);

// `Idempotent-Replayed: true` on an answer that is a kept one.
void mark_replayed(Response& response, const IdempotentRequest& request);

// The one Cache-Control rule (SPEC §4): catalog data may be cached but must
// be revalidated (`no-cache`); private data never stored (`no-store`).
std::string cache_policy(DataKind kind);
// An answer carrying several collections is as private as the most private.
DataKind kind_of(const std::vector<const Collection*>& collections);

// 200/201 with the record, its ETag and cache policy; 304 if the client's
// If-None-Match names this version.
Response record_response(const Request& req, int status, const boost::json::object& record,
                         const Collection& collection);

// Answers 304 if the body's ETag is in If-None-Match, else sets the ETag.
Response with_body_etag(const Request& req, Response response);

}  // namespace shelfsync
