#include "store/key_list.hpp"

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

TEST(KeyList, RoundTripsAnyBytesInOrder) {
  const IndexKeys keys{{"status", "active"},
                       {"tag", "a:b:12:c"},
                       {"tag", ""},
                       {"title", "Caf\xc3\xa9 \xe2\x9c\x93"},
                       {"x", std::string("nul\0inside", 10)}};
  const auto text = encode_keys(keys);
  EXPECT_EQ(text.substr(0, 16), "6:status6:active");
  EXPECT_EQ(decode_keys(text), keys);
  EXPECT_EQ(encode_keys({}), "");
  EXPECT_EQ(decode_keys(""), IndexKeys{});
}

TEST(KeyList, RefusesWhatItDidNotWrite) {
  for (std::string_view bad :
       {"6:status", "6:status7:active", "x:ab1:c", ":a1:b", "2:ab", "3:abc4", "99999999999999999999:a1:b"})
    EXPECT_FALSE(decode_keys(bad)) << bad;
}

}  // namespace
}  // namespace shelfsync
