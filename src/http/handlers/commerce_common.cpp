#include "http/handlers/commerce_common.hpp"

#include "domain/json_util.hpp"
#include "http/handlers/common.hpp"

namespace shelfsync {

Result<boost::json::object> json_body(const Request& req) {
  if (auto p = require_json(req, false)) return *p;
  return parse_json_object(req.body);
}

Response answer_response(const CommerceAnswer& answer) {
  Response r;
  r.status = answer.status;
  r.body = answer.body;
  r.set_header("Content-Type", answer.status >= 400 ? "application/problem+json" : "application/json");
  r.set_header("Cache-Control", cache_policy(DataKind::private_data));
  if (answer.replayed) r.set_header("Idempotent-Replayed", "true");
  return r;
}

}  // namespace shelfsync
