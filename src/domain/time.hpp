#pragma once
// Wall-clock time as integer milliseconds since the Unix epoch, and its
// RFC 3339 form ("2026-11-22T04:15:51.123Z") used in every JSON document.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shelfsync {

using Millis = std::int64_t;

// The server's clock: the system clock plus an offset that is zero unless
// set. The offset exists so that tests can put the server just before a
// shop's midnight and `shelfsync demo` can write a back-dated history
// through the real write paths; nothing else sets it.
Millis now_ms();
void set_clock_offset(Millis offset);
Millis clock_offset();
// The system clock's time point at which now_ms() reads `ms`: what a thread
// that sleeps until a server-clock instant waits for.
std::chrono::system_clock::time_point system_time_at(Millis ms);
std::string format_rfc3339(Millis ms);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff...](Z|+HH:MM|-HH:MM)"; nullopt if malformed.
std::optional<Millis> parse_rfc3339(std::string_view text);

}  // namespace shelfsync
