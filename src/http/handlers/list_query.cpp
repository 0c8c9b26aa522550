#include "http/handlers/list_query.hpp"

#include <algorithm>
#include <cctype>

#include "domain/ids.hpp"
#include "http/page_token.hpp"

namespace shelfsync {
namespace {

Problem bad_query(std::string detail) { return Problem::of(ErrorCode::bad_query, std::move(detail)); }

}  // namespace

Result<ListRequest> parse_list_query(const Request& req, const Collection& c) {
  ListRequest out;
  const auto fields = c.filter_fields();
  for (const auto& [key, value] : req.query) {
    if (key == "access_token") continue;
    if (key == "limit") {
      std::size_t n = 0;
      if (value.empty() || value.size() > 4) return bad_query("limit must be an integer 1–1000");
      for (char ch : value) {
        if (ch < '0' || ch > '9') return bad_query("limit must be an integer 1–1000");
        n = n * 10 + static_cast<std::size_t>(ch - '0');
      }
      if (n < 1 || n > kMaxListLimit) return bad_query("limit must be an integer 1–1000");
      out.limit = n;
    } else if (key == "after") {
      auto id = decode_page_token(value);
      if (!id) return Problem::of(ErrorCode::bad_cursor, "'after' is not a page token from this API");
      out.after_id = std::move(*id);
    } else if (key == "q") {
      if (c.name() != "products") return bad_query("q (text search) is supported on products only");
      if (value.size() > kMaxSearchLength) return bad_query("q is longer than 200 characters");
      std::string lower = value;
      for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      out.q = std::move(lower);
    } else if (std::find(fields.begin(), fields.end(), key) != fields.end()) {
      if (value.empty() || value.size() > 200) return bad_query("filter " + key + " needs a value of 1–200 characters");
      if (key.ends_with("_id") && !is_valid_id(value)) return bad_query("filter " + key + " is not a valid id");
      if (const auto values = c.filter_values(key);
          !values.empty() && std::find(values.begin(), values.end(), value) == values.end()) {
        std::string allowed;
        for (auto v : values) allowed += (allowed.empty() ? "" : ", ") + std::string(v);
        return bad_query("filter " + key + " must be one of " + allowed + " (got '" + value.substr(0, 60) + "')");
      }
      std::string v = value;
      if (key == "email")
        for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      out.filters.emplace_back(key, std::move(v));
    } else {
      std::string allowed = "limit, after";
      if (c.name() == "products") allowed += ", q";
      for (auto f : fields) allowed += ", " + std::string(f);
      return bad_query("unknown query parameter '" + key.substr(0, 60) + "' (allowed: " + allowed + ")");
    }
  }
  return out;
}

}  // namespace shelfsync
