// decode_product: the top level of a product document.

#include <set>
#include <utility>

#include <boost/json.hpp>

#include "domain/json_read.hpp"
#include "domain/product.hpp"
#include "domain/product_internal.hpp"

namespace shelfsync {

namespace json = boost::json;
using product_internal::decode_fulfillment;
using product_internal::decode_images;
using product_internal::decode_options;
using product_internal::decode_sale;
using product_internal::decode_variants;
using product_internal::kConditionNames;
using product_internal::kMaxCategories;
using product_internal::kMaxDescription;
using product_internal::kMaxSku;
using product_internal::kMaxTag;
using product_internal::kMaxTags;
using product_internal::kMaxTitle;
using product_internal::kStatusNames;

namespace {

// An array of unique strings (tags) or ids (category_ids).
void decode_unique_list(MemberReader& r, std::string_view key, std::size_t max_items, std::size_t max_len, bool ids,
                        std::vector<std::string>& out) {
  const json::array* arr = r.array(key, max_items);
  if (!arr) return;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string path = element_path(r.path(key), i);
    std::string s;
    const bool ok =
        ids ? read_id((*arr)[i], path, r.errors(), s) : read_string((*arr)[i], path, 1, max_len, r.errors(), s);
    if (!ok) continue;
    if (!seen.insert(s).second) {
      r.errors().add(path, "duplicate");
      continue;
    }
    out.push_back(std::move(s));
  }
}

}  // namespace

Result<Product> decode_product(const json::object& input, const Product* previous, const NormalizeContext& ctx) {
  Errors errors;
  MemberReader r(input, "", errors);
  Product p;
  p.currency = ctx.currency;

  if (r.require("title")) r.string("title", 1, kMaxTitle, p.title);
  r.string("description", 0, kMaxDescription, p.description);
  r.string("sku", 0, kMaxSku, p.sku);
  std::size_t index = 0;
  if (r.one_of("status", kStatusNames, index)) p.status = static_cast<ProductStatus>(index);
  if (r.one_of("condition", kConditionNames, index)) p.condition = static_cast<Condition>(index);
  if (r.require("price")) r.integer("price", 0, kMaxPrice, p.price);
  r.integer("compare_at_price", 0, kMaxPrice, p.compare_at_price);
  if (const json::object* sale = r.object("sale")) p.sale = decode_sale(*sale, errors);

  decode_images(r, p);
  const bool options_ok = decode_options(r, p);
  r.boolean("track_inventory", p.track_inventory);
  r.boolean("allow_backorder", p.allow_backorder);
  r.integer("low_stock_threshold", 0, kMaxStock, p.low_stock_threshold);
  decode_variants(r, p, options_ok, previous);

  decode_unique_list(r, "category_ids", kMaxCategories, 0, /*ids=*/true, p.category_ids);
  decode_unique_list(r, "tags", kMaxTags, kMaxTag, /*ids=*/false, p.tags);
  r.id("brand_id", p.brand_id);
  r.id("unit_id", p.unit_id);
  if (const json::object* f = r.object("fulfillment")) decode_fulfillment(*f, errors, p.fulfillment);
  if (const json::object* attrs = r.object("attributes")) {
    if (json::serialize(*attrs).size() > kMaxAttributesBytes) {
      errors.add("attributes", "must be at most " + std::to_string(kMaxAttributesBytes) + " bytes as JSON");
    } else {
      p.attributes = *attrs;
    }
  }

  r.reject_unknown(
      {"title",
       "description",
       "sku",
       "status",
       "condition",
       "price",
       "compare_at_price",
       "sale",
       "images",
       "options",
       "variants",
       "track_inventory",
       "allow_backorder",
       "low_stock_threshold",
       "category_ids",
       "tags",
       "brand_id",
       "unit_id",
       "fulfillment",
       "attributes"},
      {"id", "version", "created_at", "updated_at", "currency", "price_now", "on_sale", "stock_total", "stock_status"});
  if (!errors.empty()) return errors.problem();
  return p;
}

}  // namespace shelfsync
