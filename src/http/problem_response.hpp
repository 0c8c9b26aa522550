#pragma once

#include "domain/problem.hpp"
#include "http/message.hpp"

namespace shelfsync {

// The one place a Problem becomes an HTTP answer: RFC 9457
// application/problem+json with {type, title, status, detail, code, errors}
// plus the problem's extension members.
Response problem_response(const Problem& problem);

}  // namespace shelfsync
