#pragma once
// Wall-clock time as integer milliseconds since the Unix epoch, and its
// RFC 3339 form ("2026-11-22T04:15:51.123Z") used in every JSON document.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shelfsync {

using Millis = std::int64_t;

Millis now_ms();
std::string format_rfc3339(Millis ms);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff...](Z|+HH:MM|-HH:MM)"; nullopt if malformed.
std::optional<Millis> parse_rfc3339(std::string_view text);

}  // namespace shelfsync
