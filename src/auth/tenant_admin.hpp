#pragma once
// Operator actions on tenants and tokens (the CLI's `tenant` and `token`).

#include <string>

#include "domain/problem.hpp"
#include "domain/role.hpp"
#include "store/store.hpp"

namespace shelfsync {

struct NewTenant {
  std::string tenant;
  std::string admin_token;
  std::string public_token;
};

// The tenant id is the name made URL-safe ("Corner Shop" → "corner-shop"),
// with a random suffix if taken. `id` forces an exact id (demo uses "demo")
// and fails with 409 if it exists.
Result<NewTenant> create_tenant(Store& store, const std::string& name, const std::string& currency,
                                const std::string& id = {});

// A new token for an existing tenant; the secret is only ever returned here.
Result<std::string> issue_token(Store& store, const std::string& tenant, Role role,
                                const std::string& customer_id = {});

// 404 if no such token. Takes effect for the next request.
std::optional<Problem> revoke(Store& store, const std::string& token);

}  // namespace shelfsync
