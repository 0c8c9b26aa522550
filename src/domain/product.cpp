#include "domain/product.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include <boost/json.hpp>

#include "domain/ids.hpp"
#include "domain/json_read.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

constexpr std::string_view kStatusNames[] = {"draft", "active", "archived"};
constexpr std::string_view kConditionNames[] = {"new",  "like_new",    "good",
                                                "fair", "refurbished", "for_parts"};
constexpr std::string_view kSaleKindNames[] = {"percent", "amount", "fixed_price"};

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxDescription = 20000;
constexpr std::size_t kMaxSku = 64;
constexpr std::size_t kMaxImages = 50;
constexpr std::size_t kMaxUrl = 2048;
constexpr std::size_t kMaxAlt = 500;
constexpr std::int64_t kMaxImageDimension = 65535;
constexpr std::size_t kMaxOptions = 10;
constexpr std::size_t kMaxOptionName = 50;
constexpr std::size_t kMaxOptionValues = 250;  // no product can have more variants anyway
constexpr std::size_t kMaxOptionValue = 100;
constexpr std::size_t kMaxVariants = 250;
constexpr std::size_t kMaxCategories = 50;
constexpr std::size_t kMaxTags = 50;
constexpr std::size_t kMaxTag = 50;
constexpr std::size_t kMaxPickupLocations = 50;
constexpr std::size_t kMaxPickupLocation = 200;
constexpr std::size_t kMaxShipping = 20;
constexpr std::size_t kMaxShippingMethod = 100;
constexpr std::int64_t kMaxEtaDays = 365;

template <class E, std::size_t N>
std::optional<E> parse_enum(const std::string_view (&names)[N], std::string_view text) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

std::string_view str(const json::string& s) { return {s.data(), s.size()}; }

// ---- decoding -------------------------------------------------------------

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
    if (ir.require("url")) ir.string("url", 1, kMaxUrl, img.url);
    ir.string("alt", 0, kMaxAlt, img.alt);
    ir.integer("width", 1, kMaxImageDimension, img.width);
    ir.integer("height", 1, kMaxImageDimension, img.height);
    ir.reject_unknown({"id", "url", "alt", "width", "height"});
    p.images.push_back(std::move(img));
  }
  for (Image& img : p.images)
    if (img.id.empty()) img.id = new_id("img");
}

// Returns whether every option declaration is valid (variants are checked
// against them only then, to avoid a cascade of follow-on errors).
bool decode_options(MemberReader& r, Product& p) {
  Errors& errors = r.errors();
  const std::size_t errors_before = errors.list().size();
  const json::array* arr = r.array("options", kMaxOptions);
  if (!arr) return errors.list().size() == errors_before;
  std::set<std::string> names;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string path = element_path("options", i);
    if (!(*arr)[i].is_object()) {
      errors.add(path, "must be an object");
      continue;
    }
    MemberReader orr((*arr)[i].get_object(), path, errors);
    ProductOption opt;
    if (orr.require("name") && orr.string("name", 1, kMaxOptionName, opt.name) &&
        !names.insert(opt.name).second)
      errors.add(orr.path("name"), "duplicate option name");
    if (orr.require("values")) {
      if (const json::array* values = orr.array("values", kMaxOptionValues)) {
        if (values->empty()) errors.add(orr.path("values"), "must have at least 1 value");
        std::set<std::string> seen;
        for (std::size_t j = 0; j < values->size(); ++j) {
          const std::string vpath = element_path(orr.path("values"), j);
          std::string value;
          if (!read_string((*values)[j], vpath, 1, kMaxOptionValue, errors, value)) continue;
          if (!seen.insert(value).second) {
            errors.add(vpath, "duplicate value");
            continue;
          }
          opt.values.push_back(std::move(value));
        }
      }
    }
    orr.reject_unknown({"name", "values"});
    p.options.push_back(std::move(opt));
  }
  return errors.list().size() == errors_before;
}

struct PendingVariant {
  Variant variant;
  std::string path;                   // empty for the default variant made up here
  std::set<std::string> option_keys;  // as sent, valid or not
  bool has_id = false;
  bool has_stock = false;
};

PendingVariant decode_variant(const json::object& obj, std::string path, Errors& errors) {
  MemberReader r(obj, path, errors);
  PendingVariant pv;
  pv.path = std::move(path);
  std::optional<std::string> id;
  if (r.id("id", id)) {
    pv.variant.id = *id;
    pv.has_id = true;
  }
  r.string("sku", 0, kMaxSku, pv.variant.sku);
  if (const json::object* opts = r.object("options")) {
    for (const auto& member : *opts) {
      const std::string key(member.key().data(), member.key().size());
      pv.option_keys.insert(key);
      std::string value;
      if (read_string(member.value(), member_path(r.path("options"), key), 1, kMaxOptionValue,
                      errors, value))
        pv.variant.options[key] = std::move(value);
    }
  }
  r.integer("price", 0, kMaxPrice, pv.variant.price);
  pv.has_stock = r.integer("stock", -kMaxStock, kMaxStock, pv.variant.stock);
  r.boolean("available", pv.variant.available);
  r.reject_unknown({"id", "sku", "options", "price", "stock", "available"},
                   {"price_now", "stock_status"});
  return pv;
}

