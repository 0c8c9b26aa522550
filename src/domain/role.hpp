#pragma once
// The roles of SPEC §3. What each may do is decided in auth/access.hpp; the
// domain only needs the role to project a record for a reader.

#include <optional>
#include <string_view>

namespace shelfsync {

enum class Role { admin, staff, customer, service, public_ };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

// Roles that read the catalog as shoppers do: active records, public fields.
inline bool is_shopper(Role role) { return role == Role::public_ || role == Role::customer; }
// Roles that run the shop: they see stock, the ledger, alerts and all orders.
inline bool is_back_office(Role role) { return !is_shopper(role); }

}  // namespace shelfsync
