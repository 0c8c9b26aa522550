#include "http/problem_response.hpp"

#include <boost/json/serialize.hpp>

namespace shelfsync {

Response problem_response(const Problem& p) {
  Response r;
  r.status = p.status;
  r.body = boost::json::serialize(to_json(p));
  r.set_header("Content-Type", "application/problem+json");
  r.set_header("Cache-Control", "no-store");
  return r;
}

}  // namespace shelfsync
