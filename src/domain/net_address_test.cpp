#include "domain/net_address.hpp"

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

TEST(Cidr, ParsesAndMatchesV4AndV6) {
  auto v4 = Cidr::parse("10.1.0.0/16");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->contains("10.1.200.3"));
  EXPECT_FALSE(v4->contains("10.2.0.1"));
  EXPECT_FALSE(v4->contains("::1"));
  auto one = Cidr::parse("127.0.0.1");
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->contains("127.0.0.1"));
  EXPECT_FALSE(one->contains("127.0.0.2"));
  auto v6 = Cidr::parse("fd00::/8");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains("fd12:3456::1"));
  EXPECT_FALSE(v6->contains("fe80::1"));
  for (const char* bad : {"", "10.0.0.0/33", "10.0.0/8", "::1/129", "x", "10.0.0.0/", "1.2.3.4/-1"})
    EXPECT_FALSE(Cidr::parse(bad)) << bad;
}

TEST(NetAddress, ParsesOnlyTheStandardFormsAndFormatsBack) {
  EXPECT_EQ(format_ip(*parse_ip("10.0.0.1")), "10.0.0.1");
  EXPECT_EQ(format_ip(*parse_ip("[::1]")), "::1");
  EXPECT_EQ(format_ip(*parse_ip("::ffff:127.0.0.1")), "127.0.0.1");  // IPv4-mapped is IPv4
  EXPECT_TRUE(is_v4_mapped(*parse_ip("192.168.1.1")));
  // Shorthands a resolver might take are not addresses here (they are
  // judged after DNS, integrations/http_client.cpp).
  for (const char* not_ip : {"127.1", "2130706433", "0x7f000001", "localhost", ""})
    EXPECT_FALSE(parse_ip(not_ip)) << not_ip;
}

}  // namespace
}  // namespace shelfsync
