#include "domain/time_zone.hpp"

#include <date/tz.h>

#include <cctype>
#include <stdexcept>
#include <string>

namespace shelfsync {

bool is_known_time_zone(std::string_view name) {
  // The database's names are short and made of these characters; anything
  // else is refused before the lookup.
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
          c == '+'))
      return false;
  try {
    date::locate_zone(std::string(name));
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

}  // namespace shelfsync
