// The edge's building blocks alone: rate buckets, connection caps, client
// addresses behind proxies, CORS answers and the X-Client-Id rule.

#include <gtest/gtest.h>

#include "http/edge/client_address.hpp"
#include "http/edge/client_id.hpp"
#include "http/edge/connection_counter.hpp"
#include "http/edge/cors.hpp"
#include "http/edge/rate_limiter.hpp"

namespace shelfsync {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, AllowsTheBurstThenRefusesWithRetryAfterThenRefills) {
  RateLimiter limiter(2, 4);  // 2/s, 4 at once
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(limiter.take("a", t0)) << i;
  const auto wait = limiter.take("a", t0);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 1);                          // half a second rounds up to a whole one
  EXPECT_FALSE(limiter.take("b", t0));          // keys are independent
  EXPECT_FALSE(limiter.take("a", t0 + 500ms));  // one token back after 1/2 s
  EXPECT_TRUE(limiter.take("a", t0 + 500ms));
}

TEST(RateLimiter, RetryAfterCoversTheWholeWaitAtSlowRates) {
  RateLimiter limiter(0.1, 1);  // one request every 10 s
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  EXPECT_FALSE(limiter.take("a", t0));
  EXPECT_EQ(limiter.take("a", t0).value_or(0), 10);
}

TEST(RateLimiter, ForgetsRefilledBucketsSoMemoryStaysBounded) {
  RateLimiter limiter(10, 20);
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 1000; ++i) limiter.take("k" + std::to_string(i), t0);
  EXPECT_EQ(limiter.tracked_keys(), 1000u);
  limiter.take("late", t0 + 1min);  // every other bucket is full again: swept
  EXPECT_EQ(limiter.tracked_keys(), 1u);
}

TEST(RateLimiter, ZeroRateMeansNoLimit) {
  RateLimiter limiter(0, 0);
  for (int i = 0; i < 10000; ++i) ASSERT_FALSE(limiter.take("a"));
}

TEST(ConnectionCounter, CapsPerKeyAndReleasesWhenTheTicketGoes) {
  ConnectionCounter counter(2);
  auto a1 = counter.try_hold("a");
  auto a2 = counter.try_hold("a");
  EXPECT_TRUE(a1 && a2);
  EXPECT_FALSE(counter.try_hold("a"));
  EXPECT_TRUE(counter.try_hold("b"));
  a1.reset();
  EXPECT_EQ(counter.open("a"), 1);
  EXPECT_TRUE(counter.try_hold("a"));
}

TEST(ConnectionCounter, ATicketMayOutliveItsCounter) {
  Ticket kept;
  {
    ConnectionCounter counter(1);
    kept = counter.try_hold("a");
  }
  kept.reset();  // must not touch freed memory (ASan run)
}

TEST(TrustedProxies, TheClientIsTheRightmostUntrustedHop) {
  TrustedProxies proxies({*Cidr::parse("10.0.0.0/8")});
  // Not from a proxy: the header is anyone's to forge.
  EXPECT_EQ(proxies.client_of("203.0.113.9", "198.51.100.1"), "203.0.113.9");
  // From the proxy: its word is taken for the hop before it.
  EXPECT_EQ(proxies.client_of("10.0.0.5", "198.51.100.1"), "198.51.100.1");
  // A client forging a chain only adds addresses to the left of its own.
  EXPECT_EQ(proxies.client_of("10.0.0.5", "1.1.1.1, 198.51.100.1"), "198.51.100.1");
  // Several proxies in a row are walked through.
  EXPECT_EQ(proxies.client_of("10.0.0.5", "198.51.100.1, 10.0.0.7"), "198.51.100.1");
  // No header, or garbage: the proxy itself.
  EXPECT_EQ(proxies.client_of("10.0.0.5", ""), "10.0.0.5");
  EXPECT_EQ(proxies.client_of("10.0.0.5", "not-an-ip"), "10.0.0.5");
}

TEST(AddressKey, GroupsIpv6ByItsSlash64) {
  EXPECT_EQ(address_key("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(address_key("2001:db8:1:2:aaaa::1"), address_key("2001:db8:1:2:bbbb::9"));
  EXPECT_NE(address_key("2001:db8:1:2::1"), address_key("2001:db8:1:3::1"));
}

TEST(CorsPolicy, AnswersListedOriginsOnly) {
  CorsPolicy cors({"http://127.0.0.1:5173", "https://shop.example/"});
  EXPECT_TRUE(cors.allows("http://127.0.0.1:5173"));
  EXPECT_TRUE(cors.allows("https://shop.example"));
  EXPECT_FALSE(cors.allows("http://127.0.0.1:5174"));
  EXPECT_FALSE(cors.allows("null"));
  EXPECT_TRUE(cors.answer_headers("http://evil.example").empty());
  const auto h = cors.answer_headers("http://127.0.0.1:5173");
  ASSERT_FALSE(h.empty());
  EXPECT_EQ(h[0].second, "http://127.0.0.1:5173");
  EXPECT_FALSE(cors.preflight_headers("http://evil.example"));
  auto pre = cors.preflight_headers("https://shop.example");
  ASSERT_TRUE(pre);
  bool names_idempotency = false;
  for (const auto& [k, v] : *pre)
    if (k == "Access-Control-Allow-Headers") names_idempotency = v.find("Idempotency-Key") != v.npos;
  EXPECT_TRUE(names_idempotency);
  EXPECT_THROW(CorsPolicy({"shop.example"}), std::invalid_argument);
  EXPECT_THROW(CorsPolicy({"https://shop.example/path"}), std::invalid_argument);
  EXPECT_TRUE(CorsPolicy({"*"}).allows("https://anyone.example"));
  EXPECT_FALSE(CorsPolicy().allows("https://anyone.example"));  // none by default
}

TEST(ClientId, PrintableShortTokensOnly) {
  EXPECT_FALSE(check_client_id(""));
  EXPECT_FALSE(check_client_id("admin-3f2a9c"));
  EXPECT_TRUE(check_client_id("\xff\xfe"));
  EXPECT_TRUE(check_client_id("has space"));
  EXPECT_TRUE(check_client_id(std::string("a\0b", 3)));
  EXPECT_TRUE(check_client_id(std::string(129, 'x')));
  EXPECT_FALSE(check_client_id(std::string(128, 'x')));
}

}  // namespace
}  // namespace shelfsync
