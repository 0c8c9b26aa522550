#pragma once
// Expected failures are values, not exceptions (docs/architecture.md, "Error
// policy"). A Problem carries everything the HTTP edge needs to build an
// RFC 9457 problem+json answer; exactly one function turns it into a response
// (http/problem_response.cpp).

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/error_codes.hpp"

namespace shelfsync {

struct FieldError {
  std::string field;    // JSON path of the offending member, e.g. "variants[2].sku"
  std::string message;  // what is wrong, for a human
};

// Made only by the factories below, which take the status and title from the
// list of codes (error_codes.def): a code always answers with one status.
struct Problem {
  int status;
  ErrorCode code;
  std::string title;   // short summary
  std::string detail;  // what exactly went wrong
  std::vector<FieldError> errors;
  boost::json::object extensions;  // e.g. "current" on 412

  // Any code with an HTTP status; the shorthands below are the common ones.
  static Problem of(ErrorCode code, std::string detail) { return Problem(code, std::move(detail)); }
  static Problem validation(std::vector<FieldError> errors);
  static Problem forbidden(std::string detail) { return of(ErrorCode::forbidden, std::move(detail)); }
  static Problem not_found(std::string detail) { return of(ErrorCode::not_found, std::move(detail)); }
  static Problem unavailable(std::string detail) { return of(ErrorCode::unavailable, std::move(detail)); }
  static Problem internal(std::string detail) { return of(ErrorCode::internal, std::move(detail)); }

 private:
  Problem(ErrorCode code, std::string detail);
};

// The RFC 9457 body: {type, title, status, detail, code, errors?} plus the
// extension members. http/problem_response.cpp sends it; the commerce code
// keeps it for Idempotency-Key replays.
boost::json::object to_json(const Problem& problem);

// A value or a Problem. Small on purpose: std::expected is C++23.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Problem problem) : v_(std::move(problem)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  Problem& problem() { return std::get<1>(v_); }
  const Problem& problem() const { return std::get<1>(v_); }

 private:
  std::variant<T, Problem> v_;
};

// Collects field errors while decoding a document.
class Errors {
 public:
  void add(std::string field, std::string message) { list_.push_back({std::move(field), std::move(message)}); }
  bool empty() const { return list_.empty(); }
  const std::vector<FieldError>& list() const { return list_; }
  Problem problem() const { return Problem::validation(list_); }

 private:
  std::vector<FieldError> list_;
};

}  // namespace shelfsync
