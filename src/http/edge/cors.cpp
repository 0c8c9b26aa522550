#include "http/edge/cors.hpp"

#include <algorithm>
#include <stdexcept>

namespace shelfsync {

namespace {

constexpr const char* kAllowMethods = "GET, POST, PUT, PATCH, DELETE";
constexpr const char* kAllowHeaders =
    "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, X-Client-Id, "
    "Last-Event-ID";
// What a browser page may read: caching, created ids, back-off, and whether
// an idempotent POST was answered from its kept answer.
constexpr const char* kExposeHeaders = "ETag, Location, Retry-After, Idempotent-Replayed";
constexpr const char* kMaxAge = "600";

bool valid_origin(std::string_view o) {
  const auto sep = o.find("://");
  if (sep == std::string_view::npos) return false;
  const auto scheme = o.substr(0, sep);
  if (scheme != "http" && scheme != "https") return false;
  const auto host = o.substr(sep + 3);
  if (host.empty() || host.size() > 253) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
  });
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> origins) {
  for (auto& o : origins) {
    if (o == "*") {
      any_ = true;
      continue;
    }
    while (o.ends_with('/')) o.pop_back();
    if (!valid_origin(o)) throw std::invalid_argument("--cors-origin '" + o + "' is not scheme://host[:port] or *");
    origins_.push_back(std::move(o));
  }
}

bool CorsPolicy::allows(std::string_view origin) const {
  if (origin.empty() || origin == "null") return false;
  return any_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

std::vector<std::pair<std::string, std::string>> CorsPolicy::answer_headers(std::string_view origin) const {
  if (!allows(origin)) return {};
  return {{"Access-Control-Allow-Origin", std::string(origin)},
          {"Vary", "Origin"},
          {"Access-Control-Expose-Headers", kExposeHeaders}};
}

std::optional<std::vector<std::pair<std::string, std::string>>> CorsPolicy::preflight_headers(
    std::string_view origin) const {
  if (!allows(origin)) return std::nullopt;
  return std::vector<std::pair<std::string, std::string>>{{"Access-Control-Allow-Origin", std::string(origin)},
                                                          {"Vary", "Origin"},
                                                          {"Access-Control-Allow-Methods", kAllowMethods},
                                                          {"Access-Control-Allow-Headers", kAllowHeaders},
                                                          {"Access-Control-Max-Age", kMaxAge}};
}

}  // namespace shelfsync
