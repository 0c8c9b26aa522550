// Options and variants of a product, and the rules between them: every
// variant names each declared option once, combinations and skus are unique,
// and ids (and stock) carry over from the previous version on update.

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <boost/json.hpp>

#include "domain/ids.hpp"
#include "domain/json_read.hpp"
#include "domain/product_internal.hpp"

namespace shelfsync::product_internal {

namespace json = boost::json;

namespace {

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
      if (read_string(member.value(), member_path(r.path("options"), key), 1, kMaxOptionValue, errors, value))
        pv.variant.options[key] = std::move(value);
    }
  }
  r.integer("price", 0, kMaxPrice, pv.variant.price);
  pv.has_stock = r.integer("stock", -kMaxStock, kMaxStock, pv.variant.stock);
  r.boolean("available", pv.variant.available);
  r.reject_unknown({"id", "sku", "options", "price", "stock", "available"}, {"price_now", "stock_status"});
  return pv;
}

// Each variant names every declared option exactly once, with a declared value.
void check_variant_options(const PendingVariant& pv, const std::vector<ProductOption>& options, Errors& errors) {
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
    const bool declared =
        std::any_of(options.begin(), options.end(), [&](const ProductOption& o) { return o.name == key; });
    if (!declared) errors.add(member_path(base, key), "unknown option");
  }
}

const Variant* find_variant(const Product* product, const std::string& id) {
  if (!product) return nullptr;
  for (const Variant& v : product->variants)
    if (v.id == id) return &v;
  return nullptr;
}

}  // namespace

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
    if (orr.require("name") && orr.string("name", 1, kMaxOptionName, opt.name) && !names.insert(opt.name).second)
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
      errors.add(member_path(pv.path, "options"), p.options.empty()
                                                      ? "a product without options has exactly one variant"
                                                      : "duplicate option combination");
    if (!pv.variant.sku.empty() && !skus.insert(pv.variant.sku).second)
      errors.add(member_path(pv.path, "sku"), "duplicate sku");
    if (pv.has_id && !used_ids.insert(pv.variant.id).second) errors.add(member_path(pv.path, "id"), "duplicate id");
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
        errors.add(member_path(pv.path, "stock"), "must be at least 0 unless allow_backorder is true");
      } else {
        inherited_negative = true;
      }
    }
    p.variants.push_back(std::move(v));
  }
  if (inherited_negative) errors.add("allow_backorder", "must be true while a variant's stock is negative");
}

}  // namespace shelfsync::product_internal