// Each variant names every declared option exactly once, with a declared value.
void check_variant_options(const PendingVariant& pv, const std::vector<ProductOption>& options,
                           Errors& errors) {
  const std::string base = member_path(pv.path, "options");
  for (const ProductOption& opt : options) {
    const std::string path = member_path(base, opt.name);
    if (!pv.option_keys.count(opt.name)) {
      errors.add(path, "required");
      continue;
    }
    const auto it = pv.variant.options.find(opt.name);
    if (it != pv.variant.options.end() &&
        std::find(opt.values.begin(), opt.values.end(), it->second) == opt.values.end())
      errors.add(path, "must be one of the values of option \"" + opt.name + "\"");
  }
  for (const std::string& key : pv.option_keys) {
    const bool declared = std::any_of(options.begin(), options.end(),
                                      [&](const ProductOption& o) { return o.name == key; });
    if (!declared) errors.add(member_path(base, key), "unknown option");
  }
}

const Variant* find_variant(const Product* product, const std::string& id) {
  if (!product) return nullptr;
  for (const Variant& v : product->variants)
    if (v.id == id) return &v;
  return nullptr;
}

void decode_variants(MemberReader& r, Product& p, bool options_ok, const Product* previous) {
  Errors& errors = r.errors();
  std::vector<PendingVariant> pending;
  const json::array* arr = r.array("variants", kMaxVariants);
  for (std::size_t i = 0; arr && i < arr->size(); ++i) {
    std::string path = element_path("variants", i);
    if (!(*arr)[i].is_object()) {
      errors.add(path, "must be an object");
      continue;
    }
    pending.push_back(decode_variant((*arr)[i].get_object(), std::move(path), errors));
  }
  // Absent or []; a malformed member has been reported already.
  const bool sent_none = !r.has("variants") || (arr && arr->empty());
  if (sent_none && !p.options.empty()) {
    if (options_ok) errors.add("variants", "required when options are declared");
  } else if (sent_none) {
    pending.emplace_back();  // the default variant
  }

  std::set<std::map<std::string, std::string>> combos;
  std::set<std::string> skus;
  std::set<std::string> used_ids;
  for (PendingVariant& pv : pending) {
    if (!pv.path.empty() && options_ok) check_variant_options(pv, p.options, errors);
    if (!combos.insert(pv.variant.options).second)
      errors.add(member_path(pv.path, "options"),
                 p.options.empty() ? "a product without options has exactly one variant"
                                   : "duplicate option combination");
    if (!pv.variant.sku.empty() && !skus.insert(pv.variant.sku).second)
      errors.add(member_path(pv.path, "sku"), "duplicate sku");
    if (pv.has_id && !used_ids.insert(pv.variant.id).second)
      errors.add(member_path(pv.path, "id"), "duplicate id");
  }
  // A default variant's sku follows the product's.
  if (p.options.empty() && pending.size() == 1) pending[0].variant.sku = p.sku;

  bool inherited_negative = false;
  for (PendingVariant& pv : pending) {
    Variant& v = pv.variant;
    if (!pv.has_id) {
      // Same options as a previous variant: the same variant, keep its id.
      if (previous) {
        for (const Variant& old : previous->variants) {
          if (old.options == v.options && !used_ids.count(old.id)) {
            v.id = old.id;
            break;
          }
        }
      }
      if (v.id.empty()) v.id = new_id("var");
      used_ids.insert(v.id);
    }
    if (!pv.has_stock) {
      if (const Variant* old = find_variant(previous, v.id)) v.stock = old->stock;
    }
    if (v.stock < 0 && !p.allow_backorder) {
      if (pv.has_stock) {
        errors.add(member_path(pv.path, "stock"),
                   "must be at least 0 unless allow_backorder is true");
      } else {
        inherited_negative = true;
      }
    }
    p.variants.push_back(std::move(v));
  }
  if (inherited_negative)
    errors.add("allow_backorder", "must be true while a variant's stock is negative");
}

