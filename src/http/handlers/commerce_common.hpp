#pragma once
// Pieces the commerce handlers (orders, stock) share.

#include <boost/json/object.hpp>

#include "catalog/idempotency.hpp"
#include "domain/problem.hpp"
#include "http/message.hpp"

namespace shelfsync {

// The request body as a JSON object (415 if not JSON, 400 if malformed).
Result<boost::json::object> json_body(const Request& req);

// A commerce answer (possibly a kept one) as sent: JSON or problem+json,
// never cached, `Idempotent-Replayed: true` on a replay.
Response answer_response(const CommerceAnswer& answer);

}  // namespace shelfsync
