#pragma once
// Idempotency-Key (SPEC §5): the first answer to a keyed request is kept in
// the same transaction as its effects, so a retry — also one racing the
// first request, also after a crash — gets exactly that answer and causes
// nothing twice. Keys are per tenant.

#include <optional>
#include <string>
#include <string_view>

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
};

// Checks the header value: 1–255 visible ASCII characters.
std::optional<Problem> check_idempotency_key(std::string_view key, bool required);

// Identifies a request: the operation, who asks, and the canonical body.
std::string request_fingerprint(std::string_view operation, const Principal& who,
                                std::string_view canonical_body);

// Inside a WriteFn: the kept answer for `key` (replayed = true), a 422
// idempotency_key_reused if the key was used for another request, or
// nullopt if the key is new.
std::optional<Result<CommerceAnswer>> kept_answer(WriteTxn& txn, const std::string& tenant,
                                                  const std::string& key,
                                                  const std::string& fingerprint);

// Inside a WriteFn: keeps `answer` for `key` (a no-op for an empty key).
void keep_answer(WriteTxn& txn, const std::string& tenant, const std::string& key,
                 const std::string& fingerprint, const CommerceAnswer& answer);

}  // namespace shelfsync
