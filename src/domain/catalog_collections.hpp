#pragma once
// The small catalog records of SPEC §2: categories, brands and units share
// one shape and codec (CatalogNode); customers have their own.

#include <cstdint>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "domain/collection.hpp"

namespace shelfsync {

// A category, brand or unit.
struct CatalogNode {
  std::string name;  // 1-200 characters
  std::string slug;  // [a-z0-9-]{1,200}; derived from the name when not given
  std::optional<std::string> parent_id;
  std::int64_t position = 0;
};

struct Customer {
  std::string name;   // 1-200 characters
  std::string email;  // one '@', at most 254 characters, stored as given
  CustomerKind kind = CustomerKind::retail;
};

// `self_id` (when known) may not be its own parent.
Result<CatalogNode> decode_catalog_node(const boost::json::object& input, std::string_view self_id = {});
boost::json::object encode_catalog_node(const CatalogNode& node);
Result<Customer> decode_customer(const boost::json::object& input);
boost::json::object encode_customer(const Customer& customer);

// "categories" (cat), "brands" (brand), "units" (unit): readable by every
// role, filters parent_id and slug.
class CatalogNodeCollection final : public Collection {
 public:
  CatalogNodeCollection(std::string_view name, std::string_view id_prefix) : name_(name), id_prefix_(id_prefix) {}
  std::string_view name() const override { return name_; }
  std::string_view id_prefix() const override { return id_prefix_; }
  DataKind kind() const override { return DataKind::catalog; }
  Result<boost::json::object> normalize(const boost::json::object& input, const boost::json::object* previous,
                                        const NormalizeContext& ctx) const override;
  IndexKeys index_keys(const boost::json::object& stored) const override;
  std::vector<std::string_view> filter_fields() const override;
  std::string search_text(const boost::json::object& stored) const override;
  bool visible_to(const boost::json::object& stored, Role role) const override;
  void render(boost::json::object& doc, Projection projection, Millis now) const override {}

 private:
  std::string_view name_;
  std::string_view id_prefix_;
};

// "customers" (cust): never readable by public; a customer token's reach to
// its own record only is enforced by the HTTP layer. Filters: email, indexed
// lowercased (lowercase the query value too), and kind.
class CustomerCollection final : public Collection {
 public:
  std::string_view name() const override { return "customers"; }
  std::string_view id_prefix() const override { return "cust"; }
  Result<boost::json::object> normalize(const boost::json::object& input, const boost::json::object* previous,
                                        const NormalizeContext& ctx) const override;
  IndexKeys index_keys(const boost::json::object& stored) const override;
  std::vector<std::string_view> filter_fields() const override;
  std::span<const std::string_view> filter_values(std::string_view field) const override;
  std::string search_text(const boost::json::object& stored) const override;
  bool visible_to(const boost::json::object& stored, Role role) const override;
  // Records stored before customers had a kind read as retail.
  void render(boost::json::object& doc, Projection projection, Millis now) const override;
};

}  // namespace shelfsync
