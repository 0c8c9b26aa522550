#include "domain/checkout.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include <boost/json.hpp>

#include "domain/json_read.hpp"
#include "domain/pricing.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

void decode_item(const json::value& v, const std::string& path, Errors& errors, std::vector<CheckoutItem>& out) {
  if (!v.is_object()) {
    errors.add(path, "must be an object");
    return;
  }
  MemberReader r(v.get_object(), path, errors);
  std::optional<std::string> product_id;
  std::optional<std::string> variant_id;
  CheckoutItem item;
  // Every reader runs, so each bad member of the item is reported.
  const bool has_product = r.require("product_id") && r.id("product_id", product_id);
  const bool has_variant = r.require("variant_id") && r.id("variant_id", variant_id);
  const bool has_qty = r.require("qty") && r.integer("qty", 1, kMaxCheckoutQty, item.qty);
  const bool has_price = r.require("unit_price") && r.integer("unit_price", 0, kMaxPrice, item.unit_price);
  r.reject_unknown({"product_id", "variant_id", "qty", "unit_price"});
  if (!has_product || !has_variant || !has_qty || !has_price) return;
  item.product_id = std::move(*product_id);
  item.variant_id = std::move(*variant_id);
  out.push_back(std::move(item));
}

Correction make(std::size_t index, std::string_view field, json::value expected, json::value actual) {
  return {index, std::string(field), std::move(expected), std::move(actual)};
}

// A client price that matches the price with the sale in the other state
// means the sale started or ended since the client looked.
std::optional<Correction> sale_correction(std::size_t index, const CheckoutItem& item, const Product& product,
                                          const Variant& variant, Millis now) {
  if (!product.sale) return std::nullopt;
  const std::int64_t regular = variant.price.value_or(product.price);
  if (on_sale(product, now)) {
    if (item.unit_price == regular) return make(index, "sale", false, true);
  } else if (item.unit_price == sale_price(regular, *product.sale)) {
    return make(index, "sale", true, false);
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<CheckoutItem>> decode_checkout(const json::object& body,
                                                  std::initializer_list<std::string_view> extra_members) {
  Errors errors;
  MemberReader r(body, "", errors);
  std::vector<CheckoutItem> items;
  if (r.require("items")) {
    if (const json::array* list = r.array("items", kMaxCheckoutItems)) {
      if (list->empty()) errors.add("items", "must have at least 1 item");
      for (std::size_t i = 0; i < list->size(); ++i) decode_item((*list)[i], element_path("items", i), errors, items);
    }
  }
  r.reject_unknown({"items"}, extra_members);
  if (!errors.empty()) return errors.problem();
  return items;
}

json::object to_json(const Correction& correction) {
  json::object o;
  o["index"] = static_cast<std::int64_t>(correction.index);
  o["field"] = correction.field;
  o["expected"] = correction.expected;
  o["actual"] = correction.actual;
  return o;
}

const Variant* find_variant(const Product& product, std::string_view id) {
  for (const Variant& v : product.variants)
    if (v.id == id) return &v;
  return nullptr;
}

std::vector<Correction> check_item(std::size_t index, const CheckoutItem& item, const Product* product,
                                   std::int64_t already_taken, Millis now) {
  std::vector<Correction> out;
  const Variant* variant = product ? find_variant(*product, item.variant_id) : nullptr;
  if (!product || product->status != ProductStatus::active || !variant || !variant->available) {
    out.push_back(make(index, "availability", "available", "unavailable"));
    return out;
  }

  const std::int64_t current = price_now(*product, *variant, now);
  if (item.unit_price != current) {
    if (auto sale = sale_correction(index, item, *product, *variant, now)) {
      out.push_back(std::move(*sale));
    } else {
      out.push_back(make(index, "price", item.unit_price, current));
    }
  }

  // Untracked or backordered stock never runs out.
  if (product->track_inventory && !product->allow_backorder) {
    const std::int64_t available = std::max<std::int64_t>(0, variant->stock - std::max<std::int64_t>(0, already_taken));
    if (item.qty > available) out.push_back(make(index, "stock", item.qty, available));
  }
  return out;
}

std::vector<Correction> check_items(const std::vector<CheckoutItem>& items, const ProductLookup& lookup, Millis now) {
  std::vector<Correction> out;
  // Units of each (product, variant) claimed by earlier items.
  std::map<std::pair<std::string_view, std::string_view>, std::int64_t> taken;
  // Limited-sale units of each product claimed by earlier items.
  std::map<std::string_view, std::int64_t> sale_taken;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const CheckoutItem& item = items[i];
    const Product* product = lookup(item.product_id);
    std::int64_t& claimed = taken[{item.product_id, item.variant_id}];
    auto found = check_item(i, item, product, claimed, now);
    claimed += item.qty;
    const bool priced_right =
        std::none_of(found.begin(), found.end(), [](const Correction& c) { return c.field != "stock"; });
    if (priced_right && product->sale && product->sale->stock_limit && on_sale(*product, now)) {
      std::int64_t& sale_claimed = sale_taken[item.product_id];
      const std::int64_t left =
          std::max<std::int64_t>(0, *product->sale->stock_limit - product->sale->sold - sale_claimed);
      if (item.qty > left) found.push_back(make(i, "sale", item.qty, left));
      sale_claimed += item.qty;
    }
    for (Correction& c : found) out.push_back(std::move(c));
  }
  return out;
}

std::string line_title(const Product& product, const Variant& variant) {
  std::string values;
  for (const ProductOption& option : product.options) {
    auto it = variant.options.find(option.name);
    if (it == variant.options.end()) continue;
    if (!values.empty()) values += " / ";
    values += it->second;
  }
  std::string title = product.title.empty() ? std::string("Item") : product.title;
  if (!values.empty()) title += " (" + values + ")";
  // Cut at 200 code points, never inside a UTF-8 sequence.
  std::size_t code_points = 0;
  for (std::size_t i = 0; i < title.size(); ++i) {
    if ((static_cast<unsigned char>(title[i]) & 0xC0) == 0x80) continue;
    if (++code_points > 200) {
      title.resize(i);
      break;
    }
  }
  return title;
}

std::int64_t line_total(const CheckoutItem& item) { return item.qty * item.unit_price; }

std::int64_t checkout_total(const std::vector<CheckoutItem>& items) {
  std::int64_t total = 0;
  for (const CheckoutItem& item : items) total += line_total(item);
  return total;
}

Problem checkout_problem(const std::vector<Correction>& corrections) {
  Problem p = Problem::of(
      ErrorCode::checkout_corrections,
      std::to_string(corrections.size()) + " correction(s): items changed since the client saw them; see corrections");
  json::array list;
  for (const Correction& c : corrections) list.push_back(to_json(c));
  p.extensions["ok"] = false;
  p.extensions["corrections"] = std::move(list);
  return p;
}

}  // namespace shelfsync
