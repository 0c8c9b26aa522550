#include "cli/demo_catalog.hpp"

#include <map>
#include <regex>
#include <set>
#include <string>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include "domain/ids.hpp"
#include "domain/time.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

constexpr Millis kNow = 1'795'000'000'123;  // a fixed instant in 2026

const DemoCatalog& catalog() {
  static const DemoCatalog c = make_demo_catalog(42, kNow);
  return c;
}

// Checks one product against the contract in docs/api.md and
// records every fault as a test failure naming the product.
class ProductChecker {
 public:
  ProductChecker(std::set<std::string> categories, std::set<std::string> brands, std::set<std::string> units,
                 std::set<std::string> files)
      : categories_(std::move(categories)),
        brands_(std::move(brands)),
        units_(std::move(units)),
        files_(std::move(files)) {}

  void check(const json::object& p) {
    const std::string id = str(p, "id");
    SCOPED_TRACE("product " + id);
    EXPECT_TRUE(is_valid_id(id));
    static const std::set<std::string> kAllowed = {"id",
                                                   "title",
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
                                                   "attributes"};
    for (const auto& kv : p) EXPECT_TRUE(kAllowed.count(kv.key())) << "unknown field " << kv.key();

    const std::string title = str(p, "title");
    EXPECT_GE(title.size(), 1u);
    EXPECT_LE(title.size(), 200u);
    EXPECT_LE(str(p, "description").size(), 20000u);
    EXPECT_GE(str(p, "description").size(), 40u);
    const std::string sku = str(p, "sku");
    EXPECT_FALSE(sku.empty());
    EXPECT_LE(sku.size(), 64u);
    EXPECT_TRUE(std::set<std::string>({"draft", "active", "archived"}).count(str(p, "status")));
    EXPECT_TRUE(std::set<std::string>({"new", "like_new", "good", "fair", "refurbished", "for_parts"})
                    .count(str(p, "condition")));
    const std::int64_t price = integer(p, "price");
    EXPECT_GE(price, 1);
    EXPECT_LE(price, 1'000'000'000'000);
    if (p.contains("compare_at_price")) {
      EXPECT_GT(integer(p, "compare_at_price"), price);
    }
    if (p.contains("sale")) check_sale(p.at("sale").as_object(), price);

    EXPECT_TRUE(p.at("track_inventory").is_bool());
    const bool backorder = p.at("allow_backorder").as_bool();
    EXPECT_GE(integer(p, "low_stock_threshold"), 0);
    check_variants(p, sku, backorder);
    check_images(p.at("images").as_array());
    check_refs(p);
    check_fulfillment(p.at("fulfillment").as_object());
    const json::object& attrs = p.at("attributes").as_object();
    EXPECT_LE(json::serialize(attrs).size(), 64u * 1024);
    EXPECT_TRUE(attrs.at("weight_g").is_int64());
  }

 private:
  static std::string str(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    EXPECT_TRUE(v && v->is_string()) << key;
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  }
  static std::int64_t integer(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    EXPECT_TRUE(v && v->is_int64()) << key;
    return v && v->is_int64() ? v->as_int64() : -1;
  }

  static void check_time(const json::object& o, std::string_view key) {
    const std::string text = str(o, key);
    const auto ms = parse_rfc3339(text);
    ASSERT_TRUE(ms.has_value()) << text;
    EXPECT_EQ(format_rfc3339(*ms), text) << "not canonical";
  }

