#include "domain/topic_collection.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace shelfsync {
namespace {

namespace json = boost::json;

TEST(TopicCollection, NamesAndKeys) {
  for (const char* ok : {"warehouse.levels", "erp_prices", "a", "x-1.2_3"}) EXPECT_TRUE(is_valid_topic_name(ok)) << ok;
  for (const char* bad : {"", "products", "orders", "Upper", "has space", "slash/x", "é"})
    EXPECT_FALSE(is_valid_topic_name(bad)) << bad;
  EXPECT_FALSE(is_valid_topic_name(std::string(65, 'a')));
  for (const char* ok : {"sku-1", "A:B/C?d=e", "~"}) EXPECT_TRUE(is_valid_topic_key(ok)) << ok;
  for (const char* bad : {"", "has space", "tab\t", "é"}) EXPECT_FALSE(is_valid_topic_key(bad)) << bad;
  EXPECT_FALSE(is_valid_topic_key(std::string(201, 'k')));
}

TEST(TopicCollection, HoldsWhatWasPublishedForTheDeclaredReaders) {
  TopicCollection t("levels", role_bit(Role::admin) | role_bit(Role::staff));
  auto doc = t.normalize(json::parse(R"({"data":{"qty":[1,2]}})").as_object(), nullptr, {});
  ASSERT_TRUE(doc);
  EXPECT_EQ(json::serialize(*doc), R"({"data":{"qty":[1,2]}})");
  EXPECT_FALSE(t.normalize(json::parse(R"({"data":1,"extra":2})").as_object(), nullptr, {}));
  EXPECT_FALSE(t.normalize(json::parse(R"({})").as_object(), nullptr, {}));
  EXPECT_TRUE(t.visible_to(*doc, Role::staff));
  EXPECT_FALSE(t.visible_to(*doc, Role::customer));
  t.set_readers(role_bit(Role::customer));
  EXPECT_TRUE(t.visible_to(*doc, Role::customer));
  EXPECT_EQ(*t.declared_readers(), role_bit(Role::customer));
}

TEST(TopicRegistry, KnowsEachShopsTopicsApartAndCollectionsFirst) {
  auto& registry = TopicRegistry::global();
  registry.declare("reg-t1", "levels", role_bit(Role::staff));
  registry.declare("reg-t1", "prices", role_bit(Role::staff));
  registry.declare("reg-t2", "levels", role_bit(Role::service));
  EXPECT_EQ(registry.of("reg-t1").size(), 2u);
  EXPECT_EQ(registry.of("reg-t2").size(), 1u);
  EXPECT_EQ(registry.of("reg-t").size(), 0u) << "a tenant whose name is a prefix of another's has none";
  const auto* t1 = find_topic("reg-t1", "levels");
  const auto* t2 = find_topic("reg-t2", "levels");
  ASSERT_TRUE(t1 && t2);
  EXPECT_NE(t1, t2);
  EXPECT_EQ(*t2->declared_readers(), role_bit(Role::service));
  EXPECT_EQ(find_topic("reg-t3", "levels"), nullptr);
  EXPECT_EQ(find_topic("reg-t1", "products"), find_collection("products"));
  // Declaring again changes the readers of the same collection.
  registry.declare("reg-t1", "levels", role_bit(Role::customer));
  EXPECT_EQ(find_topic("reg-t1", "levels"), t1);
  EXPECT_EQ(*t1->declared_readers(), role_bit(Role::customer));
}

}  // namespace
}  // namespace shelfsync
