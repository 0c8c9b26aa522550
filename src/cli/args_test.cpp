#include "cli/args.hpp"

#include <gtest/gtest.h>

namespace shelfsync::cli {
namespace {

Args parse(std::vector<std::string> words, const ArgSpec& spec) {
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  return Args(static_cast<int>(argv.size()), argv.data(), 0, spec);
}

const ArgSpec kSpec{.values = {"db", "cors-origin"}, .booleans = {"json"}, .max_positional = 1};

TEST(Args, RefusesAnUnknownFlagInsteadOfIgnoringIt) {
  EXPECT_THROW(parse({"--db", "x", "--anything", "1"}, kSpec), std::invalid_argument);
  EXPECT_THROW(parse({"--anything=1"}, kSpec), std::invalid_argument);
  EXPECT_THROW(parse({"--jsn"}, kSpec), std::invalid_argument);
}

TEST(Args, ValuesFlagsAndPositionals) {
  auto a = parse({"name", "--db=sqlite:x", "--json"}, kSpec);
  EXPECT_EQ(a.require("db"), "sqlite:x");
  EXPECT_TRUE(a.has("json"));
  EXPECT_EQ(a.positional().at(0), "name");
  EXPECT_THROW(parse({"--db"}, kSpec), std::invalid_argument);        // no value
  EXPECT_THROW(parse({"--json=yes"}, kSpec), std::invalid_argument);  // a boolean takes none
  EXPECT_THROW(parse({"one", "two"}, kSpec), std::invalid_argument);  // one positional at most
}

TEST(Args, RepeatedFlagsKeepEveryValueInOrder) {
  auto a = parse({"--cors-origin", "https://a.example", "--cors-origin=https://b.example"}, kSpec);
  EXPECT_EQ(a.get_all("cors-origin"), (std::vector<std::string>{"https://a.example", "https://b.example"}));
  EXPECT_EQ(a.get("cors-origin"), "https://a.example");
}

}  // namespace
}  // namespace shelfsync::cli
