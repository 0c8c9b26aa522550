#pragma once
// JSON helpers shared by every codec: bounded parsing and RFC 7396 merge patch.

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "domain/problem.hpp"

namespace shelfsync {

inline constexpr std::size_t kMaxJsonDepth = 32;

// Parses a request body. Rejects malformed JSON, invalid UTF-8 and nesting
// deeper than kMaxJsonDepth with a 400 problem naming the fault.
Result<boost::json::value> parse_json(std::string_view text);

// Parses a body that must be a JSON object.
Result<boost::json::object> parse_json_object(std::string_view text);

// RFC 7396: members of `patch` replace those of `target`; null removes; a
// non-object patch replaces the whole target.
void merge_patch(boost::json::value& target, const boost::json::value& patch);

std::string to_json(const boost::json::value& v);

// The string member `key` of `o`, or "" when it is missing or not a string.
std::string_view string_or_empty(const boost::json::object& o, std::string_view key);

// Length of a UTF-8 string in code points (Boost.JSON has validated it).
std::size_t utf8_length(std::string_view s);

}  // namespace shelfsync
