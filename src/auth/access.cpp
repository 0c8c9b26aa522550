#include "auth/access.hpp"

namespace shelfsync {

bool is_catalog_collection(std::string_view c) {
  return c == "products" || c == "categories" || c == "brands" || c == "units";
}

bool may_read(Role role, std::string_view c) {
  if (is_catalog_collection(c)) return true;  // shoppers get the public projection
  if (c == "customers") return role != Role::public_;  // a customer: only itself
  return role == Role::admin || role == Role::service;
}

bool may_write(Role role, std::string_view c) {
  // Staff sell and adjust stock (commerce endpoints); editing the catalog
  // and customer records is the admin's.
  return role == Role::admin;
}

}  // namespace shelfsync
