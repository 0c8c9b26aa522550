#pragma once
// One demo product document and its image files, built from a category's
// vocabulary. make_product (demo_products.cpp) draws the parts from the other
// demo_*.cpp files in a fixed order: the same Rng state gives the same product.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "cli/demo_rng.hpp"
#include "cli/demo_words.hpp"
#include "domain/time.hpp"

namespace shelfsync::demo {

struct Combo {
  const Family* family;
  const Qualifier* qualifier;
  std::string_view size;
};

struct ProductContext {
  const CategorySpec& cat;
  const Combo& combo;
  int index;          // 0-based, across the catalog
  int number_in_cat;  // 1-based
  std::string_view status;
  int sale_slot;  // -1: none
};

struct Built {
  boost::json::object doc;
  std::vector<std::pair<std::string, std::string>> files;
};

Built make_product(Rng& rng, const ProductContext& ctx, Millis now);

// ---- parts of a product ----

// demo_sale.cpp: the sale for `slot` (0-based among products on sale).
boost::json::object make_sale(Rng& rng, int slot, std::int64_t price, Millis now);

// demo_variants.cpp: sets "options" and "variants" on `p`; returns the image
// colours (one per colour option value).
std::vector<const ColorSpec*> add_variants(Rng& rng, boost::json::object& p, const ProductContext& ctx,
                                           const std::string& sku, std::int64_t price, int threshold,
                                           bool allow_backorder);

// demo_details.cpp: shipping and pickup, category attributes, condition.
boost::json::object make_fulfillment(Rng& rng, std::int64_t price, int weight_g);
boost::json::object make_attributes(Rng& rng, const ProductContext& ctx, std::string_view condition, int weight_g);
std::string_view pick_condition(Rng& rng, std::string_view cat);

// demo_description.cpp
std::string make_description(Rng& rng, const ProductContext& ctx, std::string_view material, std::string_view brand);

}  // namespace shelfsync::demo
