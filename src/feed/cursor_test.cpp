#include "feed/cursor.hpp"

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

TEST(Cursor, RoundTrips) {
  for (const std::int64_t seq :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{42}, std::int64_t{999'999'999'999'999'999}}) {
    EXPECT_EQ(decode_cursor(encode_cursor(seq)), seq);
  }
  const SnapshotPosition p{7, "products", "prod_1"};
  const auto back = decode_snapshot_position(encode_snapshot_position(p));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->seq, 7);
  EXPECT_EQ(back->entity, "products");
  EXPECT_EQ(back->after_id, "prod_1");
}

// A position has one spelling: from_chars alone took a sign ("c-0" was
// seq 0) and leading zeros, so one position had many cursors (found by
// fuzz/cursor.cpp, which checks that a decoded cursor encodes back to itself).
TEST(Cursor, RefusesSpellingsItNeverWrites) {
  for (const char* bad : {"c-0", "c-1", "c+1", "c007", "c00", "c 1", "c1 ", "c", "1", "c1x", "c1234567890123456789"})
    EXPECT_FALSE(decode_cursor(bad)) << bad;
  for (const char* bad : {"s-0.products.", "s07.products.prod_1", "s+1.products.", "s.products."})
    EXPECT_FALSE(decode_snapshot_position(bad)) << bad;
  EXPECT_TRUE(decode_snapshot_position("s0.products."));
}

}  // namespace
}  // namespace shelfsync
