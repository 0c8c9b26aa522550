#include "cli/demo_products.hpp"

#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "cli/demo_catalog.hpp"
#include "cli/demo_images.hpp"
#include "cli/demo_text.hpp"

namespace shelfsync::demo {

namespace json = boost::json;

namespace {

// A shop-looking price: rounded to whole units, minus one cent (49.99).
std::int64_t shop_price(Rng& rng, int lo, int hi) {
  const int raw = rng.range(lo, hi);
  if (raw < 1000) return raw / 10 * 10 + 9;
  return std::max<std::int64_t>(raw / 100 * 100 - 1, 99);
}

std::string title_of(const Combo& c) {
  std::string t = c.family->noun_first ? std::string(c.family->noun) + " " + std::string(c.qualifier->text)
                                       : std::string(c.qualifier->text) + " " + std::string(c.family->noun);
  if (!c.size.empty()) t += " " + std::string(c.size);
  return t;
}

// The big words on the placeholder: the title if short, else without its
// size, else the part that names the thing.
std::string short_label(const Combo& c, const std::string& title) {
  if (title.size() <= 24) return title;
  std::string base = title_of({c.family, c.qualifier, ""});
  if (base.size() <= 26) return base;
  return std::string(c.family->noun_first ? c.qualifier->text : c.family->noun);
}

}  // namespace

Built make_product(Rng& rng, const ProductContext& ctx, Millis now) {
  const CategorySpec& cat = ctx.cat;
  const Combo& combo = ctx.combo;
  const std::string title = title_of(combo);
  const std::string sku = std::string(cat.sku_prefix) + "-" + pad(ctx.number_in_cat, 4);
  const std::int64_t price = shop_price(rng, combo.family->min_price, combo.family->max_price);
  const int weight_g = rng.range(combo.family->min_weight_g, combo.family->max_weight_g) / 10 * 10;
  const std::string_view condition = pick_condition(rng, cat.key);
  const bool has_brand = rng.percent(95);
  const BrandSpec* brand = nullptr;
  if (has_brand) {
    const std::string_view key = rng.pick(cat.brands);
    for (const auto& b : brand_specs())
      if (b.key == key) brand = &b;
  }
  const std::string_view material =
      !combo.qualifier->material.empty() ? combo.qualifier->material : combo.family->material;

  json::object p;
  p["id"] = "prod_demo_" + pad(ctx.index + 1, 4);
  p["title"] = title;
  p["description"] = make_description(rng, ctx, material, brand ? brand->name : "");
  p["sku"] = sku;
  p["status"] = ctx.status;
  p["condition"] = condition;
  p["price"] = price;
  if (rng.percent(20)) p["compare_at_price"] = (price * rng.range(115, 140) / 100) / 100 * 100 + 99;
  if (ctx.sale_slot >= 0) p["sale"] = make_sale(rng, ctx.sale_slot, price, now);

  const int threshold = rng.pick(std::vector<int>{3, 5, 5, 5, 10});
  const bool track = !rng.percent(3);
  const bool backorder = track && rng.percent(5);
  const std::vector<const ColorSpec*> image_colors = add_variants(rng, p, ctx, sku, price, threshold, backorder);
  p["track_inventory"] = track;
  p["allow_backorder"] = backorder;
  p["low_stock_threshold"] = threshold;

  // Own category, its parent, sometimes a related one.
  json::array category_ids{"cat_" + std::string(cat.key)};
  if (!cat.parent.empty()) category_ids.emplace_back("cat_" + std::string(cat.parent));
  if (rng.percent(20)) {
    std::string_view related = cat.key == "sports"    ? "outdoor"
                               : cat.key == "outdoor" ? "sports"
                               : cat.key == "shoes"   ? "sports"
                               : cat.key == "grocery" ? "kitchen"
                                                      : "";
    if (!related.empty()) category_ids.emplace_back("cat_" + std::string(related));
  }
  p["category_ids"] = std::move(category_ids);

  std::vector<std::string_view> tags = cat.tags;
  rng.shuffle(tags);
  json::array tag_values;
  const int n_tags = rng.range(1, 3);
  for (int i = 0; i < n_tags; ++i) tag_values.emplace_back(tags[i]);
  if (rng.percent(10)) tag_values.emplace_back("new-arrival");
  if (rng.percent(10)) tag_values.emplace_back("bestseller");
  if (rng.percent(8)) tag_values.emplace_back("gift-idea");
  if (title.find("Organic") != std::string::npos || title.find("Recycled") != std::string::npos)
    tag_values.emplace_back("eco");
  p["tags"] = std::move(tag_values);
  if (brand) p["brand_id"] = "brand_" + std::string(brand->key);
  p["unit_id"] = cat.variants == VariantKind::shoes ? "unit_pair" : "unit_" + std::string(combo.family->unit);
  p["fulfillment"] = make_fulfillment(rng, price, weight_g);
  p["attributes"] = make_attributes(rng, ctx, condition, weight_g);

  // Images: one per colour for variant products, else 1-4 views.
  Built out;
  int n_images = static_cast<int>(image_colors.size());
  if (n_images == 0) {
    const int r = rng.range(0, 99);
    n_images = r < 30 ? 1 : r < 65 ? 2 : r < 90 ? 3 : 4;
  } else if (n_images < 4 && rng.percent(30)) {
    ++n_images;  // an extra detail shot
  }
  const std::string label = short_label(combo, title);
  const std::string subtitle = brand ? std::string(brand->name) : std::string(cat.name);
  json::array images;
  for (int i = 0; i < n_images; ++i) {
    const ColorSpec* color = i < static_cast<int>(image_colors.size()) ? image_colors[i] : nullptr;
    const std::string file = lower(sku) + "-" + std::to_string(i + 1) + ".svg";
    const std::string alt = color    ? title + " in " + std::string(color->name)
                            : i == 0 ? title
                                     : title + ", view " + std::to_string(i + 1);
    SvgLook look{cat.color_a, cat.color_b, color ? std::string(color->hex) : "#ffffff", (ctx.index + i) % 4};
    out.files.emplace_back(file, render_svg(rng, look, cat.icon, label, subtitle));
    images.push_back(json::object{{"id", "img_" + lower(sku) + "_" + std::to_string(i + 1)},
                                  {"url", std::string(kDemoMediaPrefix) + file},
                                  {"alt", alt},
                                  {"width", kDemoImageSize},
                                  {"height", kDemoImageSize}});
  }
  p["images"] = std::move(images);
  out.doc = std::move(p);
  return out;
}

}  // namespace shelfsync::demo