  static void check_sale(const json::object& s, std::int64_t price) {
    const std::string kind = str(s, "kind");
    const std::int64_t value = integer(s, "value");
    if (kind == "percent") {
      EXPECT_TRUE(value >= 1 && value <= 100);
    } else if (kind == "amount") {
      EXPECT_GE(value, 1);
      EXPECT_LT(value, price);
    } else {
      EXPECT_EQ(kind, "fixed_price");
      EXPECT_GE(value, 0);
      EXPECT_LT(value, price);
    }
    if (s.contains("starts_at")) check_time(s, "starts_at");
    if (s.contains("ends_at")) check_time(s, "ends_at");
    if (s.contains("starts_at") && s.contains("ends_at")) {
      EXPECT_LT(*parse_rfc3339(str(s, "starts_at")), *parse_rfc3339(str(s, "ends_at")));
    }
    if (s.contains("stock_limit")) {
      EXPECT_GE(integer(s, "stock_limit"), 1);
      EXPECT_LT(integer(s, "sold"), integer(s, "stock_limit"));
    }
    EXPECT_GE(integer(s, "sold"), 0);
  }

  void check_variants(const json::object& p, const std::string& sku, bool backorder) {
    const json::array& options = p.at("options").as_array();
    const json::array& variants = p.at("variants").as_array();
    EXPECT_LE(options.size(), 10u);
    ASSERT_GE(variants.size(), 1u);
    EXPECT_LE(variants.size(), 250u);
    std::map<std::string, std::set<std::string>> declared;
    for (const auto& o : options) {
      const std::string name = str(o.as_object(), "name");
      EXPECT_TRUE(!name.empty() && name.size() <= 50);
      EXPECT_FALSE(declared.count(name)) << "duplicate option " << name;
      auto& values = declared[name];
      const json::array& vals = o.as_object().at("values").as_array();
      EXPECT_GE(vals.size(), 1u);
      for (const auto& v : vals) EXPECT_TRUE(values.insert(std::string(v.as_string())).second);
    }
    if (options.empty()) {
      ASSERT_EQ(variants.size(), 1u);
      EXPECT_TRUE(variants[0].as_object().at("options").as_object().empty());
      EXPECT_EQ(str(variants[0].as_object(), "sku"), sku);
    }
    std::set<std::string> combos, variant_skus;
    for (const auto& vv : variants) {
      const json::object& v = vv.as_object();
      EXPECT_TRUE(is_valid_id(str(v, "id")));
      EXPECT_TRUE(variant_ids_.insert(str(v, "id")).second) << "variant id reused";
      const std::string vsku = str(v, "sku");
      EXPECT_TRUE(variant_skus.insert(vsku).second);
      if (!options.empty()) {
        EXPECT_TRUE(all_skus_.insert(vsku).second) << "sku reused " << vsku;
      }
      const std::int64_t stock = integer(v, "stock");
      if (!backorder) {
        EXPECT_GE(stock, 0);
      }
      EXPECT_TRUE(v.at("available").is_bool());
      if (v.contains("price")) {
        EXPECT_GE(integer(v, "price"), 0);
      }
      const json::object& vo = v.at("options").as_object();
      EXPECT_EQ(vo.size(), declared.size());
      std::string combo;
      for (const auto& [name, values] : declared) {
        const json::value* chosen = vo.if_contains(name);
        ASSERT_TRUE(chosen && chosen->is_string()) << name;
        EXPECT_TRUE(values.count(std::string(chosen->as_string())));
        combo += std::string(chosen->as_string()) + "/";
      }
      EXPECT_TRUE(combos.insert(combo).second) << "duplicate combination " << combo;
    }
    EXPECT_TRUE(all_skus_.insert(sku).second) << "sku reused " << sku;
  }

  void check_images(const json::array& images) {
    EXPECT_GE(images.size(), 1u);
    EXPECT_LE(images.size(), 4u);
    std::set<std::string> ids;
    for (const auto& iv : images) {
      const json::object& img = iv.as_object();
      EXPECT_TRUE(is_valid_id(str(img, "id")));
      EXPECT_TRUE(ids.insert(str(img, "id")).second);
      const std::string url = str(img, "url");
      ASSERT_EQ(url.rfind(kDemoMediaPrefix, 0), 0u) << url;
      EXPECT_LE(url.size(), 2048u);
      const std::string file = url.substr(kDemoMediaPrefix.size());
      EXPECT_TRUE(files_.count(file)) << "missing file " << file;
      referenced_files_.insert(file);
      EXPECT_LE(str(img, "alt").size(), 500u);
      EXPECT_FALSE(str(img, "alt").empty());
      EXPECT_EQ(integer(img, "width"), kDemoImageSize);
      EXPECT_EQ(integer(img, "height"), kDemoImageSize);
    }
  }

