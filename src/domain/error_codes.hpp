#pragma once
// The server's error codes as a type: a misspelled code does not compile.
// The list itself, with each code's status, title and meaning, is
// error_codes.def; Problem (problem.hpp) and the live protocol's `error` and
// `reset` messages (live/frames.hpp) take an ErrorCode.

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string_view>

namespace shelfsync {

enum class ErrorCode : std::uint8_t {
#define X(code, status, title, meaning) code,
#include "domain/error_codes.def"
#undef X
};

struct ErrorCodeInfo {
  ErrorCode code;
  std::string_view name;  // the wire spelling
  int status;             // 0: a live protocol code only
  std::string_view title;
  std::string_view meaning;
};

// Every code, in the list's order.
std::span<const ErrorCodeInfo> error_codes();
const ErrorCodeInfo& info(ErrorCode code);
std::string_view to_string(ErrorCode code);
// For test failure messages: the wire spelling.
std::ostream& operator<<(std::ostream& out, ErrorCode code);

}  // namespace shelfsync
