// make_description: a few sentences of shop copy from the category's phrases.

#include "cli/demo_products.hpp"
#include "cli/demo_text.hpp"

namespace shelfsync::demo {
namespace {

// What a description calls the item: "crew sweater", "field guide".
std::string item_of(const CategorySpec& cat, const Combo& c) {
  if (cat.key == "books") {
    if (c.family->noun == "The") return "novel";
    if (c.family->noun == "Field Guide to") return "field guide";
    if (c.family->noun == "A Beginner's Guide to") return "guide";
  }
  std::string item = lower(c.family->noun);
  if (cat.key == "electronics") item = replace_all(item, "usb-c", "USB-C");
  return item;
}

}  // namespace

std::string make_description(Rng& rng, const ProductContext& ctx, std::string_view material, std::string_view brand) {
  // Sentences are appended piecewise (GCC 12 warns falsely on " " + string).
  std::string d = replace_all(std::string(rng.pick(ctx.cat.openers)), "{item}", item_of(ctx.cat, ctx.combo));
  const auto sentence = [&d](std::string_view a, std::string_view b = {}) {
    d += ' ';
    d += a;
    d += b;
    if (d.back() != '.') d += '.';
  };
  if (!material.empty()) sentence("Made from ", material);
  std::vector<std::string_view> features = ctx.cat.features;
  rng.shuffle(features);
  const int n = rng.range(2, 3);
  for (int i = 0; i < n; ++i) sentence(features[i]);
  if (!brand.empty()) {
    const std::string_view key = ctx.cat.key;
    sentence(key == "books" ? "Published by " : key == "grocery" || key == "beauty" ? "From " : "Designed by ", brand);
  }
  sentence(rng.pick(kClosers));
  return d;
}

}  // namespace shelfsync::demo
