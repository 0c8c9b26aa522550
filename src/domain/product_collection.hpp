#pragma once
// "products" as the generic catalog code sees it (domain/collection.hpp).

#include <optional>
#include <string>

#include "domain/collection.hpp"

namespace shelfsync {

class ProductCollection final : public Collection {
 public:
  std::string_view name() const override { return "products"; }
  std::string_view id_prefix() const override { return "prod"; }
  DataKind kind() const override { return DataKind::catalog; }
  Result<boost::json::object> normalize(const boost::json::object& input, const boost::json::object* previous,
                                        const NormalizeContext& ctx) const override;
  IndexKeys index_keys(const boost::json::object& stored) const override;
  std::vector<std::string_view> filter_fields() const override;
  std::span<const std::string_view> filter_values(std::string_view field) const override;
  std::string search_text(const boost::json::object& stored) const override;
  bool visible_to(const boost::json::object& stored, Role role) const override;
  IndexKeys visible_filters(Role role) const override;
  void render(boost::json::object& doc, Projection projection, Millis now) const override;
};

// When a stored product next changes price_now/on_sale by the clock alone
// (its sale's starts_at or ends_at after `now`); for the sale timer.
std::optional<Millis> product_next_transition(const boost::json::object& stored, Millis now);

// Index key naming a product's next sale transition; its value is the time
// in ms, zero-padded so that string order is time order.
inline constexpr const char* kSaleNextKey = kTimedKeyField;
inline constexpr std::size_t kSaleNextWidth = kTimedKeyWidth;
std::string sale_next_value(Millis at);

}  // namespace shelfsync
