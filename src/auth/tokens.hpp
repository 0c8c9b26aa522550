#pragma once
// Bearer tokens: 256 random bits, shown once, stored only as a SHA-256 hash.
// Lookup is by hash, so the secret itself is never compared byte by byte.

#include <string>
#include <string_view>

#include "domain/problem.hpp"
#include "domain/role.hpp"

namespace shelfsync {

class Store;

// Who is calling: resolved from a token on every request.
struct Principal {
  std::string tenant;
  std::string currency;
  Role role = Role::public_;
  std::string customer_id;  // customer tokens only
  // Who made a change, for order history and the stock ledger:
  // "<role>:<first 8 hex of the token hash>", "customer:<id>" or "public".
  std::string actor;
  // SHA-256 of the token: long-lived connections look it up again to notice
  // a revocation.
  std::string token_hash;
  // A customer's kind, read from its record when the token is checked (a
  // live subscription follows later changes of it: feed/hub).
  CustomerKind kind = CustomerKind::retail;

  Projection projection() const { return projection_of(role, kind); }
};

std::string generate_token(Role role);
std::string hash_token(std::string_view token);

// 401 `unauthorized` when no token was given, 401 `invalid_token` when it is
// unknown or revoked. For a customer token, also reads the customer's kind.
// Blocks on the store: call from a worker thread.
Result<Principal> authenticate(Store& store, std::string_view token);

// The caller of a request that outlives its start (a held long poll), checked
// again before it is answered: 401 `invalid_token` if its token has been
// revoked since, else the principal with its customer's kind as stored now.
Result<Principal> recheck(Store& store, const Principal& who);

// The kind of customer `id` as stored now (retail when unknown or deleted).
CustomerKind customer_kind(Store& store, const std::string& tenant, const std::string& id);

}  // namespace shelfsync
