#include "domain/json_util.hpp"

#include <cmath>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace shelfsync {

namespace json = boost::json;

namespace {

// A number past a double's range (1e400) parses as infinity, which JSON
// cannot write back: stored, it would make the record unreadable for every
// reader. Depth is bounded by the parse (kMaxJsonDepth).
bool all_numbers_finite(const json::value& v) {
  switch (v.kind()) {
    case json::kind::double_:
      return std::isfinite(v.get_double());
    case json::kind::array:
      for (const auto& item : v.get_array())
        if (!all_numbers_finite(item)) return false;
      return true;
    case json::kind::object:
      for (const auto& [key, item] : v.get_object())
        if (!all_numbers_finite(item)) return false;
      return true;
    default:
      return true;
  }
}

}  // namespace

Result<json::value> parse_json(std::string_view text) {
  json::parse_options opt;
  opt.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec, {}, opt);
  if (ec) {
    if (ec == json::error::too_deep)
      return Problem::of(ErrorCode::too_deep, "JSON nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return Problem::of(ErrorCode::malformed_json, "request body is not valid JSON: " + ec.message());
  }
  if (!all_numbers_finite(v))
    return Problem::of(ErrorCode::malformed_json, "request body has a number out of range (beyond ±1.8e308)");
  return v;
}

Result<json::object> parse_json_object(std::string_view text) {
  auto v = parse_json(text);
  if (!v) return v.problem();
  if (!v->is_object()) return Problem::of(ErrorCode::malformed_json, "request body must be a JSON object");
  return std::move(v->as_object());
}

void merge_patch(json::value& target, const json::value& patch) {
  if (!patch.is_object()) {
    target = patch;
    return;
  }
  if (!target.is_object()) target = json::object();
  auto& obj = target.as_object();
  for (const auto& [key, val] : patch.as_object()) {
    if (val.is_null()) {
      obj.erase(key);
    } else {
      merge_patch(obj[key], val);
    }
  }
}

std::string to_json(const json::value& v) { return json::serialize(v); }

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string_view string_or_empty(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  return {v->get_string().data(), v->get_string().size()};
}

}  // namespace shelfsync
