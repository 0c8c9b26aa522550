#include "auth/tenant_admin.hpp"

#include "auth/tokens.hpp"
#include "domain/ids.hpp"

namespace shelfsync {
namespace {

std::string slug_of(const std::string& name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() >= 40) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "shop" : out;
}

}  // namespace

Result<NewTenant> create_tenant(Store& store, const std::string& name, const std::string& currency,
                                const std::string& id) {
  if (name.empty() || name.size() > 200) return Problem::validation({{"name", "a tenant name has 1–200 characters"}});
  if (currency.size() != 3) return Problem::validation({{"currency", "an ISO 4217 code such as USD or EUR"}});
  if (!id.empty() && !is_valid_id(id)) return Problem::validation({{"id", "must match ^[A-Za-z0-9_-]{1,64}$"}});
  NewTenant out{id.empty() ? slug_of(name) : id, generate_token(Role::admin), generate_token(Role::public_)};
  auto problem = store.write([&](WriteTxn& txn) -> std::optional<Problem> {
    if (txn.tenant(out.tenant)) {
      if (!id.empty()) return Problem::of(ErrorCode::already_exists, "tenant '" + id + "' exists");
      out.tenant += "-" + random_hex(3);
    }
    txn.put_tenant({out.tenant, name, currency});
    txn.put_token(hash_token(out.admin_token), {out.tenant, Role::admin, {}, false});
    txn.put_token(hash_token(out.public_token), {out.tenant, Role::public_, {}, false});
    return std::nullopt;
  });
  if (problem) return *problem;
  return out;
}

Result<std::string> issue_token(Store& store, const std::string& tenant, Role role, const std::string& customer_id) {
  if (role == Role::customer && customer_id.empty())
    return Problem::validation({{"customer", "a customer token needs --customer ID"}});
  const auto token = generate_token(role);
  auto problem = store.write([&](WriteTxn& txn) -> std::optional<Problem> {
    if (!txn.tenant(tenant)) return Problem::not_found("no tenant '" + tenant + "'");
    txn.put_token(hash_token(token), {tenant, role, role == Role::customer ? customer_id : "", false});
    return std::nullopt;
  });
  if (problem) return *problem;
  return token;
}

std::optional<Problem> revoke(Store& store, const std::string& token) {
  return store.write([&](WriteTxn& txn) -> std::optional<Problem> {
    if (!txn.revoke_token(hash_token(token))) return Problem::not_found("no such token");
    return std::nullopt;
  });
}

}  // namespace shelfsync
