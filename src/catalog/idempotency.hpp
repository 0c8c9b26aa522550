#pragma once
// Idempotency-Key (SPEC §4, §5): every POST may send one (POST /api/orders
// must). The first answer to a keyed request is kept in the same
// transaction as its effects, so a retry — also one racing the first
// request, also after a crash — gets exactly that answer and causes nothing
// twice. Keys are per tenant; a fingerprint of the operation, the caller and
// the body tells a retry from another request that reuses the key.
//
// Every keyed write goes through write_answer (one JSON answer per request)
// or, for orders placed several per writer job, kept_answer/keep_answer.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "auth/tokens.hpp"
#include "domain/problem.hpp"
#include "store/store.hpp"

namespace shelfsync {

inline constexpr std::size_t kMaxIdempotencyKeyLength = 255;

// An answer to send: status and JSON body (problem+json when status ≥ 400).
struct CommerceAnswer {
  int status = 200;
  std::string body;
  bool replayed = false;  // a kept answer sent again
  std::string location;   // the created resource's path, for a 201 that made one
};

// One POST's key as its write sees it. An empty key keeps nothing.
struct IdempotentRequest {
  std::string tenant;
  std::string key;
  std::string fingerprint;
  int status = 200;       // what a fresh success answers (kept with the body)
  bool replayed = false;  // set by write_answer when the answer is a kept one
};

// Checks the header value: 1–255 visible ASCII characters.
std::optional<Problem> check_idempotency_key(std::string_view key, bool required);

// The body a fingerprint compares: JSON re-serialized with every object's
// members in key order (a client's serializer need not keep them; arrays
// keep theirs, their order is data).
std::string canonical_json(const boost::json::value& body);

// Identifies a request: the operation, who asks, and the canonical body.
std::string request_fingerprint(std::string_view operation, const Principal& who, std::string_view canonical_body);

// Inside a WriteFn: the kept answer for `key` (replayed = true), a 422
// idempotency_key_reused if the key was used for another request, or
// nullopt if the key is new.
std::optional<Result<CommerceAnswer>> kept_answer(WriteTxn& txn, const std::string& tenant, const std::string& key,
                                                  const std::string& fingerprint);

// Inside a WriteFn: keeps `answer` for `key` (a no-op for an empty key).
void keep_answer(WriteTxn& txn, const std::string& tenant, const std::string& key, const std::string& fingerprint,
                 const CommerceAnswer& answer);

// A write that answers one JSON object: sets `out` when it succeeds.
using AnswerFn = std::function<std::optional<Problem>(WriteTxn& txn, std::optional<boost::json::object>& out)>;

// Runs `fn` in the store's writer under `request` (null or keyless: just
// runs it). A kept answer for the key is returned instead of running `fn`
// (request->replayed = true); the key kept for another request is a 422;
// otherwise `fn`'s answer is kept in its transaction. A Problem from `fn`
// is not kept: nothing happened, the key stays free.
Result<boost::json::object> write_answer(Store& store, IdempotentRequest* request, const AnswerFn& fn);

}  // namespace shelfsync
