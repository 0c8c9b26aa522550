#include "domain/role.hpp"

namespace shelfsync {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::admin:
      return "admin";
    case Role::staff:
      return "staff";
    case Role::customer:
      return "customer";
    case Role::service:
      return "service";
    case Role::public_:
      return "public";
  }
  return "public";
}

std::optional<Role> parse_role(std::string_view t) {
  if (t == "admin") return Role::admin;
  if (t == "staff") return Role::staff;
  if (t == "customer") return Role::customer;
  if (t == "service") return Role::service;
  if (t == "public") return Role::public_;
  return std::nullopt;
}

std::string_view to_string(Projection p) {
  switch (p) {
    case Projection::admin:
      return "admin";
    case Projection::staff:
      return "staff";
    case Projection::retail:
      return "retail";
    case Projection::partner:
      return "partner";
    case Projection::service:
      return "service";
    case Projection::public_:
      return "public";
  }
  return "public";
}

std::string_view to_string(CustomerKind kind) { return kind == CustomerKind::partner ? "partner" : "retail"; }

CustomerKind customer_kind_of(std::string_view text) {
  return text == "partner" ? CustomerKind::partner : CustomerKind::retail;
}

}  // namespace shelfsync
