#pragma once
// The demo shop's vocabulary: categories with their product families and
// phrases, brands, colours and the word lists products are assembled from.
// Plain data; demo_categories.cpp holds the per-category table.

#include <string_view>
#include <vector>

#include "cli/demo_images.hpp"

namespace shelfsync::demo {

struct Qualifier {
  std::string_view text;
  std::string_view material = {};  // overrides the family's
  std::string_view origin = {};    // overrides the category's
};

struct Family {
  std::string_view noun;
  std::vector<Qualifier> qualifiers;
  std::vector<std::string_view> sizes;  // title suffixes, "" for none
  int min_price, max_price;             // cents
  int min_weight_g, max_weight_g;
  std::string_view material = {};
  std::string_view unit = "pcs";
  bool noun_first = false;  // "Field Guide to Birds", not "Birds Field Guide"
};

enum class VariantKind { single, apparel, shoes };

struct CategorySpec {
  std::string_view key, name, sku_prefix, parent;  // parent: key or ""
  int quota;                                       // products in this category
  VariantKind variants;
  Icon icon;
  std::string_view color_a, color_b;  // background gradient
  std::vector<std::string_view> brands, tags, openers, features, origins;
  std::vector<Family> families;
};

struct BrandSpec {
  std::string_view key, name;
};

struct ColorSpec {
  std::string_view name, code, hex;
};

const std::vector<BrandSpec>& brand_specs();
const std::vector<ColorSpec>& colors();
const std::vector<CategorySpec>& category_specs();

extern const std::vector<std::string_view> kApparelSizes;
extern const std::vector<std::string_view> kShoeSizes;
extern const std::vector<std::string_view> kStores;      // pickup locations
extern const std::vector<std::string_view> kClosers;     // a description's last sentence
extern const std::vector<std::string_view> kFirstNames;  // book authors
extern const std::vector<std::string_view> kLastNames;

}  // namespace shelfsync::demo
