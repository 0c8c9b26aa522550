// DigestCache: an answer is found only for the log position it was kept at,
// and the cache holds at most its capacity.

#include "feed/digest_cache.hpp"

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

boost::json::object answer(int n) { return {{"count", n}}; }

TEST(DigestCache, FindsAnAnswerOnlyAtItsHead) {
  DigestCache cache;
  cache.put("k", 7, answer(1));
  ASSERT_TRUE(cache.find("k", 7));
  EXPECT_EQ(*cache.find("k", 7), answer(1));
  EXPECT_FALSE(cache.find("k", 8)) << "the log moved: recompute";
  EXPECT_FALSE(cache.find("other", 7));
  cache.put("k", 8, answer(2));
  EXPECT_FALSE(cache.find("k", 7));
  EXPECT_EQ(*cache.find("k", 8), answer(2));
}

TEST(DigestCache, DropsTheLeastRecentlyUsedPastItsCapacity) {
  DigestCache cache(2);
  cache.put("a", 1, answer(1));
  cache.put("b", 1, answer(2));
  ASSERT_TRUE(cache.find("a", 1));  // b is now the least recently used
  cache.put("c", 1, answer(3));
  EXPECT_TRUE(cache.find("a", 1));
  EXPECT_FALSE(cache.find("b", 1));
  EXPECT_TRUE(cache.find("c", 1));
}

TEST(DigestCache, KeysTellReaderViewsApartButNotEntityOrder) {
  const auto* products = find_collection("products");
  const auto* orders = find_collection("orders");
  ASSERT_TRUE(products && orders);
  const Principal admin{"t1", "USD", Role::admin, "", ""};
  const Principal shopper{"t1", "USD", Role::public_, "", ""};
  const Principal alice{"t1", "USD", Role::customer, "cus_a", ""};
  const Principal bob{"t1", "USD", Role::customer, "cus_b", ""};
  const Principal other_shop{"t2", "USD", Role::admin, "", ""};
  EXPECT_EQ(DigestCache::key(admin, {products, orders}), DigestCache::key(admin, {orders, products}));
  EXPECT_NE(DigestCache::key(admin, {products}), DigestCache::key(shopper, {products}));
  EXPECT_NE(DigestCache::key(alice, {orders}), DigestCache::key(bob, {orders}));
  EXPECT_NE(DigestCache::key(admin, {products}), DigestCache::key(other_shop, {products}));
  EXPECT_NE(DigestCache::key(admin, {products}), DigestCache::key(admin, {products, orders}));
}

}  // namespace
}  // namespace shelfsync
