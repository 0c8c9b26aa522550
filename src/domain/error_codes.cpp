#include "domain/error_codes.hpp"

#include <ostream>

namespace shelfsync {
namespace {

constexpr ErrorCodeInfo kErrorCodes[] = {
#define X(code, status, title, meaning) {ErrorCode::code, #code, status, title, meaning},
#include "domain/error_codes.def"
#undef X
};

}  // namespace

std::span<const ErrorCodeInfo> error_codes() { return kErrorCodes; }

// The table is made in the enum's order, so a code indexes its row.
const ErrorCodeInfo& info(ErrorCode code) { return kErrorCodes[static_cast<std::size_t>(code)]; }

std::string_view to_string(ErrorCode code) { return info(code).name; }

std::ostream& operator<<(std::ostream& out, ErrorCode code) { return out << to_string(code); }

}  // namespace shelfsync
