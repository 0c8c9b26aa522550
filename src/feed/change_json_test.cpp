// change_json is the one encoder of a change object for WebSocket and SSE
// frames: whatever the log holds, its output is valid UTF-8.

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "domain/utf8.hpp"
#include "feed/view.hpp"

namespace shelfsync {
namespace {

std::string origin_of(const std::string& origin) {
  const ChangeEntry change{7, "products", "p_1", true, 3, origin, 0};
  const auto text = change_json(change, nullptr, *find_collection("products"), Projection::admin, ChangeMode::data);
  EXPECT_TRUE(valid_utf8(text)) << text;
  return std::string(boost::json::parse(text).as_object().at("origin").as_string());
}

TEST(ChangeJson, KeepsAPrintableOrigin) {
  EXPECT_EQ(origin_of("till-3"), "till-3");
  EXPECT_EQ(origin_of("caf\xc3\xa9"), "caf\xc3\xa9");
}

TEST(ChangeJson, DropsAnOriginThatIsNotPrintableUtf8) {
  EXPECT_EQ(origin_of("till\xff"), "");
  EXPECT_EQ(origin_of("caf\xc3"), "") << "cut inside a character (a 200-byte truncation)";
  EXPECT_EQ(origin_of("a\x01"
                      "b"),
            "");
  EXPECT_EQ(origin_of(std::string(kMaxOriginBytes + 1, 'x')), "");
}

}  // namespace
}  // namespace shelfsync
