#include "domain/time.hpp"

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

TEST(Rfc3339, FormatsUtcMilliseconds) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(1'767'225'600'000), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(1'795'839'351'123), "2026-11-28T04:15:51.123Z");
  EXPECT_EQ(format_rfc3339(951'782'400'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Rfc3339, RoundTrips) {
  for (Millis ms : {Millis{0}, Millis{1}, Millis{999}, Millis{-1}, Millis{951'782'400'000}, Millis{1'767'225'599'999},
                    Millis{4'102'444'800'000}, Millis{253'402'300'799'999}}) {
    const auto parsed = parse_rfc3339(format_rfc3339(ms));
    ASSERT_TRUE(parsed) << ms;
    EXPECT_EQ(*parsed, ms);
  }
  for (const char* text : {"2026-01-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z", "1999-12-31T12:30:00.001Z"}) {
    const auto parsed = parse_rfc3339(text);
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(format_rfc3339(*parsed), text);
  }
}

TEST(Rfc3339, AcceptsOffsetsFractionsAndLowercase) {
  const Millis base = *parse_rfc3339("2026-01-01T08:00:00Z");
  EXPECT_EQ(parse_rfc3339("2026-01-01T10:00:00+02:00"), base);
  EXPECT_EQ(parse_rfc3339("2026-01-01T03:30:00-04:30"), base);
  EXPECT_EQ(parse_rfc3339("2026-01-01t08:00:00z"), base);
  EXPECT_EQ(parse_rfc3339("2026-01-01T08:00:00.5Z"), base + 500);
  EXPECT_EQ(parse_rfc3339("2026-01-01T08:00:00.05Z"), base + 50);
  EXPECT_EQ(parse_rfc3339("2026-01-01T08:00:00.123456789Z"), base + 123);  // truncated
  EXPECT_EQ(parse_rfc3339("2026-01-01T00:30:00+00:00"), base - 27'000'000);
  // An offset can move the instant across a date (and year) boundary.
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-01-01T01:00:00+02:00")), "2025-12-31T23:00:00.000Z");
}

TEST(Rfc3339, RejectsMalformed) {
  for (const char* text : {
           "",
           "2026-01-01",
           "2026-01-01T00:00:00",        // no zone
           "2026-01-01 00:00:00Z",       // space separator
           "2026-1-01T00:00:00Z",        // short month
           "2026-13-01T00:00:00Z",       // month 13
           "2026-00-10T00:00:00Z",       // month 0
           "2026-02-30T00:00:00Z",       // no Feb 30
           "2025-02-29T00:00:00Z",       // not a leap year
           "1900-02-29T00:00:00Z",       // century, not a leap year
           "2026-04-31T00:00:00Z",       // April has 30 days
           "2026-01-01T24:00:00Z",       // hour 24
           "2026-01-01T00:60:00Z",       // minute 60
           "2026-01-01T00:00:60Z",       // leap second
           "2026-01-01T00:00:00.Z",      // empty fraction
           "2026-01-01T00:00:00ZZ",      // trailing junk
           "2026-01-01T00:00:00+0200",   // offset without colon
           "2026-01-01T00:00:00+24:00",  // offset hour out of range
           "2026-01-01T00:00:00+02",     // truncated offset
           "2026-01-01T00:00:00Z ",      // trailing space
           "tomorrow at noon, please",
       }) {
    EXPECT_FALSE(parse_rfc3339(text)) << text;
  }
}

TEST(Clock, NowIsPlausible) {
  const Millis now = now_ms();
  EXPECT_GT(now, 1'700'000'000'000);  // after 2023
  EXPECT_LE(now, now_ms());
}

}  // namespace
}  // namespace shelfsync
