#include "auth/tokens.hpp"

#include <boost/json/parse.hpp>

#include "domain/ids.hpp"
#include "store/store.hpp"

namespace shelfsync {

std::string generate_token(Role role) {
  // The prefix tells an operator what a leaked token is; the secret is the
  // 256 random bits after it.
  std::string prefix = role == Role::public_ ? "pk_" : "sk_";
  return prefix + random_hex(32);
}

std::string hash_token(std::string_view token) { return sha256_hex(token); }

namespace {

std::string actor_name(Role role, const std::string& customer_id, std::string_view hash) {
  if (role == Role::public_) return "public";
  if (role == Role::customer) return "customer:" + customer_id;
  return std::string(to_string(role)) + ":" + std::string(hash.substr(0, 8));
}

Problem invalid_token() { return Problem::of(ErrorCode::invalid_token, "the token is unknown or has been revoked"); }

}  // namespace

CustomerKind customer_kind(Store& store, const std::string& tenant, const std::string& id) {
  const auto customer = store.get(tenant, "customers", id);
  if (!customer || customer->deleted) return CustomerKind::retail;
  boost::system::error_code ec;
  const auto doc = boost::json::parse(customer->data, ec);
  if (ec || !doc.is_object()) return CustomerKind::retail;
  const auto* kind = doc.as_object().if_contains("kind");
  return kind && kind->is_string() ? customer_kind_of(kind->get_string()) : CustomerKind::retail;
}

Result<Principal> authenticate(Store& store, std::string_view token) {
  if (token.empty())
    return Problem::of(ErrorCode::unauthorized, "missing credentials: send Authorization: Bearer <token>");
  if (token.size() > 256) return invalid_token();
  const auto hash = hash_token(token);
  const auto record = store.token(hash);  // with its tenant's currency
  if (!record || record->revoked) return invalid_token();
  Principal who{record->tenant,
                record->currency,
                record->role,
                record->customer_id,
                actor_name(record->role, record->customer_id, hash),
                hash};
  if (who.role == Role::customer) who.kind = customer_kind(store, who.tenant, who.customer_id);
  return who;
}

Result<Principal> recheck(Store& store, const Principal& who) {
  const auto record = store.token(who.token_hash);
  if (!record || record->revoked) return invalid_token();
  Principal again = who;
  if (again.role == Role::customer) again.kind = customer_kind(store, again.tenant, again.customer_id);
  return again;
}

}  // namespace shelfsync
