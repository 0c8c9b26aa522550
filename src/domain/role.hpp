#pragma once
// The roles of SPEC §3 and the projections records are rendered in. What
// each role may do is decided in auth/access.hpp; the domain only needs the
// projection to render a record for a reader.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace shelfsync {

enum class Role { admin, staff, customer, service, public_ };
inline constexpr std::array<Role, 5> kRoles{Role::admin, Role::staff, Role::customer, Role::service, Role::public_};

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

// How a reader is shown a record: its role and, for a customer, its kind
// (a partner also reads stock). Records are rendered per projection, and the
// live hub shares each change's encoded form among readers of one projection.
enum class Projection : std::uint8_t { admin, staff, retail, partner, service, public_ };
inline constexpr std::size_t kProjectionCount = 6;
constexpr Projection projection_of(Role role, CustomerKind kind = CustomerKind::retail) {
  switch (role) {
    case Role::admin:
      return Projection::admin;
    case Role::staff:
      return Projection::staff;
    case Role::customer:
      return kind == CustomerKind::partner ? Projection::partner : Projection::retail;
    case Role::service:
      return Projection::service;
    case Role::public_:
      break;
  }
  return Projection::public_;
}
std::string_view to_string(Projection projection);

// Roles that read the catalog as shoppers do: active records, public fields.
inline bool is_shopper(Role role) { return role == Role::public_ || role == Role::customer; }
// Roles that run the shop: they see stock, the ledger, alerts and all orders.
inline bool is_back_office(Role role) { return !is_shopper(role); }
// The same for a projection: retail customers, partners and the public.
inline bool is_shopper(Projection p) {
  return p == Projection::public_ || p == Projection::retail || p == Projection::partner;
}
// Who reads stock levels: the back office and partners.
inline bool reads_stock(Projection p) { return !is_shopper(p) || p == Projection::partner; }

}  // namespace shelfsync
