#include "feed/snapshot_pages.hpp"

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

TEST(SnapshotPages, EachIdIsCoveredUpToTheSeqOfItsPage) {
  SnapshotPages pages;
  pages.add(10, "p3", false);
  EXPECT_EQ(pages.after_id(), "p3");
  EXPECT_FALSE(pages.done());
  pages.add(14, "p6", false);
  pages.add(20, "", true);
  EXPECT_TRUE(pages.done());
  EXPECT_EQ(pages.start(), 10);
  EXPECT_EQ(pages.newest(), 20);

  EXPECT_TRUE(pages.covered("p1", 10));
  EXPECT_FALSE(pages.covered("p1", 11)) << "changed after its page was read";
  EXPECT_TRUE(pages.covered("p3", 10)) << "a page includes its last id";
  EXPECT_TRUE(pages.covered("p4", 14));
  EXPECT_FALSE(pages.covered("p4", 15));
  EXPECT_TRUE(pages.covered("p9", 20)) << "the last page covers every id after the previous";
  EXPECT_FALSE(pages.covered("p9", 21));
}

TEST(SnapshotPages, SeqsNeverGoDown) {
  SnapshotPages pages;
  pages.add(10, "b", false);
  pages.add(9, "", true);
  EXPECT_TRUE(pages.covered("c", 10));
  EXPECT_EQ(pages.newest(), 10);
}

}  // namespace
}  // namespace shelfsync
