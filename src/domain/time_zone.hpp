#pragma once
// IANA time zones, from the system's tz database (tzdata) through the date
// library (GCC 12's <chrono> has no zones). Only this file's .cpp includes
// the library's heavy header.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/time.hpp"

namespace shelfsync {

// Whether `name` is a zone the tz database knows ("UTC", "Europe/Berlin",
// "Asia/Kathmandu"). Case matters, as in the database.
bool is_known_time_zone(std::string_view name);

// A local calendar date as days since 1970-01-01 (whatever the zone).
using CivilDay = std::int64_t;

// "YYYY-MM-DD" (a real date) → its day number; nullopt if malformed.
std::optional<CivilDay> parse_civil_day(std::string_view text);
std::string format_civil_day(CivilDay day);

// In zone `zone` (a known one): the local date at instant `ms`, and the
// instant local day `day` begins (its first existing moment when a DST
// change skips midnight). Throws std::runtime_error for an unknown zone.
CivilDay local_day_of(std::string_view zone, Millis ms);
Millis local_day_start(std::string_view zone, CivilDay day);

}  // namespace shelfsync
