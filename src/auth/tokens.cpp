#include "auth/tokens.hpp"

#include <openssl/sha.h>

#include "domain/ids.hpp"
#include "store/store.hpp"

namespace shelfsync {

std::string generate_token(Role role) {
  // The prefix tells an operator what a leaked token is; the secret is the
  // 256 random bits after it.
  std::string prefix = role == Role::public_ ? "pk_" : "sk_";
  return prefix + random_hex(32);
}

std::string hash_token(std::string_view token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(sizeof digest * 2);
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Result<Principal> authenticate(Store& store, std::string_view token) {
  if (token.empty())
    return Problem{401, "unauthorized", "Unauthorized",
                   "missing credentials: send Authorization: Bearer <token>", {}, {}};
  const auto invalid = Problem{401, "invalid_token", "Unauthorized",
                               "the token is unknown or has been revoked", {}, {}};
  if (token.size() > 256) return invalid;
  const auto record = store.token(hash_token(token));
  if (!record || record->revoked) return invalid;
  const auto tenant = store.tenant(record->tenant);
  if (!tenant) return invalid;
  return Principal{tenant->id, tenant->currency, record->role, record->customer_id};
}

}  // namespace shelfsync
