#include "http/problem_response.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace shelfsync {

Response problem_response(const Problem& p) {
  boost::json::object body = p.extensions;
  body["type"] = "https://shelfsync.dev/problems/" + (p.code.empty() ? std::string("error") : p.code);
  body["title"] = p.title;
  body["status"] = p.status;
  body["detail"] = p.detail;
  body["code"] = p.code;
  if (!p.errors.empty()) {
    boost::json::array errors;
    for (const auto& e : p.errors) errors.push_back({{"field", e.field}, {"message", e.message}});
    body["errors"] = std::move(errors);
  }
  Response r;
  r.status = p.status;
  r.body = boost::json::serialize(body);
  r.set_header("Content-Type", "application/problem+json");
  r.set_header("Cache-Control", "no-store");
  return r;
}

}  // namespace shelfsync