// An array of unique strings (tags) or ids (category_ids).
void decode_unique_list(MemberReader& r, std::string_view key, std::size_t max_items,
                        std::size_t max_len, bool ids, std::vector<std::string>& out) {
  const json::array* arr = r.array(key, max_items);
  if (!arr) return;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string path = element_path(r.path(key), i);
    std::string s;
    const bool ok = ids ? read_id((*arr)[i], path, r.errors(), s)
                        : read_string((*arr)[i], path, 1, max_len, r.errors(), s);
    if (!ok) continue;
    if (!seen.insert(s).second) {
      r.errors().add(path, "duplicate");
      continue;
    }
    out.push_back(std::move(s));
  }
}

void decode_fulfillment(const json::object& obj, Errors& errors, Fulfillment& f) {
  MemberReader r(obj, "fulfillment", errors);
  r.boolean("pickup", f.pickup);
  if (const json::array* arr = r.array("pickup_locations", kMaxPickupLocations)) {
    for (std::size_t i = 0; i < arr->size(); ++i) {
      std::string s;
      if (read_string((*arr)[i], element_path(r.path("pickup_locations"), i), 1, kMaxPickupLocation,
                      errors, s))
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

// ---- encoding -------------------------------------------------------------

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

// ---- lenient reading of stored documents -------------------------------

std::optional<std::int64_t> int_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64())
    return static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), INT64_MAX));
  if (v->is_double() && v->get_double() >= -9e15 && v->get_double() <= 9e15)
    return static_cast<std::int64_t>(v->get_double());
  return std::nullopt;
}

bool bool_member(const json::object& o, std::string_view key, bool fallback) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() ? v->get_bool() : fallback;
}

std::optional<Millis> time_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return parse_rfc3339(str(v->get_string()));
}

std::optional<std::string_view> string_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return str(v->get_string());
}

}  // namespace

std::string_view to_string(ProductStatus status) {
  return kStatusNames[static_cast<std::size_t>(status)];
}
std::string_view to_string(Condition condition) {
  return kConditionNames[static_cast<std::size_t>(condition)];
}
std::string_view to_string(SaleKind kind) { return kSaleKindNames[static_cast<std::size_t>(kind)]; }

std::optional<ProductStatus> parse_product_status(std::string_view text) {
  return parse_enum<ProductStatus>(kStatusNames, text);
}
std::optional<Condition> parse_condition(std::string_view text) {
  return parse_enum<Condition>(kConditionNames, text);
}
std::optional<SaleKind> parse_sale_kind(std::string_view text) {
  return parse_enum<SaleKind>(kSaleKindNames, text);
}

Result<Product> decode_product(const json::object& input, const Product* previous,
                               const NormalizeContext& ctx) {
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
  if (const json::object* f = r.object("fulfillment"))
    decode_fulfillment(*f, errors, p.fulfillment);
  if (const json::object* attrs = r.object("attributes")) {
    if (json::serialize(*attrs).size() > kMaxAttributesBytes) {
      errors.add("attributes",
                 "must be at most " + std::to_string(kMaxAttributesBytes) + " bytes as JSON");
    } else {
      p.attributes = *attrs;
    }
  }

  r.reject_unknown({"title",
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
                   {"id", "version", "created_at", "updated_at", "currency", "price_now", "on_sale",
                    "stock_total", "stock_status"});
  if (!errors.empty()) return errors.problem();
  return p;
}

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

Product read_pricing_fields(const json::object& stored) {
  Product p;
  if (auto s = string_member(stored, "status"))
    p.status = parse_product_status(*s).value_or(ProductStatus::draft);
  p.price = int_member(stored, "price").value_or(0);
  p.track_inventory = bool_member(stored, "track_inventory", true);
  p.allow_backorder = bool_member(stored, "allow_backorder", false);
  p.low_stock_threshold = int_member(stored, "low_stock_threshold").value_or(5);

  const json::value* sale = stored.if_contains("sale");
  if (sale && sale->is_object()) {
    const json::object& so = sale->get_object();
    const auto kind = string_member(so, "kind");
    const auto parsed = kind ? parse_sale_kind(*kind) : std::nullopt;
    if (parsed) {
      Sale s;
      s.kind = *parsed;
      s.value = int_member(so, "value").value_or(0);
      s.starts_at = time_member(so, "starts_at");
      s.ends_at = time_member(so, "ends_at");
      s.stock_limit = int_member(so, "stock_limit");
      s.sold = int_member(so, "sold").value_or(0);
      p.sale = s;
    }
  }

  const json::value* variants = stored.if_contains("variants");
  if (variants && variants->is_array()) {
    for (const json::value& v : variants->get_array()) {
      Variant var;
      if (v.is_object()) {
        const json::object& vo = v.get_object();
        if (auto id = string_member(vo, "id")) var.id = *id;
        var.price = int_member(vo, "price");
        var.stock = int_member(vo, "stock").value_or(0);
        var.available = bool_member(vo, "available", true);
      }
      p.variants.push_back(std::move(var));
    }
  }
  return p;
}

}  // namespace shelfsync
