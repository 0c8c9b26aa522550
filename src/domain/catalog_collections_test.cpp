#include "domain/catalog_collections.hpp"

#include <algorithm>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "domain/text.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

const NormalizeContext kCtx{0, "EUR"};

bool has_error(const Problem& p, std::string_view field) {
  return std::any_of(p.errors.begin(), p.errors.end(), [&](const FieldError& e) { return e.field == field; });
}

TEST(Registry, HasEveryCollectionWithItsPrefix) {
  const std::pair<const char*, const char*> expected[] = {
      {"products", "prod"},  {"categories", "cat"}, {"brands", "brand"}, {"units", "unit"},
      {"customers", "cust"}, {"orders", "ord"},     {"bills", "bill"},   {"stock_movements", "mov"},
      {"alerts", "alert"},   {"stats", "stats"}};
  ASSERT_EQ(all_collections().size(), std::size(expected));
  for (const auto& [name, prefix] : expected) {
    const Collection* c = find_collection(name);
    ASSERT_NE(c, nullptr) << name;
    EXPECT_EQ(c->name(), name);
    EXPECT_EQ(c->id_prefix(), prefix);
    EXPECT_NE(std::find(all_collections().begin(), all_collections().end(), c), all_collections().end());
  }
  EXPECT_EQ(find_collection("order"), nullptr);
  EXPECT_EQ(find_collection(""), nullptr);
}

class CatalogNodeTest : public testing::TestWithParam<const char*> {
 protected:
  const Collection& coll() const { return *find_collection(GetParam()); }
};

TEST_P(CatalogNodeTest, NormalizesWithDefaults) {
  auto r = coll().normalize(obj(R"({"name":"Summer Shoes & Boots!"})"), nullptr, kCtx);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::serialize(*r), R"({"name":"Summer Shoes & Boots!","slug":"summer-shoes-boots","position":0})");
}

TEST_P(CatalogNodeTest, KeepsGivenFieldsAndIgnoresSystemFields) {
  auto r = coll().normalize(obj(R"({"id":"x1","version":2,"created_at":"a","updated_at":"b","name":"Shoes",
              "slug":"footwear-2","parent_id":"p_1","position":-3})"),
                            nullptr, kCtx);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::serialize(*r), R"({"name":"Shoes","slug":"footwear-2","parent_id":"p_1","position":-3})");
}

TEST_P(CatalogNodeTest, RejectsBadFields) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({})", "name"},
      {R"({"name":""})", "name"},
      {R"({"name":7})", "name"},
      {R"({"name":"A","slug":"Upper"})", "slug"},
      {R"({"name":"A","slug":"a b"})", "slug"},
      {R"({"name":"A","slug":""})", "slug"},
      {R"({"name":"A","parent_id":"bad id"})", "parent_id"},
      {R"({"id":"c1","name":"A","parent_id":"c1"})", "parent_id"},
      {R"({"name":"A","position":"1"})", "position"},
      {R"({"name":"A","position":1.5})", "position"},
      {R"({"name":"A","colour":"red"})", "colour"},
  };
  for (const auto& [doc, field] : cases) {
    auto r = coll().normalize(obj(doc), nullptr, kCtx);
    ASSERT_FALSE(r.ok()) << doc;
    EXPECT_EQ(r.problem().status, 422);
    EXPECT_TRUE(has_error(r.problem(), field)) << doc;
  }
  json::object long_name;
  long_name["name"] = std::string(201, 'n');
  EXPECT_FALSE(coll().normalize(long_name, nullptr, kCtx).ok());
}

TEST_P(CatalogNodeTest, IndexFiltersSearchAndVisibility) {
  const json::object doc = obj(R"({"name":"Shoes","slug":"shoes","parent_id":"p1","position":0})");
  const IndexKeys expected = {{"slug", "shoes"}, {"parent_id", "p1"}};
  EXPECT_EQ(coll().index_keys(doc), expected);
  const IndexKeys root = {{"slug", "shoes"}};
  EXPECT_EQ(coll().index_keys(obj(R"({"name":"Shoes","slug":"shoes","position":0})")), root);
  const auto fields = coll().filter_fields();
  EXPECT_EQ(fields, (std::vector<std::string_view>{"parent_id", "slug"}));
  EXPECT_EQ(coll().search_text(doc), "shoes shoes");
  for (Role role : {Role::admin, Role::staff, Role::customer, Role::service, Role::public_})
    EXPECT_TRUE(coll().visible_to(doc, role));
  json::object rendered = doc;
  rendered["id"] = "cat_1";
  coll().render(rendered, Projection::public_, 0);
  EXPECT_EQ(rendered.at("parent_id"), "p1");
  EXPECT_EQ(rendered.at("id"), "cat_1");
}

