#include "live/write_queue.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace shelfsync::live {
namespace {

std::vector<std::string> drain(WriteQueue<std::string>& q) {
  std::vector<std::string> out;
  while (!q.empty()) {
    out.push_back(q.front());
    q.pop_front();
  }
  return out;
}

TEST(WriteQueueTest, KeepsOrderAcrossPushesAndBatches) {
  WriteQueue<std::string> q;
  EXPECT_TRUE(q.empty());
  q.append({"a", "b"});  // adopted: the queue was empty
  q.push_back("c");
  q.append({"d"});  // appended behind what is queued
  EXPECT_EQ(q.front(), "a");
  q.pop_front();
  q.push_back("e");
  EXPECT_EQ(drain(q), (std::vector<std::string>{"b", "c", "d", "e"}));
  q.push_back("f");  // usable again once emptied
  EXPECT_EQ(drain(q), std::vector<std::string>{"f"});
}

TEST(WriteQueueTest, ANeverEmptyQueueStaysInOrder) {
  // Popping one and pushing one forever: the written slots are dropped as it goes.
  WriteQueue<std::string> q;
  q.push_back("0");
  for (int i = 1; i < 1000; ++i) {
    q.push_back(std::to_string(i));
    ASSERT_EQ(q.front(), std::to_string(i - 1));
    q.pop_front();
  }
  EXPECT_EQ(drain(q), std::vector<std::string>{"999"});
}

TEST(WriteQueueTest, ForEachSeesWhatIsLeftAndClearEmpties) {
  WriteQueue<std::string> q;
  q.append({"a", "b", "c"});
  q.pop_front();
  std::vector<std::string> seen;
  q.for_each([&](const std::string& s) { seen.push_back(s); });
  EXPECT_EQ(seen, (std::vector<std::string>{"b", "c"}));
  q.clear();
  EXPECT_TRUE(q.empty());
}

}  // namespace
}  // namespace shelfsync::live