  void check_refs(const json::object& p) {
    const json::array& cats = p.at("category_ids").as_array();
    EXPECT_GE(cats.size(), 1u);
    EXPECT_LE(cats.size(), 50u);
    std::set<std::string> seen;
    for (const auto& c : cats) {
      const std::string id(c.as_string());
      EXPECT_TRUE(is_valid_id(id));
      EXPECT_TRUE(categories_.count(id)) << "unknown category " << id;
      EXPECT_TRUE(seen.insert(id).second);
    }
    const json::array& tags = p.at("tags").as_array();
    EXPECT_LE(tags.size(), 50u);
    std::set<std::string> tag_set;
    for (const auto& t : tags) {
      const std::string tag(t.as_string());
      EXPECT_TRUE(!tag.empty() && tag.size() <= 50);
      EXPECT_TRUE(tag_set.insert(tag).second) << "duplicate tag " << tag;
    }
    if (p.contains("brand_id")) {
      EXPECT_TRUE(brands_.count(str(p, "brand_id")));
    }
    EXPECT_TRUE(units_.count(str(p, "unit_id")));
  }

  static void check_fulfillment(const json::object& f) {
    const bool pickup = f.at("pickup").as_bool();
    const json::array& locations = f.at("pickup_locations").as_array();
    EXPECT_LE(locations.size(), 50u);
    EXPECT_EQ(pickup, !locations.empty());
    for (const auto& l : locations) EXPECT_FALSE(l.as_string().empty());
    const json::array& shipping = f.at("shipping").as_array();
    EXPECT_LE(shipping.size(), 20u);
    EXPECT_TRUE(pickup || !shipping.empty()) << "no way to get the product";
    for (const auto& sv : shipping) {
      const json::object& s = sv.as_object();
      EXPECT_FALSE(str(s, "method").empty());
      EXPECT_GE(integer(s, "price"), 0);
      const std::int64_t eta = integer(s, "eta_days");
      EXPECT_TRUE(eta >= 0 && eta <= 365);
    }
  }

 public:
  std::set<std::string> referenced_files_;

 private:
  std::set<std::string> categories_, brands_, units_, files_;
  std::set<std::string> all_skus_, variant_ids_;
};

std::set<std::string> ids_of(const std::vector<json::object>& docs) {
  std::set<std::string> ids;
  for (const auto& d : docs) ids.insert(std::string(d.at("id").as_string()));
  return ids;
}

void check_reference_docs(const std::vector<json::object>& docs) {
  std::set<std::string> ids, slugs;
  for (const auto& d : docs) {
    const std::string id(d.at("id").as_string());
    EXPECT_TRUE(is_valid_id(id)) << id;
    EXPECT_TRUE(ids.insert(id).second) << id;
    const auto& name = d.at("name").as_string();
    EXPECT_TRUE(!name.empty() && name.size() <= 200);
    const std::string slug(d.at("slug").as_string());
    EXPECT_TRUE(slugs.insert(slug).second) << slug;
    EXPECT_FALSE(slug.empty());
    for (char c : slug) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
    EXPECT_TRUE(d.at("position").is_int64());
  }
}

