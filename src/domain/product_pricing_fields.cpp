// read_pricing_fields: lenient reading of a stored product document.

#include <algorithm>
#include <utility>

#include <boost/json.hpp>

#include "domain/product.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

std::string_view str(const json::string& s) { return {s.data(), s.size()}; }

std::optional<std::int64_t> int_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), INT64_MAX));
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

Product read_pricing_fields(const json::object& stored) {
  Product p;
  if (auto title = string_member(stored, "title")) p.title = *title;
  if (auto s = string_member(stored, "status")) p.status = parse_product_status(*s).value_or(ProductStatus::draft);
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

  const json::value* options = stored.if_contains("options");
  if (options && options->is_array()) {
    for (const json::value& o : options->get_array()) {
      if (!o.is_object()) continue;
      if (auto name = string_member(o.get_object(), "name")) p.options.push_back({std::string(*name), {}});
    }
  }

  const json::value* variants = stored.if_contains("variants");
  if (variants && variants->is_array()) {
    for (const json::value& v : variants->get_array()) {
      Variant var;
      if (v.is_object()) {
        const json::object& vo = v.get_object();
        if (auto id = string_member(vo, "id")) var.id = *id;
        if (auto sku = string_member(vo, "sku")) var.sku = *sku;
        var.price = int_member(vo, "price");
        var.stock = int_member(vo, "stock").value_or(0);
        var.available = bool_member(vo, "available", true);
        const json::value* options = vo.if_contains("options");
        if (options && options->is_object())
          for (const auto& [name, value] : options->get_object())
            if (value.is_string()) var.options[std::string(name)] = std::string(str(value.get_string()));
      }
      p.variants.push_back(std::move(var));
    }
  }
  return p;
}

}  // namespace shelfsync
