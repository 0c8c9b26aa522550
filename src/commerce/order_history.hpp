#pragma once
// An order's status_history entry, shared by placing and the transitions.

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "domain/time.hpp"

namespace shelfsync {

inline boost::json::object history_entry(std::string_view status, Millis at,
                                         const std::string& actor) {
  return {{"status", status}, {"at", format_rfc3339(at)}, {"actor", actor.empty() ? "system" : actor}};
}

}  // namespace shelfsync
