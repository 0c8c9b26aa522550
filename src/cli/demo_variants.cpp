// add_variants: a demo product's options, variants and their stock.

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "cli/demo_products.hpp"
#include "cli/demo_text.hpp"

namespace shelfsync::demo {

namespace json = boost::json;

namespace {

int stock_level(Rng& rng, int threshold, bool sold_out) {
  if (sold_out) return 0;
  const int r = rng.range(0, 99);
  if (r < 8) return 0;
  if (r < 22) return rng.range(1, threshold);
  return rng.range(threshold + 1, 150);
}

}  // namespace

std::vector<const ColorSpec*> add_variants(Rng& rng, json::object& p, const ProductContext& ctx, const std::string& sku,
                                           std::int64_t price, int threshold, bool allow_backorder) {
  const std::string var_prefix = "var_demo_" + pad(ctx.index + 1, 4) + "_";
  json::array variants;
  if (ctx.cat.variants == VariantKind::single) {
    int stock = stock_level(rng, threshold, false);
    if (allow_backorder && stock == 0) stock = -rng.range(1, 3);  // orders waiting for stock
    variants.push_back(json::object{
        {"id", var_prefix + "01"}, {"sku", sku}, {"options", json::object{}}, {"stock", stock}, {"available", true}});
    p["options"] = json::array{};
    p["variants"] = std::move(variants);
    return {};
  }
  const bool apparel = ctx.cat.variants == VariantKind::apparel;
  const auto& all_sizes = apparel ? kApparelSizes : kShoeSizes;
  const int n_sizes = apparel ? rng.range(4, 6) : rng.range(5, 7);
  const int first = rng.range(0, static_cast<int>(all_sizes.size()) - n_sizes);
  std::vector<std::string_view> sizes(all_sizes.begin() + first, all_sizes.begin() + first + n_sizes);
  std::vector<const ColorSpec*> palette;
  for (const auto& c : colors()) palette.push_back(&c);
  rng.shuffle(palette);
  palette.resize(apparel ? rng.range(2, 3) : rng.range(1, 3));

  json::array size_values, color_values;
  for (auto s : sizes) size_values.emplace_back(s);
  for (auto* c : palette) color_values.emplace_back(c->name);
  p["options"] = json::array{json::object{{"name", "size"}, {"values", std::move(size_values)}},
                             json::object{{"name", "color"}, {"values", std::move(color_values)}}};
  const bool all_sold_out = rng.percent(6);
  int n = 0;
  for (auto* color : palette) {
    for (auto size : sizes) {
      json::object v{{"id", var_prefix + pad(++n, 2)},
                     {"sku", sku + "-" + std::string(size) + "-" + std::string(color->code)},
                     {"options", json::object{{"size", size}, {"color", color->name}}}};
      if (size == "XXL") v["price"] = price + 500;  // bigger sizes cost a little more
      int stock = rng.range(0, 99) < 15 ? 0 : rng.range(1, 30);
      if (all_sold_out) stock = 0;
      v["stock"] = stock;
      v["available"] = !(palette.size() > 1 && rng.percent(4));  // a discontinued combination
      variants.push_back(std::move(v));
    }
  }
  p["variants"] = std::move(variants);
  return palette;
}

}  // namespace shelfsync::demo
