#include "domain/json_util.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace shelfsync {
namespace {

namespace json = boost::json;

struct PatchCase {
  const char* target;
  const char* patch;
  const char* result;
};

class MergePatchTest : public testing::TestWithParam<PatchCase> {};

TEST_P(MergePatchTest, MatchesRfc7396) {
  json::value target = json::parse(GetParam().target);
  merge_patch(target, json::parse(GetParam().patch));
  EXPECT_EQ(target, json::parse(GetParam().result))
      << GetParam().target << " + " << GetParam().patch << " = " << json::serialize(target);
}

// RFC 7396 Appendix A, in order.
INSTANTIATE_TEST_SUITE_P(AppendixA, MergePatchTest,
                         testing::Values(PatchCase{R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
                                         PatchCase{R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
                                         PatchCase{R"({"a":"b"})", R"({"a":null})", R"({})"},
                                         PatchCase{R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
                                         PatchCase{R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
                                         PatchCase{R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
                                         PatchCase{R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})",
                                                   R"({"a":{"b":"d"}})"},
                                         PatchCase{R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
                                         PatchCase{R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
                                         PatchCase{R"({"a":"b"})", R"(["c"])", R"(["c"])"},
                                         PatchCase{R"({"a":"foo"})", R"(null)", R"(null)"},
                                         PatchCase{R"({"a":"foo"})", R"("bar")", R"("bar")"},
                                         PatchCase{R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
                                         PatchCase{R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
                                         PatchCase{R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"}));

TEST(MergePatch, RemovingAnAbsentMemberIsANoOp) {
  json::value target = json::parse(R"({"title":"T","sale":{"kind":"percent"}})");
  merge_patch(target, json::parse(R"({"missing":null,"sale":{"sold":null}})"));
  EXPECT_EQ(target, json::parse(R"({"title":"T","sale":{"kind":"percent"}})"));
}

TEST(ParseJson, AcceptsValidDocuments) {
  auto v = parse_json(R"({"a":[1,2,{"b":null}],"c":"\u00e9"})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->at("c"), "\xC3\xA9");
  auto o = parse_json_object(R"({"x":1})");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->at("x"), 1);
}

TEST(ParseJson, RejectsMalformed) {
  for (const char* text : {"", "{", R"({"a":})", "{'a':1}", R"({"a":1} x)", "[1,]", "nul"}) {
    auto v = parse_json(text);
    ASSERT_FALSE(v.ok()) << text;
    EXPECT_EQ(v.problem().status, 400);
    EXPECT_EQ(v.problem().code, ErrorCode::malformed_json) << text;
  }
}

TEST(ParseJson, RejectsInvalidUtf8) {
  auto v = parse_json("{\"a\":\"\xC3\x28\"}");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.problem().code, ErrorCode::malformed_json);
}

// Found by the record_body fuzz target: 1e400 parsed as infinity, which
// serializes to text that is not JSON, so the stored record broke its readers.
TEST(ParseJson, RejectsNumbersBeyondADoublesRange) {
  for (const char* text : {R"({"a":1e400})", R"({"a":[1,-5001e308]})", R"({"a":{"b":[{"c":1e999}]}})"}) {
    auto v = parse_json(text);
    ASSERT_FALSE(v.ok()) << text;
    EXPECT_EQ(v.problem().status, 400);
    EXPECT_EQ(v.problem().code, ErrorCode::malformed_json) << text;
  }
  EXPECT_TRUE(parse_json(R"({"a":1.7e308,"b":-1e-400,"c":9223372036854775808})").ok());
}

TEST(ParseJson, BoundsNestingDepth) {
  auto nested = [](std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  EXPECT_TRUE(parse_json(nested(kMaxJsonDepth)).ok());
  auto deep = parse_json(nested(kMaxJsonDepth + 1));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.problem().status, 400);
  EXPECT_EQ(deep.problem().code, ErrorCode::too_deep);
  EXPECT_FALSE(parse_json(nested(100000)).ok());
}

TEST(ParseJson, ObjectRequired) {
  for (const char* text : {"[]", "1", R"("s")", "null"}) {
    auto o = parse_json_object(text);
    ASSERT_FALSE(o.ok()) << text;
    EXPECT_EQ(o.problem().status, 400);
  }
}

TEST(Utf8Length, CountsCodePoints) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("caf\xC3\xA9"), 4u);        // é: 2 bytes
  EXPECT_EQ(utf8_length("\xE2\x82\xAC"), 1u);       // €: 3 bytes
  EXPECT_EQ(utf8_length("\xF0\x9F\x98\x80!"), 2u);  // emoji: 4 bytes
}

TEST(ToJson, Serializes) {
  EXPECT_EQ(to_json(json::parse(R"({"a":[1,"x",true,null]})")), R"({"a":[1,"x",true,null]})");
}

}  // namespace
}  // namespace shelfsync
