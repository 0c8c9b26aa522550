#pragma once
// IANA time zones, from the system's tz database (tzdata) through the date
// library (GCC 12's <chrono> has no zones). Only this file's .cpp includes
// the library's heavy header.

#include <string_view>

namespace shelfsync {

// Whether `name` is a zone the tz database knows ("UTC", "Europe/Berlin",
// "Asia/Kathmandu"). Case matters, as in the database.
bool is_known_time_zone(std::string_view name);

}  // namespace shelfsync
