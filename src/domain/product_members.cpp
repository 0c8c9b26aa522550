// The nested product members decoded on their own: sale, images, fulfillment.

#include <set>
#include <utility>

#include <boost/json.hpp>

#include "domain/ids.hpp"
#include "domain/image_url.hpp"
#include "domain/json_read.hpp"
#include "domain/product_internal.hpp"

namespace shelfsync::product_internal {

namespace json = boost::json;

Sale decode_sale(const json::object& obj, Errors& errors) {
  MemberReader r(obj, "sale", errors);
  Sale sale;
  std::size_t kind = 0;
  const bool kind_ok = r.require("kind") && r.one_of("kind", kSaleKindNames, kind);
  if (kind_ok) sale.kind = static_cast<SaleKind>(kind);
  if (r.require("value")) {
    if (!kind_ok) {
      // The range depends on the kind; still report a wrong type.
      r.integer("value", INT64_MIN, INT64_MAX, sale.value);
    } else if (sale.kind == SaleKind::percent) {
      r.integer("value", 1, 100, sale.value);
    } else if (sale.kind == SaleKind::amount) {
      r.integer("value", 1, kMaxPrice, sale.value);
    } else {
      r.integer("value", 0, kMaxPrice, sale.value);
    }
  }
  const bool starts_ok = r.time("starts_at", sale.starts_at);
  const bool ends_ok = r.time("ends_at", sale.ends_at);
  if (starts_ok && ends_ok && *sale.ends_at <= *sale.starts_at)
    errors.add(r.path("ends_at"), "must be after starts_at");
  r.integer("stock_limit", 1, kMaxStock, sale.stock_limit);
  r.integer("sold", 0, kMaxStock, sale.sold);
  r.reject_unknown({"kind", "value", "starts_at", "ends_at", "stock_limit", "sold"});
  return sale;
}

void decode_images(MemberReader& r, Product& p) {
  const json::array* arr = r.array("images", kMaxImages);
  if (!arr) return;
  Errors& errors = r.errors();
  std::set<std::string> ids;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string path = element_path("images", i);
    if (!(*arr)[i].is_object()) {
      errors.add(path, "must be an object");
      continue;
    }
    MemberReader ir((*arr)[i].get_object(), path, errors);
    Image img;
    std::optional<std::string> id;
    if (ir.id("id", id)) {
      if (!ids.insert(*id).second) errors.add(ir.path("id"), "duplicate id");
      img.id = *id;
    }
    if (ir.require("url") && ir.string("url", 1, kMaxUrl, img.url))
      if (auto why = image_url_problem(img.url)) errors.add(ir.path("url"), *why);
    ir.string("alt", 0, kMaxAlt, img.alt);
    ir.integer("width", 1, kMaxImageDimension, img.width);
    ir.integer("height", 1, kMaxImageDimension, img.height);
    ir.reject_unknown({"id", "url", "alt", "width", "height"});
    p.images.push_back(std::move(img));
  }
  for (Image& img : p.images)
    if (img.id.empty()) img.id = new_id("img");
}

void decode_fulfillment(const json::object& obj, Errors& errors, Fulfillment& f) {
  MemberReader r(obj, "fulfillment", errors);
  r.boolean("pickup", f.pickup);
  if (const json::array* arr = r.array("pickup_locations", kMaxPickupLocations)) {
    for (std::size_t i = 0; i < arr->size(); ++i) {
      std::string s;
      if (read_string((*arr)[i], element_path(r.path("pickup_locations"), i), 1, kMaxPickupLocation, errors, s))
        f.pickup_locations.push_back(std::move(s));
    }
  }
  if (const json::array* arr = r.array("shipping", kMaxShipping)) {
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const std::string path = element_path(r.path("shipping"), i);
      if (!(*arr)[i].is_object()) {
        errors.add(path, "must be an object");
        continue;
      }
      MemberReader sr((*arr)[i].get_object(), path, errors);
      ShippingOption s;
      if (sr.require("method")) sr.string("method", 1, kMaxShippingMethod, s.method);
      if (sr.require("price")) sr.integer("price", 0, kMaxPrice, s.price);
      sr.integer("eta_days", 0, kMaxEtaDays, s.eta_days);
      sr.reject_unknown({"method", "price", "eta_days"});
      f.shipping.push_back(std::move(s));
    }
  }
  r.reject_unknown({"pickup", "pickup_locations", "shipping"});
}

}  // namespace shelfsync::product_internal
