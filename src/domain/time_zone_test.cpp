#include "domain/time_zone.hpp"

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

TEST(TimeZone, KnowsTheDatabasesZonesAndNothingElse) {
  for (const char* zone :
       {"UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Asia/Kathmandu", "Pacific/Chatham", "Etc/GMT+12"})
    EXPECT_TRUE(is_known_time_zone(zone)) << zone;
  for (const char* zone :
       {"", "utc", "Mars/Olympus_Mons", "Europe/", "../../etc/passwd", "Europe/Berlin ", "Europe\\Berlin", "+05:45"})
    EXPECT_FALSE(is_known_time_zone(zone)) << zone;
  EXPECT_FALSE(is_known_time_zone(std::string(65, 'A')));
}

}  // namespace
}  // namespace shelfsync
