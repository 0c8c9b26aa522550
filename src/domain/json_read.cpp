#include "domain/json_read.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/json.hpp>

#include "domain/ids.hpp"
#include "domain/json_util.hpp"

namespace shelfsync {

namespace json = boost::json;

std::string member_path(std::string_view parent, std::string_view key) {
  std::string path(parent);
  if (!path.empty()) path += '.';
  path += key;
  return path;
}

std::string element_path(std::string_view parent, std::size_t index) {
  std::string path(parent);
  path += '[';
  path += std::to_string(index);
  path += ']';
  return path;
}

bool read_string(const json::value& v, const std::string& path, std::size_t min_len, std::size_t max_len,
                 Errors& errors, std::string& out) {
  if (!v.is_string()) {
    errors.add(path, "must be a string");
    return false;
  }
  const json::string& s = v.get_string();
  const std::size_t len = utf8_length(std::string_view(s.data(), s.size()));
  if (len < min_len) {
    errors.add(path,
               min_len == 1 ? "must not be empty" : "must be at least " + std::to_string(min_len) + " characters");
    return false;
  }
  if (len > max_len) {
    errors.add(path, "must be at most " + std::to_string(max_len) + " characters");
    return false;
  }
  out.assign(s.data(), s.size());
  return true;
}

bool read_int(const json::value& v, const std::string& path, std::int64_t min, std::int64_t max, Errors& errors,
              std::int64_t& out) {
  std::int64_t n = 0;
  bool in_int64 = true;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64()) {
    in_int64 = false;  // above INT64_MAX: too large for any range we accept
  } else if (v.is_double()) {
    // 2^53: beyond it a double no longer holds every integer exactly.
    constexpr double kExact = 9007199254740992.0;
    const double d = v.get_double();
    if (!std::isfinite(d) || std::trunc(d) != d) {
      errors.add(path, "must be an integer");
      return false;
    }
    if (std::fabs(d) > kExact) {
      in_int64 = false;
    } else {
      n = static_cast<std::int64_t>(d);
    }
  } else {
    errors.add(path, "must be an integer");
    return false;
  }
  if (!in_int64 || n > max) {
    errors.add(path, "must be at most " + std::to_string(max));
    return false;
  }
  if (n < min) {
    errors.add(path, "must be at least " + std::to_string(min));
    return false;
  }
  out = n;
  return true;
}

bool read_bool(const json::value& v, const std::string& path, Errors& errors, bool& out) {
  if (!v.is_bool()) {
    errors.add(path, "must be a boolean");
    return false;
  }
  out = v.get_bool();
  return true;
}

bool read_id(const json::value& v, const std::string& path, Errors& errors, std::string& out) {
  if (!v.is_string()) {
    errors.add(path, "must be a string");
    return false;
  }
  const std::string_view s(v.get_string().data(), v.get_string().size());
  if (!is_valid_id(s)) {
    errors.add(path, "must be a valid id (1-64 of A-Z a-z 0-9 _ -)");
    return false;
  }
  out.assign(s);
  return true;
}

bool read_time(const json::value& v, const std::string& path, Errors& errors, Millis& out) {
  if (!v.is_string()) {
    errors.add(path, "must be a string");
    return false;
  }
  const auto t = parse_rfc3339(std::string_view(v.get_string().data(), v.get_string().size()));
  if (!t) {
    errors.add(path, "must be an RFC 3339 timestamp, e.g. 2026-01-31T09:00:00Z");
    return false;
  }
  out = *t;
  return true;
}

const json::value* MemberReader::find(std::string_view key) const {
  const json::value* v = obj_.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}

bool MemberReader::string(std::string_view key, std::size_t min_len, std::size_t max_len, std::string& out) {
  const json::value* v = find(key);
  return v && read_string(*v, path(key), min_len, max_len, errors_, out);
}

bool MemberReader::integer(std::string_view key, std::int64_t min, std::int64_t max, std::int64_t& out) {
  const json::value* v = find(key);
  return v && read_int(*v, path(key), min, max, errors_, out);
}

bool MemberReader::integer(std::string_view key, std::int64_t min, std::int64_t max, std::optional<std::int64_t>& out) {
  std::int64_t n = 0;
  if (!integer(key, min, max, n)) return false;
  out = n;
  return true;
}

bool MemberReader::boolean(std::string_view key, bool& out) {
  const json::value* v = find(key);
  return v && read_bool(*v, path(key), errors_, out);
}

bool MemberReader::id(std::string_view key, std::optional<std::string>& out) {
  const json::value* v = find(key);
  std::string s;
  if (!v || !read_id(*v, path(key), errors_, s)) return false;
  out = std::move(s);
  return true;
}

bool MemberReader::time(std::string_view key, std::optional<Millis>& out) {
  const json::value* v = find(key);
  Millis t = 0;
  if (!v || !read_time(*v, path(key), errors_, t)) return false;
  out = t;
  return true;
}

bool MemberReader::one_of(std::string_view key, std::span<const std::string_view> names, std::size_t& out) {
  const json::value* v = find(key);
  if (!v) return false;
  if (!v->is_string()) {
    errors_.add(path(key), "must be a string");
    return false;
  }
  const std::string_view s(v->get_string().data(), v->get_string().size());
  const auto it = std::find(names.begin(), names.end(), s);
  if (it == names.end()) {
    std::string msg = "must be one of: ";
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i) msg += ", ";
      msg += names[i];
    }
    errors_.add(path(key), std::move(msg));
    return false;
  }
  out = static_cast<std::size_t>(it - names.begin());
  return true;
}

const json::array* MemberReader::array(std::string_view key, std::size_t max_items) {
  const json::value* v = find(key);
  if (!v) return nullptr;
  if (!v->is_array()) {
    errors_.add(path(key), "must be an array");
    return nullptr;
  }
  if (v->get_array().size() > max_items) {
    errors_.add(path(key), "must have at most " + std::to_string(max_items) + " items");
    return nullptr;
  }
  return &v->get_array();
}

const json::object* MemberReader::object(std::string_view key) {
  const json::value* v = find(key);
  if (!v) return nullptr;
  if (!v->is_object()) {
    errors_.add(path(key), "must be an object");
    return nullptr;
  }
  return &v->get_object();
}

bool MemberReader::require(std::string_view key) {
  if (has(key)) return true;
  errors_.add(path(key), "required");
  return false;
}

void MemberReader::reject_unknown(std::initializer_list<std::string_view> known,
                                  std::initializer_list<std::string_view> ignored) const {
  auto listed = [](std::initializer_list<std::string_view> names, std::string_view key) {
    return std::find(names.begin(), names.end(), key) != names.end();
  };
  for (const auto& member : obj_) {
    const std::string_view key(member.key().data(), member.key().size());
    if (!listed(known, key) && !listed(ignored, key)) errors_.add(path(key), "unknown field");
  }
}

}  // namespace shelfsync
