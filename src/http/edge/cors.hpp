#pragma once
// Cross-origin access for browsers on other origins (SPEC §4): `serve
// --cors-origin ORIGIN` (repeatable; "*" for any) lists the origins whose
// pages may call the REST API and follow SSE streams. None by default.
// Tokens travel in headers, never cookies, so credentials are not allowed.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shelfsync {

class CorsPolicy {
 public:
  CorsPolicy() = default;
  // Throws std::invalid_argument for an origin that is not
  // scheme://host[:port] (or "*").
  explicit CorsPolicy(std::vector<std::string> origins);

  bool allows(std::string_view origin) const;

  // The headers for an answer to a request sent with `origin`: none when
  // the origin is absent or not listed.
  std::vector<std::pair<std::string, std::string>> answer_headers(std::string_view origin) const;

  // A preflight (OPTIONS with Access-Control-Request-Method): the headers of
  // its 204, or nullopt if the origin is not listed (answer 403).
  std::optional<std::vector<std::pair<std::string, std::string>>> preflight_headers(std::string_view origin) const;

 private:
  std::vector<std::string> origins_;
  bool any_ = false;
};

}  // namespace shelfsync