TEST(DemoCatalog, ReferenceDataIsValid) {
  const DemoCatalog& c = catalog();
  EXPECT_GE(c.categories.size(), 10u);
  EXPECT_LE(c.categories.size(), 14u);
  EXPECT_GE(c.brands.size(), 12u);
  EXPECT_LE(c.brands.size(), 18u);
  EXPECT_EQ(ids_of(c.units), (std::set<std::string>{"unit_pcs", "unit_kg", "unit_m", "unit_l", "unit_pair"}));
  check_reference_docs(c.categories);
  check_reference_docs(c.brands);
  check_reference_docs(c.units);
  // Parents come first, so creating in order never names a missing parent.
  std::set<std::string> created;
  int children = 0;
  for (const auto& cat : c.categories) {
    if (const json::value* parent = cat.if_contains("parent_id")) {
      ++children;
      EXPECT_TRUE(created.count(std::string(parent->as_string())));
    }
    created.insert(std::string(cat.at("id").as_string()));
  }
  EXPECT_GE(children, 1);
}

TEST(DemoCatalog, EveryProductFollowsTheContract) {
  const DemoCatalog& c = catalog();
  ASSERT_GE(c.products.size(), 250u);
  ASSERT_LE(c.products.size(), 350u);
  std::set<std::string> files;
  for (const auto& [name, text] : c.files) {
    EXPECT_TRUE(files.insert(name).second) << "duplicate file " << name;
    EXPECT_EQ(name.find('/'), std::string::npos);
    EXPECT_EQ(name.substr(name.size() - 4), ".svg");
  }
  ProductChecker checker(ids_of(c.categories), ids_of(c.brands), ids_of(c.units), files);
  std::set<std::string> ids, titles;
  for (const auto& p : c.products) {
    checker.check(p);
    EXPECT_TRUE(ids.insert(std::string(p.at("id").as_string())).second);
    EXPECT_TRUE(titles.insert(std::string(p.at("title").as_string())).second) << "duplicate title " << p.at("title");
  }
  EXPECT_EQ(checker.referenced_files_, files) << "every file is used by exactly the images";
}

TEST(DemoCatalog, SvgFilesAreSafePlaceholders) {
  for (const auto& [name, svg] : catalog().files) {
    SCOPED_TRACE(name);
    EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"800\"", 0), 0u);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
    EXPECT_NE(svg.find("linearGradient"), std::string::npos);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    EXPECT_EQ(svg.find("href"), std::string::npos);  // nothing external
    static const std::regex kHandler(" on[a-z]+=");
    EXPECT_FALSE(std::regex_search(svg, kHandler));  // no event handlers
    // Text is escaped: no bare ampersand.
    for (std::size_t at = svg.find('&'); at != std::string::npos; at = svg.find('&', at + 1)) {
      const std::string_view rest = std::string_view(svg).substr(at);
      EXPECT_TRUE(rest.rfind("&amp;", 0) == 0 || rest.rfind("&lt;", 0) == 0 || rest.rfind("&gt;", 0) == 0 ||
                  rest.rfind("&quot;", 0) == 0 || rest.rfind("&#39;", 0) == 0);
    }
  }
}

