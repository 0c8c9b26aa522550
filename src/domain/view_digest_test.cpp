#include "domain/view_digest.hpp"

#include <gtest/gtest.h>

#include "domain/collection.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

TEST(ViewDigest, Murmur3MatchesItsReferenceVectors) {
  EXPECT_EQ(murmur3_32("", 0), 0u);
  EXPECT_EQ(murmur3_32("", 1), 0x514e28b7u);
  EXPECT_EQ(murmur3_32("hello", 0), 0x248bfa47u);
  EXPECT_EQ(murmur3_32("Hello, world!", 1234), 0xfaf6cdb3u);
  EXPECT_EQ(murmur3_32("The quick brown fox jumps over the lazy dog", 0), 0x2e4ff723u);
}

TEST(ViewDigest, RecordHashIsMurmur3OfTheLineInTwoLanes) {
  const auto d = record_digest("products", "p1", 3);
  EXPECT_EQ(d.a, murmur3_32("products/p1:3", 0));
  EXPECT_EQ(d.b, murmur3_32("products/p1:3", kDigestSeedB));
  EXPECT_EQ(d.count, 1);
  EXPECT_EQ(digest_hex(d).size(), 16u);
  EXPECT_NE(record_digest("products", "p1", 4), d);
  EXPECT_NE(record_digest("products", "p2", 3), d);
  EXPECT_NE(record_digest("orders", "p1", 3), d);
  EXPECT_EQ(digest_hex(DigestSum{}), "0000000000000000");
}

TEST(ViewDigest, SumsIgnoreOrderAndUndoBySubtraction) {
  DigestSum one, two;
  for (const char* id : {"a", "b", "c"}) one += record_digest("products", id, 1);
  for (const char* id : {"c", "a", "b"}) two += record_digest("products", id, 1);
  EXPECT_EQ(one, two);
  two += -record_digest("products", "b", 1);
  EXPECT_EQ(two.count, 2);
  two += record_digest("products", "b", 1);
  EXPECT_EQ(one, two);
}

TEST(ViewDigest, ProductsAreScopedByStatusAndOrdersByTheirCustomer) {
  EXPECT_EQ(view_fields(*find_collection("products")), std::vector<std::string>{"status"});
  EXPECT_EQ(view_fields(*find_collection("orders")), std::vector<std::string>{"customer_id"});
  EXPECT_TRUE(view_fields(*find_collection("categories")).empty());
}

TEST(ViewDigest, AChangeMovesTheRecordBetweenScopes) {
  const auto& products = *find_collection("products");
  const json::object draft{{"title", "Mug"}, {"status", "draft"}};
  const json::object active{{"title", "Mug"}, {"status", "active"}};
  const auto v1 = record_digest("products", "p1", 1);
  const auto v2 = record_digest("products", "p1", 2);

  const auto created = digest_changes(products, "p1", nullptr, 0, &draft, 1);
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[0], (DigestDelta{"products", "", "", v1}));
  EXPECT_EQ(created[1], (DigestDelta{"products", "status", "draft", v1}));

  auto published = digest_changes(products, "p1", &draft, 1, &active, 2);
  ASSERT_EQ(published.size(), 3u);
  DigestSum whole = v2;
  whole += -v1;
  EXPECT_EQ(published[0], (DigestDelta{"products", "", "", whole}));
  EXPECT_EQ(published[1], (DigestDelta{"products", "status", "active", v2}));
  EXPECT_EQ(published[2], (DigestDelta{"products", "status", "draft", -v1}));

  const auto deleted = digest_changes(products, "p1", &active, 2, nullptr, 3);
  ASSERT_EQ(deleted.size(), 2u);
  EXPECT_EQ(deleted[0].sum, -v2);
}

}  // namespace
}  // namespace shelfsync
