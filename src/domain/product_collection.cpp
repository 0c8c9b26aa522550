#include "domain/product_collection.hpp"

#include <boost/json.hpp>

#include "domain/json_util.hpp"
#include "domain/pricing.hpp"
#include "domain/product.hpp"
#include "domain/product_internal.hpp"
#include "domain/text.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

// Calls f(string) for each string element of the array member `key`.
template <class F>
void for_each_string(const json::object& o, std::string_view key, F&& f) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_array()) return;
  for (const json::value& item : v->get_array())
    if (item.is_string()) f(std::string_view(item.get_string().data(), item.get_string().size()));
}

}  // namespace

Result<json::object> ProductCollection::normalize(const json::object& input, const json::object* previous,
                                                  const NormalizeContext& ctx) const {
  // The stored record is canonical, so it decodes; if an older rule set made
  // it invalid, carry on as a create (only variant id/stock reuse is lost).
  std::optional<Product> prev;
  if (previous) {
    auto decoded = decode_product(*previous, nullptr, ctx);
    if (decoded) prev = std::move(*decoded);
  }
  auto product = decode_product(input, prev ? &*prev : nullptr, ctx);
  if (!product) return std::move(product.problem());
  return encode_product(*product);
}

IndexKeys ProductCollection::index_keys(const json::object& stored) const {
  IndexKeys keys;
  auto add = [&](std::string_view field, std::string_view value) {
    keys.emplace_back(std::string(field), std::string(value));
  };
  add("status", string_or_empty(stored, "status"));
  add("condition", string_or_empty(stored, "condition"));
  if (auto sku = string_or_empty(stored, "sku"); !sku.empty()) add("sku", sku);
  if (auto brand = string_or_empty(stored, "brand_id"); !brand.empty()) add("brand_id", brand);
  if (auto unit = string_or_empty(stored, "unit_id"); !unit.empty()) add("unit_id", unit);
  for_each_string(stored, "category_ids", [&](std::string_view id) { add("category_id", id); });
  for_each_string(stored, "tags", [&](std::string_view tag) { add("tag", tag); });
  const json::value* variants = stored.if_contains("variants");
  if (variants && variants->is_array()) {
    for (const json::value& v : variants->get_array()) {
      if (!v.is_object()) continue;
      if (auto sku = string_or_empty(v.get_object(), "sku"); !sku.empty()) add("variant_sku", sku);
      if (auto id = string_or_empty(v.get_object(), "id"); !id.empty()) add("variant_id", id);
    }
  }
  // When the sale next starts or ends by the clock, as a sortable key: the
  // sale timer finds due products by it.
  if (auto next = product_next_transition(stored, now_ms())) add(kSaleNextKey, sale_next_value(*next));
  return keys;
}

std::vector<std::string_view> ProductCollection::filter_fields() const {
  return {"status", "condition", "sku", "brand_id", "unit_id", "category_id", "tag", "variant_sku", "variant_id"};
}

std::span<const std::string_view> ProductCollection::filter_values(std::string_view field) const {
  if (field == "status") return product_internal::kStatusNames;
  if (field == "condition") return product_internal::kConditionNames;
  return {};
}

std::string ProductCollection::search_text(const json::object& stored) const {
  std::string text(string_or_empty(stored, "title"));
  text += ' ';
  text += string_or_empty(stored, "sku");
  for_each_string(stored, "tags", [&](std::string_view tag) {
    text += ' ';
    text += tag;
  });
  text += ' ';
  text += string_or_empty(stored, "description");
  return ascii_lower(text);
}

// Shoppers see active products only; the back office sees every status.
bool ProductCollection::visible_to(const json::object& stored, Role role) const {
  for (const auto& [field, value] : visible_filters(role))
    if (string_or_empty(stored, field) != value) return false;
  return true;
}

IndexKeys ProductCollection::visible_filters(Role role) const {
  if (!is_shopper(role)) return {};
  return {{"status", "active"}};
}

void ProductCollection::render(json::object& doc, Projection projection, Millis now) const {
  const Product p = read_pricing_fields(doc);
  const bool shopper = is_shopper(projection);
  const bool stock = reads_stock(projection);
  doc["price_now"] = price_now(p, now);
  doc["on_sale"] = on_sale(p, now);
  if (stock) doc["stock_total"] = stock_total(p);
  doc["stock_status"] = to_string(stock_status(p));

  // read_pricing_fields yields one Variant per element, so indices line up.
  if (json::value* variants = doc.if_contains("variants"); variants && variants->is_array()) {
    json::array& arr = variants->get_array();
    for (std::size_t i = 0; i < arr.size() && i < p.variants.size(); ++i) {
      if (!arr[i].is_object()) continue;
      json::object& v = arr[i].get_object();
      v["price_now"] = price_now(p, p.variants[i], now);
      v["stock_status"] = to_string(stock_status(p, p.variants[i]));
      if (!stock) v.erase("stock");
    }
  }
  if (!shopper) return;
  // Shoppers see whether something is in stock (partners also how much),
  // never how the shop manages it.
  for (std::string_view key : {"low_stock_threshold", "track_inventory", "allow_backorder"}) doc.erase(key);
  if (!stock) doc.erase("stock_total");
  if (json::value* sale = doc.if_contains("sale"); sale && sale->is_object()) {
    sale->get_object().erase("sold");
    sale->get_object().erase("stock_limit");
  }
}

std::string sale_next_value(Millis at) {
  std::string digits = std::to_string(at < 0 ? 0 : at);
  return std::string(kSaleNextWidth - std::min(kSaleNextWidth, digits.size()), '0') + digits;
}

std::optional<Millis> product_next_transition(const json::object& stored, Millis now) {
  return next_sale_transition(read_pricing_fields(stored), now);
}

}  // namespace shelfsync
