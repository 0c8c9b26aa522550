#include "domain/utf8.hpp"

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

TEST(Utf8, Validation) {
  EXPECT_TRUE(valid_utf8("plain ascii"));
  EXPECT_TRUE(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9b\x92"));  // é € 🛒
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));                                  // overlong '/'
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));                              // a surrogate
  EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));                          // beyond U+10FFFF
  EXPECT_FALSE(valid_utf8("\xe2\x82"));                                  // cut short
  EXPECT_FALSE(valid_utf8("\x80"));
}

TEST(Utf8, PrintableText) {
  EXPECT_TRUE(printable_text("pos-till-3", 200));
  EXPECT_TRUE(printable_text("caf\xc3\xa9", 200));
  EXPECT_TRUE(printable_text("", 200));
  EXPECT_FALSE(printable_text("caf\xc3", 200)) << "cut inside a character";
  EXPECT_FALSE(printable_text("a\nb", 200));
  EXPECT_FALSE(printable_text("a\x7f", 200));
  EXPECT_FALSE(printable_text(std::string(201, 'x'), 200));
  EXPECT_TRUE(printable_text(std::string(200, 'x'), 200));
}

}  // namespace
}  // namespace shelfsync
