// The registry of collections handled by the generic record code, and what
// every collection shares.

#include "domain/catalog_collections.hpp"
#include "domain/collection.hpp"
#include "domain/commerce_collections.hpp"
#include "domain/json_util.hpp"
#include "domain/product_collection.hpp"
#include "domain/stats_collection.hpp"

namespace shelfsync {

namespace {

// Function-local statics: safe to use from other static initialisers.
const std::vector<const Collection*>& registry() {
  static const ProductCollection products;
  static const CatalogNodeCollection categories("categories", "cat");
  static const CatalogNodeCollection brands("brands", "brand");
  static const CatalogNodeCollection units("units", "unit");
  static const CustomerCollection customers;
  static const OrderCollection orders;
  static const BillCollection bills;
  static const StockMovementCollection stock_movements;
  static const AlertCollection alerts;
  static const StatsCollection stats;
  static const std::vector<const Collection*> all = {&products, &categories, &brands,          &units,  &customers,
                                                     &orders,   &bills,      &stock_movements, &alerts, &stats};
  return all;
}

}  // namespace

const Collection* find_collection(std::string_view name) {
  for (const Collection* c : registry())
    if (c->name() == name) return c;
  return nullptr;
}

const std::vector<const Collection*>& all_collections() { return registry(); }

std::optional<std::string> Collection::owner_customer(const boost::json::object& stored) const {
  if (auto field = owner_field()) return std::string(string_or_empty(stored, *field));
  return std::nullopt;
}

}  // namespace shelfsync
