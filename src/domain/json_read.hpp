#pragma once
// Member readers shared by the typed codecs (products, catalog records). Each
// reads one member, adds a FieldError under its JSON path when the member is
// wrong and then leaves the output untouched, so a decoder keeps going and
// reports every bad field at once. An absent member and a JSON null are the
// same: null is how a merge patch removes a member, which then takes its
// default (or is reported "required").

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "domain/problem.hpp"
#include "domain/time.hpp"

namespace shelfsync {

// "sale" + "kind" -> "sale.kind"; "" + "title" -> "title".
std::string member_path(std::string_view parent, std::string_view key);
// "variants" + 2 -> "variants[2]".
std::string element_path(std::string_view parent, std::size_t index);

// Value readers: false (with an error at `path`) on a wrong type or range.
// Lengths are in code points.
bool read_string(const boost::json::value& v, const std::string& path, std::size_t min_len, std::size_t max_len,
                 Errors& errors, std::string& out);
// Accepts JSON integers, and doubles with an exact integral value (what some
// clients send for 10); 10.5 is "must be an integer".
bool read_int(const boost::json::value& v, const std::string& path, std::int64_t min, std::int64_t max, Errors& errors,
              std::int64_t& out);
bool read_bool(const boost::json::value& v, const std::string& path, Errors& errors, bool& out);
bool read_id(const boost::json::value& v, const std::string& path, Errors& errors, std::string& out);
bool read_time(const boost::json::value& v, const std::string& path, Errors& errors, Millis& out);

// Reads the members of one JSON object found at `prefix`.
class MemberReader {
 public:
  MemberReader(const boost::json::object& obj, std::string prefix, Errors& errors)
      : obj_(obj), prefix_(std::move(prefix)), errors_(errors) {}

  const boost::json::object& object() const { return obj_; }
  Errors& errors() const { return errors_; }
  std::string path(std::string_view key) const { return member_path(prefix_, key); }
  // Null when absent or JSON null.
  const boost::json::value* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }

  // Each returns true when a valid value was read into `out`; an absent
  // member leaves `out` (its default) alone and returns false.
  bool string(std::string_view key, std::size_t min_len, std::size_t max_len, std::string& out);
  bool integer(std::string_view key, std::int64_t min, std::int64_t max, std::int64_t& out);
  bool integer(std::string_view key, std::int64_t min, std::int64_t max, std::optional<std::int64_t>& out);
  bool boolean(std::string_view key, bool& out);
  bool id(std::string_view key, std::optional<std::string>& out);
  bool time(std::string_view key, std::optional<Millis>& out);
  // A string that must be one of `names`; `out` is its index.
  bool one_of(std::string_view key, std::span<const std::string_view> names, std::size_t& out);
  // Null (with an error) when present but not an array / object, or too long.
  const boost::json::array* array(std::string_view key, std::size_t max_items);
  const boost::json::object* object(std::string_view key);

  // Adds "required" when the member is absent; returns whether it is present.
  bool require(std::string_view key);
  // Adds "unknown field" for every member named neither in `known` nor in
  // `ignored` (system and computed fields a client may echo back).
  void reject_unknown(std::initializer_list<std::string_view> known,
                      std::initializer_list<std::string_view> ignored = {}) const;

 private:
  const boost::json::object& obj_;
  std::string prefix_;
  Errors& errors_;
};

}  // namespace shelfsync
