#pragma once
// X-Client-Id (SPEC §4): any mutation may name the client that made it, and
// change events carry it to every reader as `origin`. It reaches every
// subscriber's frames, so it is checked at the edge: a short printable
// ASCII token, or the request is refused.

#include <optional>
#include <string_view>

#include "domain/problem.hpp"

namespace shelfsync {

inline constexpr std::size_t kMaxClientIdLength = 128;

// nullopt when absent or well-formed; 400 `bad_client_id` otherwise.
std::optional<Problem> check_client_id(std::string_view value);

}  // namespace shelfsync
