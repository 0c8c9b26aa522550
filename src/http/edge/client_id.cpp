#include "http/edge/client_id.hpp"

namespace shelfsync {

std::optional<Problem> check_client_id(std::string_view value) {
  if (value.empty()) return std::nullopt;
  if (value.size() > kMaxClientIdLength)
    return Problem::of(ErrorCode::bad_client_id, "X-Client-Id is longer than 128 characters");
  for (char ch : value)
    if (ch < 0x21 || ch > 0x7e)
      return Problem::of(ErrorCode::bad_client_id,
                         "X-Client-Id must be visible ASCII characters (no spaces or controls)");
  return std::nullopt;
}

}  // namespace shelfsync
