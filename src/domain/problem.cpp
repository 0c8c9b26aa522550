#include "domain/problem.hpp"

#include <boost/json/array.hpp>

namespace shelfsync {

boost::json::object to_json(const Problem& p) {
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
  return body;
}

}  // namespace shelfsync
