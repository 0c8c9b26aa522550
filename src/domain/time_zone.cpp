#include "domain/time_zone.hpp"

#include <cctype>
#include <chrono>
#include <stdexcept>
#include <string>

#include <date/tz.h>

namespace shelfsync {

bool is_known_time_zone(std::string_view name) {
  // The database's names are short and made of these characters; anything
  // else is refused before the lookup.
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+')) return false;
  try {
    date::locate_zone(std::string(name));
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

std::optional<CivilDay> parse_civil_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  std::size_t at = 0;
  for (int i = 0; i < 3; ++i, ++at)
    for (std::size_t n = (i == 0 ? 4 : 2); n > 0; --n, ++at) {
      if (!std::isdigit(static_cast<unsigned char>(text[at]))) return std::nullopt;
      parts[i] = parts[i] * 10 + (text[at] - '0');
    }
  const date::year_month_day ymd{date::year{parts[0]}, date::month{static_cast<unsigned>(parts[1])},
                                 date::day{static_cast<unsigned>(parts[2])}};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days{ymd}.time_since_epoch().count();
}

std::string format_civil_day(CivilDay day) { return date::format("%F", date::sys_days{date::days{day}}); }

CivilDay local_day_of(std::string_view zone, Millis ms) {
  const auto* z = date::locate_zone(std::string(zone));
  const auto instant = date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{ms}};
  const auto local = z->to_local(instant);
  return date::floor<date::days>(local).time_since_epoch().count();
}

Millis local_day_start(std::string_view zone, CivilDay day) {
  const auto* z = date::locate_zone(std::string(zone));
  const auto start = z->to_sys(date::local_days{date::days{day}}, date::choose::earliest);
  return std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch()).count();
}

}  // namespace shelfsync
