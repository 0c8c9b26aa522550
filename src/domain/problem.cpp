#include "domain/problem.hpp"

#include <boost/json/array.hpp>

namespace shelfsync {

Problem::Problem(ErrorCode code, std::string detail)
    : status(info(code).status), code(code), title(info(code).title), detail(std::move(detail)) {}

Problem Problem::validation(std::vector<FieldError> errors) {
  std::string detail = errors.empty() ? "invalid input" : errors.front().field + ": " + errors.front().message;
  Problem p(ErrorCode::validation_failed, std::move(detail));
  p.errors = std::move(errors);
  return p;
}

boost::json::object to_json(const Problem& p) {
  boost::json::object body = p.extensions;
  body["type"] = "https://shelfsync.dev/problems/" + std::string(to_string(p.code));
  body["title"] = p.title;
  body["status"] = p.status;
  body["detail"] = p.detail;
  body["code"] = to_string(p.code);
  if (!p.errors.empty()) {
    boost::json::array errors;
    for (const auto& e : p.errors) errors.push_back({{"field", e.field}, {"message", e.message}});
    body["errors"] = std::move(errors);
  }
  return body;
}

}  // namespace shelfsync