TEST(DemoCatalog, HasTheVarietyADemoNeeds) {
  const DemoCatalog& c = catalog();
  std::map<std::string, int> status, condition, sale_kind, unit;
  int sales = 0, running = 0, future = 0, ended = 0, limited = 0, with_variants = 0;
  int sold_out_variants = 0, zero_stock_products = 0, low_stock_products = 0, compare_at = 0;
  for (const auto& p : c.products) {
    ++status[std::string(p.at("status").as_string())];
    ++condition[std::string(p.at("condition").as_string())];
    ++unit[std::string(p.at("unit_id").as_string())];
    compare_at += p.contains("compare_at_price");
    if (const json::value* s = p.if_contains("sale")) {
      const json::object& sale = s->as_object();
      EXPECT_EQ(p.at("status"), "active") << "sales are on visible products";
      ++sales;
      ++sale_kind[std::string(sale.at("kind").as_string())];
      limited += sale.contains("stock_limit");
      const Millis starts = *parse_rfc3339(sale.at("starts_at").as_string());
      const json::value* ends = sale.if_contains("ends_at");
      const Millis end = ends ? *parse_rfc3339(ends->as_string()) : INT64_MAX;
      if (end <= kNow) {
        ++ended;
      } else if (starts > kNow) {
        ++future;
      } else {
        ++running;
      }
    }
    const json::array& variants = p.at("variants").as_array();
    std::int64_t total = 0;
    for (const auto& v : variants) {
      const std::int64_t stock = v.at("stock").as_int64();
      if (v.at("available").as_bool()) total += stock;
      sold_out_variants += variants.size() > 1 && stock == 0;
    }
    with_variants += variants.size() > 1;
    zero_stock_products += total <= 0;
    low_stock_products += total > 0 && total <= p.at("low_stock_threshold").as_int64();
  }
  const int n = static_cast<int>(c.products.size());
  EXPECT_GE(status["active"], n * 8 / 10);
  EXPECT_GE(status["draft"], 3);
  EXPECT_GE(status["archived"], 3);
  EXPECT_GE(condition["new"], n * 7 / 10);
  EXPECT_GE(condition["refurbished"], 1);
  EXPECT_GE(condition["like_new"], 1);
  EXPECT_GE(condition["good"], 1);
  EXPECT_GE(sales, n * 12 / 100);
  EXPECT_LE(sales, n * 18 / 100);
  EXPECT_GE(sale_kind["percent"], 5);
  EXPECT_GE(sale_kind["amount"], 5);
  EXPECT_GE(sale_kind["fixed_price"], 5);
  EXPECT_GE(running, 5);
  EXPECT_GE(future, 3);
  EXPECT_GE(ended, 3);
  EXPECT_GE(limited, 1);
  EXPECT_LE(limited, 2);
  EXPECT_GE(with_variants, 40);
  EXPECT_GE(sold_out_variants, 10);
  EXPECT_GE(zero_stock_products, 5);
  EXPECT_GE(low_stock_products, 5);
  EXPECT_GE(compare_at, 20);
  EXPECT_GE(unit["unit_pair"], 10);
  EXPECT_GE(unit["unit_kg"], 1);
  EXPECT_GE(unit["unit_m"], 1);
  EXPECT_GE(unit["unit_l"], 1);
}

TEST(DemoCatalog, ApparelAndShoesHaveSizesAndColors) {
  for (const auto& p : catalog().products) {
    const std::string cat(p.at("category_ids").as_array()[0].as_string());
    if (cat != "cat_apparel" && cat != "cat_shoes") continue;
    const json::array& options = p.at("options").as_array();
    ASSERT_EQ(options.size(), 2u) << p.at("title");
    EXPECT_EQ(options[0].at("name"), "size");
    EXPECT_EQ(options[1].at("name"), "color");
    EXPECT_EQ(p.at("variants").as_array().size(),
              options[0].at("values").as_array().size() * options[1].at("values").as_array().size());
  }
}

TEST(DemoCatalog, SameSeedSameCatalogOtherSeedOther) {
  const DemoCatalog a = make_demo_catalog(7, kNow);
  const DemoCatalog b = make_demo_catalog(7, kNow);
  EXPECT_EQ(a.categories, b.categories);
  EXPECT_EQ(a.brands, b.brands);
  EXPECT_EQ(a.units, b.units);
  EXPECT_EQ(a.products, b.products);
  EXPECT_EQ(a.files, b.files);
  const DemoCatalog other = make_demo_catalog(8, kNow);
  EXPECT_NE(a.products, other.products);
  EXPECT_NE(a.files, other.files);
}

TEST(DemoCatalog, OtherSeedsAreValidToo) {
  for (std::uint32_t seed : {0u, 1u, 123456789u, 0xFFFFFFFFu}) {
    SCOPED_TRACE(seed);
    const DemoCatalog c = make_demo_catalog(seed, kNow + seed);
    std::set<std::string> files;
    for (const auto& f : c.files) files.insert(f.first);
    ProductChecker checker(ids_of(c.categories), ids_of(c.brands), ids_of(c.units), files);
    for (const auto& p : c.products) checker.check(p);
    EXPECT_EQ(checker.referenced_files_, files);
  }
}

}  // namespace
}  // namespace shelfsync
