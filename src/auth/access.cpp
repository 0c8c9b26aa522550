#include "auth/access.hpp"

namespace shelfsync {
namespace {

// Written only by the server's own commerce code (and the stats publisher).
bool is_commerce_collection(std::string_view c) {
  return c == "orders" || c == "bills" || c == "stock_movements" || c == "alerts" || c == "stats";
}

}  // namespace

bool is_catalog_collection(std::string_view c) {
  return c == "products" || c == "categories" || c == "brands" || c == "units";
}

bool may_read(Role role, std::string_view c) {
  if (is_catalog_collection(c)) return true;                        // shoppers get the public projection
  if (c == "customers") return role != Role::public_;               // a customer: only itself
  if (c == "orders" || c == "bills") return role != Role::public_;  // a customer: its own
  if (is_commerce_collection(c)) return role == Role::admin || role == Role::staff || role == Role::service;
  return role == Role::admin || role == Role::service;
}

bool may_read(Role role, const Collection& c) {
  if (const auto readers = c.declared_readers()) return (*readers & role_bit(role)) != 0;
  return may_read(role, c.name());
}

bool may_write(Role role, std::string_view c) {
  // Orders, bills, stock movements, alerts and figures are written only by
  // the commerce endpoints (checkout, stock adjust) and the stats publisher,
  // never as plain records.
  if (is_commerce_collection(c)) return false;
  // Editing the catalog and customer records is the admin's.
  return role == Role::admin;
}

}  // namespace shelfsync
