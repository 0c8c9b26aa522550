// MessageCache shares an encoding only between connections that would write
// the same bytes; SendBatch hands deferred connections off in groups.

#include "feed/hub_messages.hpp"

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

class EncodingConn : public LiveConnection {
 public:
  explicit EncodingConn(std::string_view transport, bool shares = true) : transport_(transport), shares_(shares) {}
  std::string_view transport() const override { return transport_; }
  void send_changes(const std::string&, std::optional<std::int64_t>, const std::vector<Frame>&) override {}
  Message encode_changes(const std::string& sub, std::optional<std::int64_t> cursor,
                         const std::vector<Frame>& changes) const override {
    ++encoded;
    if (!shares_) return nullptr;
    std::string out = sub + "@" + (cursor ? std::to_string(*cursor) : "-");
    for (const auto& c : changes) out += ":" + *c;
    return std::make_shared<const std::string>(out);
  }
  void send_subscribed(const std::string&, std::int64_t) override {}
  void send_reset(const std::string&, ErrorCode) override {}
  void send_error(const std::string&, ErrorCode, std::string_view) override {}

  mutable int encoded = 0;

 private:
  std::string_view transport_;
  bool shares_;
};

Frame frame(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

TEST(MessageCache, SharesOnlyIdenticalEncodings) {
  MessageCache cache;
  EncodingConn a("ws"), b("ws"), sse("sse");
  const std::vector<Frame> one{frame("x")}, other{frame("x")};  // equal text, different objects
  const auto m1 = cache.get(a, "s", 5, one);
  EXPECT_EQ(cache.get(b, "s", 5, one), m1);  // another connection, same bytes: shared
  EXPECT_EQ(a.encoded + b.encoded, 1);
  EXPECT_NE(cache.get(b, "t", 5, one), m1);             // another sub id
  EXPECT_NE(cache.get(b, "s", 6, one), m1);             // another cursor
  EXPECT_NE(cache.get(b, "s", std::nullopt, one), m1);  // a snapshot chunk
  EXPECT_NE(cache.get(b, "s", 5, other), m1);           // other change objects
  EXPECT_NE(cache.get(sse, "s", 5, one), m1);           // another transport
  EXPECT_EQ(*cache.get(a, "s", 5, one), "s@5:x");
}

TEST(MessageCache, TransportWithoutSharingGetsNull) {
  MessageCache cache;
  EncodingConn plain("ws", false);
  EXPECT_EQ(cache.get(plain, "s", 1, std::vector<Frame>{frame("x")}), nullptr);
}

std::vector<std::size_t> handed_off;
// NOLINTNEXTLINE(performance-unnecessary-value-param): by value, as HandOff is
void record(std::vector<std::shared_ptr<LiveConnection>> group) { handed_off.push_back(group.size()); }

TEST(SendBatch, HandsOffInGroupsAndAtTheEnd) {
  handed_off.clear();
  auto conn = std::make_shared<EncodingConn>("ws");
  EXPECT_FALSE(SendBatch::defer(&record, conn));  // no batch on this thread
  {
    SendBatch batch;
    {
      SendBatch nested;  // joins the outer one
      for (std::size_t i = 0; i < SendBatch::kSendBatchGroup + 3; ++i) EXPECT_TRUE(SendBatch::defer(&record, conn));
    }
    EXPECT_EQ(handed_off, std::vector<std::size_t>{SendBatch::kSendBatchGroup});
  }
  EXPECT_EQ(handed_off, (std::vector<std::size_t>{SendBatch::kSendBatchGroup, 3}));
  EXPECT_FALSE(SendBatch::defer(&record, conn));
}

}  // namespace
}  // namespace shelfsync
