#pragma once
// What the typed codecs' tests share (order_test, bill_test,
// stock_movement_test): a fixed clock and shop, JSON from text, and a
// problem's field errors as one line to compare.

#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "domain/collection.hpp"
#include "domain/problem.hpp"

namespace shelfsync::codec_test {

inline constexpr Millis kNow = 1'700'000'000'000;  // 2023-11-14T22:13:20.000Z
inline const NormalizeContext kCtx{kNow, "EUR"};

inline boost::json::object obj(std::string_view text) { return boost::json::parse(text).as_object(); }

// "field: message" of every error, in order.
inline std::string errors_of(const Problem& p) {
  std::string s;
  for (const FieldError& e : p.errors) s += (s.empty() ? "" : "; ") + e.field + ": " + e.message;
  return s;
}

}  // namespace shelfsync::codec_test
