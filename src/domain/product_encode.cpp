// encode_product: the canonical stored form of a product.

#include <utility>

#include <boost/json.hpp>

#include "domain/product.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

json::object encode_sale(const Sale& sale) {
  json::object o;
  o["kind"] = to_string(sale.kind);
  o["value"] = sale.value;
  if (sale.starts_at) o["starts_at"] = format_rfc3339(*sale.starts_at);
  if (sale.ends_at) o["ends_at"] = format_rfc3339(*sale.ends_at);
  if (sale.stock_limit) o["stock_limit"] = *sale.stock_limit;
  o["sold"] = sale.sold;
  return o;
}

json::object encode_variant(const Variant& v, const std::vector<ProductOption>& declared) {
  json::object o;
  o["id"] = v.id;
  o["sku"] = v.sku;
  // Declared option order reads naturally ("size" before "color"); anything
  // undeclared (only in an unvalidated struct) follows in name order.
  json::object opts;
  for (const ProductOption& opt : declared) {
    const auto it = v.options.find(opt.name);
    if (it != v.options.end()) opts[it->first] = it->second;
  }
  for (const auto& [name, value] : v.options)
    if (!opts.contains(name)) opts[name] = value;
  o["options"] = std::move(opts);
  if (v.price) o["price"] = *v.price;
  o["stock"] = v.stock;
  o["available"] = v.available;
  return o;
}

json::array string_array(const std::vector<std::string>& items) {
  json::array a;
  for (const std::string& s : items) a.emplace_back(s);
  return a;
}

}  // namespace

json::object encode_product(const Product& p) {
  json::object o;
  o["title"] = p.title;
  o["description"] = p.description;
  o["sku"] = p.sku;
  o["status"] = to_string(p.status);
  o["condition"] = to_string(p.condition);
  o["price"] = p.price;
  if (p.compare_at_price) o["compare_at_price"] = *p.compare_at_price;
  if (!p.currency.empty()) o["currency"] = p.currency;
  if (p.sale) o["sale"] = encode_sale(*p.sale);

  json::array images;
  for (const Image& img : p.images) {
    json::object io;
    io["id"] = img.id;
    io["url"] = img.url;
    io["alt"] = img.alt;
    if (img.width) io["width"] = *img.width;
    if (img.height) io["height"] = *img.height;
    images.push_back(std::move(io));
  }
  o["images"] = std::move(images);

  json::array options;
  for (const ProductOption& opt : p.options) {
    json::object oo;
    oo["name"] = opt.name;
    oo["values"] = string_array(opt.values);
    options.push_back(std::move(oo));
  }
  o["options"] = std::move(options);

  json::array variants;
  for (const Variant& v : p.variants) variants.push_back(encode_variant(v, p.options));
  o["variants"] = std::move(variants);

  o["track_inventory"] = p.track_inventory;
  o["allow_backorder"] = p.allow_backorder;
  o["low_stock_threshold"] = p.low_stock_threshold;
  o["category_ids"] = string_array(p.category_ids);
  o["tags"] = string_array(p.tags);
  if (p.brand_id) o["brand_id"] = *p.brand_id;
  if (p.unit_id) o["unit_id"] = *p.unit_id;

  json::object f;
  f["pickup"] = p.fulfillment.pickup;
  f["pickup_locations"] = string_array(p.fulfillment.pickup_locations);
  json::array shipping;
  for (const ShippingOption& s : p.fulfillment.shipping) {
    json::object so;
    so["method"] = s.method;
    so["price"] = s.price;
    if (s.eta_days) so["eta_days"] = *s.eta_days;
    shipping.push_back(std::move(so));
  }
  f["shipping"] = std::move(shipping);
  o["fulfillment"] = std::move(f);
  o["attributes"] = p.attributes;
  return o;
}

}  // namespace shelfsync
