#include "domain/image_url.hpp"

#include <algorithm>

#include "domain/ids.hpp"

namespace shelfsync {
namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// A host name, IPv4 or bracketed IPv6 address, with an optional port; no
// user info (`user@host` hides the real host from a reader).
bool valid_host(std::string_view host) {
  if (host.empty()) return false;
  return std::all_of(host.begin(), host.end(),
                     [](char c) { return is_alnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']'; });
}

// "/media/<tenant id>/<file name>", as media_url() makes them.
bool own_media_path(std::string_view url) {
  constexpr std::string_view kPrefix = "/media/";
  if (!url.starts_with(kPrefix)) return false;
  url.remove_prefix(kPrefix.size());
  const auto slash = url.find('/');
  if (slash == std::string_view::npos || !is_valid_id(url.substr(0, slash))) return false;
  const auto file = url.substr(slash + 1);
  return !file.empty() && file.front() != '.' &&
         std::all_of(file.begin(), file.end(), [](char c) { return is_alnum(c) || c == '_' || c == '-' || c == '.'; });
}

}  // namespace

std::optional<std::string> image_url_problem(std::string_view url) {
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '\\')
      return "must not contain spaces, control characters or backslashes";
  if (url.starts_with("/")) {
    if (own_media_path(url)) return std::nullopt;
    return "must be an https: or http: URL, or this server's /media/<tenant>/<file> path";
  }
  std::string_view rest;
  if (starts_with_nocase(url, "https://"))
    rest = url.substr(8);
  else if (starts_with_nocase(url, "http://"))
    rest = url.substr(7);
  else
    return "must be an https: or http: URL (other schemes such as javascript:, data: or file: "
           "are refused), or this server's /media/<tenant>/<file> path";
  if (!valid_host(rest.substr(0, rest.find_first_of("/?#"))))
    return "must name a host (no user info), e.g. https://cdn.example.com/photo.jpg";
  return std::nullopt;
}

}  // namespace shelfsync
