#include "cli/demo_catalog.hpp"

#include <stdexcept>

#include <boost/json/value.hpp>

#include "cli/demo_products.hpp"
#include "cli/demo_rng.hpp"
#include "cli/demo_text.hpp"
#include "cli/demo_words.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;
using demo::brand_specs;
using demo::Built;
using demo::category_specs;
using demo::Combo;
using demo::ProductContext;
using demo::Rng;

// Reference data: categories, brands and units the products point to.

std::vector<json::object> make_categories() {
  std::vector<json::object> out;
  int position = 0;
  // Parents first, so a child's parent_id always names an existing category.
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& c : category_specs()) {
      if ((pass == 0) != c.parent.empty()) continue;
      json::object o{{"id", "cat_" + std::string(c.key)},
                     {"name", c.name},
                     {"slug", demo::slugify(c.name)},
                     {"position", position++}};
      if (!c.parent.empty()) o["parent_id"] = "cat_" + std::string(c.parent);
      out.push_back(std::move(o));
    }
  }
  return out;
}

std::vector<json::object> make_brands() {
  std::vector<json::object> out;
  int position = 0;
  for (const auto& b : brand_specs()) {
    out.push_back(json::object{{"id", "brand_" + std::string(b.key)},
                               {"name", b.name},
                               {"slug", demo::slugify(b.name)},
                               {"position", position++}});
  }
  return out;
}

std::vector<json::object> make_units() {
  static const std::pair<std::string_view, std::string_view> kUnits[] = {
      {"pcs", "Piece"}, {"kg", "Kilogram"}, {"m", "Metre"}, {"l", "Litre"}, {"pair", "Pair"}};
  std::vector<json::object> out;
  int position = 0;
  for (const auto& [code, name] : kUnits) {
    out.push_back(
        json::object{{"id", "unit_" + std::string(code)}, {"name", name}, {"slug", code}, {"position", position++}});
  }
  return out;
}

}  // namespace

DemoCatalog make_demo_catalog(std::uint32_t seed, Millis now) {
  Rng rng(0x5EEDC0FFEEull ^ (static_cast<std::uint64_t>(seed) << 17) ^ seed);
  DemoCatalog out;
  out.categories = make_categories();
  out.brands = make_brands();
  out.units = make_units();

  const auto& cats = category_specs();
  // Each category's distinct titles, shuffled; products take them in turn.
  std::vector<std::vector<Combo>> combos(cats.size());
  std::vector<int> order;
  for (std::size_t ci = 0; ci < cats.size(); ++ci) {
    for (const auto& f : cats[ci].families)
      for (const auto& q : f.qualifiers)
        for (auto s : f.sizes) combos[ci].push_back({&f, &q, s});
    if (combos[ci].size() < static_cast<std::size_t>(cats[ci].quota))
      throw std::logic_error("demo catalog: too few titles for " + std::string(cats[ci].key));
    rng.shuffle(combos[ci]);
    order.insert(order.end(), cats[ci].quota, static_cast<int>(ci));
  }
  rng.shuffle(order);  // mixed categories, as a real shop's history would be

  // Fixed shares of statuses and sales: 8% draft, 4% archived, 15% on sale
  // (all of them active, so the sales are visible in the shop).
  const int n = static_cast<int>(order.size());
  std::vector<int> perm(n);
  for (int i = 0; i < n; ++i) perm[i] = i;
  rng.shuffle(perm);
  std::vector<std::string_view> status(n, "active");
  std::vector<int> sale_slot(n, -1);
  const int drafts = n * 8 / 100, archived = n * 4 / 100, sales = n * 15 / 100;
  for (int i = 0; i < drafts; ++i) status[perm[i]] = "draft";
  for (int i = drafts; i < drafts + archived; ++i) status[perm[i]] = "archived";
  for (int i = 0; i < sales; ++i) sale_slot[perm[drafts + archived + i]] = i;

  std::vector<int> taken(cats.size(), 0);
  for (int i = 0; i < n; ++i) {
    const int ci = order[i];
    const int k = taken[ci]++;
    const ProductContext ctx{cats[ci], combos[ci][k], i, k + 1, status[i], sale_slot[i]};
    Built built = demo::make_product(rng, ctx, now);
    out.products.push_back(std::move(built.doc));
    for (auto& f : built.files) out.files.push_back(std::move(f));
  }
  return out;
}

}  // namespace shelfsync
