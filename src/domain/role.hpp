#pragma once
// The roles of SPEC §3. What each may do is decided in auth/access.hpp; the
// domain only needs the role to project a record for a reader.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace shelfsync {

enum class Role { admin, staff, customer, service, public_ };
inline constexpr std::array<Role, 5> kRoles{Role::admin, Role::staff, Role::customer, Role::service,
                                            Role::public_};

// A set of roles, one bit each.
using RoleSet = std::uint8_t;
constexpr RoleSet role_bit(Role role) { return static_cast<RoleSet>(1u << static_cast<unsigned>(role)); }
inline constexpr RoleSet kEveryRole = 0x1f;

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

// A customer's kind (SPEC §2): a partner is a business that buys from the
// shop (a reseller) and, unlike a retail customer, reads stock levels.
enum class CustomerKind { retail, partner };
inline constexpr std::string_view kCustomerKinds[] = {"retail", "partner"};
std::string_view to_string(CustomerKind kind);
// "partner" → partner; anything else (absent, "retail") → retail.
CustomerKind customer_kind_of(std::string_view text);

// Roles that read the catalog as shoppers do: active records, public fields.
inline bool is_shopper(Role role) { return role == Role::public_ || role == Role::customer; }
// Roles that run the shop: they see stock, the ledger, alerts and all orders.
inline bool is_back_office(Role role) { return !is_shopper(role); }

}  // namespace shelfsync
