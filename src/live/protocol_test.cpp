#include "live/protocol.hpp"

#include <gtest/gtest.h>

namespace shelfsync::live {
namespace {

Principal staff() {
  Principal who;
  who.tenant = "shop_1";
  who.role = Role::staff;
  return who;
}

// The error message text a refused message gets, or "" if it was accepted.
std::string refusal(std::string_view text) {
  const auto m = parse_client_message(text, staff());
  const auto* e = std::get_if<ErrorReply>(&m);
  return e ? e->text : "";
}

TEST(ClientMessages, ParseIntoWhatTheyAskFor) {
  EXPECT_TRUE(std::holds_alternative<PingMessage>(parse_client_message(R"({"type":"ping"})", staff())));
  const auto s = parse_client_message(
      R"({"type":"subscribe","sub":"s1","topic":"products","since":"c7","batch_ms":50,"mode":"invalidate"})", staff());
  const auto* request = std::get_if<SubscribeRequest>(&s);
  ASSERT_TRUE(request);
  EXPECT_EQ(request->sub, "s1");
  EXPECT_EQ(request->view.topic(), "products");
  EXPECT_EQ(request->since, 7);
  EXPECT_EQ(request->batch_ms, 50);
  EXPECT_EQ(request->mode, ChangeMode::invalidate);
  const auto w = parse_client_message(R"({"type":"watch","sub":"s1","add":["prod_1"],"remove":["prod_2"]})", staff());
  const auto* watch = std::get_if<WatchRequest>(&w);
  ASSERT_TRUE(watch);
  EXPECT_EQ(watch->add, std::vector<std::string>{"prod_1"});
  EXPECT_EQ(watch->remove, std::vector<std::string>{"prod_2"});
  const auto u = parse_client_message(R"({"type":"unsubscribe","sub":"s1"})", staff());
  ASSERT_TRUE(std::holds_alternative<UnsubscribeMessage>(u));
  EXPECT_EQ(std::get<UnsubscribeMessage>(u).sub, "s1");
}

TEST(ClientMessages, RefusalsAreErrorMessages) {
  EXPECT_EQ(refusal("[1]"), R"({"type":"error","code":"bad_message","message":"a message is a JSON object"})");
  EXPECT_NE(refusal(R"({"type":"subscribe","sub":""})"), "");
  EXPECT_NE(refusal(R"({"type":"subscribe","sub":"s","topic":"nope"})").find("unknown_topic"), std::string::npos);
  EXPECT_NE(refusal(R"({"type":"subscribe","sub":"s","topic":"products","since":"c-1"})").find("bad_cursor"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"type":"watch","sub":"s","add":["bad id"]})").find("bad_message"), std::string::npos);
  EXPECT_NE(refusal(R"({"type":"hello","sub":"s"})").find("unknown message type 'hello'"), std::string::npos);
}

}  // namespace
}  // namespace shelfsync::live