INSTANTIATE_TEST_SUITE_P(Kinds, CatalogNodeTest, testing::Values("categories", "brands", "units"));

TEST(CatalogNode, SlugForNamesWithoutAsciiLettersIsHex) {
  auto r = decode_catalog_node(obj(R"({"name":"\u00e9"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->slug, "c3a9");
  EXPECT_TRUE(is_valid_slug(r->slug));
}

TEST(Slugify, Rules) {
  EXPECT_EQ(slugify("  Hello, World  "), "hello-world");
  EXPECT_EQ(slugify("a--b"), "a-b");
  EXPECT_EQ(slugify("Caf\xC3\xA9 Noir"), "caf-noir");
  EXPECT_EQ(slugify("!!!"), "");
  EXPECT_EQ(slugify("abc def", 4), "abc");
  EXPECT_EQ(slugify(std::string(300, 'x')).size(), 200u);
  EXPECT_TRUE(is_valid_slug("a-1"));
  EXPECT_FALSE(is_valid_slug("A"));
  EXPECT_FALSE(is_valid_slug(""));
  EXPECT_FALSE(is_valid_slug(std::string(201, 'a')));
}

const Collection& customers() { return *find_collection("customers"); }

TEST(Customers, Normalize) {
  auto r = customers().normalize(obj(R"({"id":"cust_1","name":"Ann","email":"Ann@Example.com"})"), nullptr, kCtx);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::serialize(*r), R"({"name":"Ann","email":"Ann@Example.com","kind":"retail"})");
  auto partner =
      customers().normalize(obj(R"({"name":"Bo","email":"bo@b2b.example","kind":"partner"})"), nullptr, kCtx);
  ASSERT_TRUE(partner.ok());
  EXPECT_EQ(partner->at("kind"), "partner");
}

TEST(Customers, RejectsBadFields) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"email":"a@b"})", "name"},
      {R"({"name":"A"})", "email"},
      {R"({"name":"A","email":"nobody"})", "email"},
      {R"({"name":"A","email":"a@b@c"})", "email"},
      {R"({"name":"A","email":"@b"})", "email"},
      {R"({"name":"A","email":"a@"})", "email"},
      {R"({"name":"A","email":"a b@c"})", "email"},
      {R"({"name":"A","email":5})", "email"},
      {R"({"name":"A","email":"a@b","phone":"1"})", "phone"},
      {R"({"name":"A","email":"a@b","kind":"vip"})", "kind"},
      {R"({"name":"A","email":"a@b","kind":1})", "kind"},
  };
  for (const auto& [doc, field] : cases) {
    auto r = customers().normalize(obj(doc), nullptr, kCtx);
    ASSERT_FALSE(r.ok()) << doc;
    EXPECT_TRUE(has_error(r.problem(), field)) << doc;
  }
  json::object long_email;
  long_email["name"] = "A";
  long_email["email"] = std::string(250, 'a') + "@b.co";
  EXPECT_FALSE(customers().normalize(long_email, nullptr, kCtx).ok());
}

TEST(Customers, IndexVisibilityAndRender) {
  const json::object doc = obj(R"({"name":"Ann","email":"Ann@Example.COM","kind":"partner"})");
  const IndexKeys expected = {{"email", "ann@example.com"}, {"kind", "partner"}};
  EXPECT_EQ(customers().index_keys(doc), expected);
  EXPECT_EQ(customers().filter_fields(), (std::vector<std::string_view>{"email", "kind"}));
  EXPECT_FALSE(customers().visible_to(doc, Role::public_));
  for (Role role : {Role::admin, Role::staff, Role::service, Role::customer})
    EXPECT_TRUE(customers().visible_to(doc, role));
  json::object rendered = doc;
  customers().render(rendered, Projection::retail, 0);
  EXPECT_EQ(rendered, doc);
  // A record stored before customers had a kind reads as retail.
  json::object old = obj(R"({"name":"Ann","email":"ann@example.com"})");
  customers().render(old, Projection::admin, 0);
  EXPECT_EQ(old.at("kind"), "retail");
}

}  // namespace
}  // namespace shelfsync
