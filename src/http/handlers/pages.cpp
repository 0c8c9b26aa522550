// The five web pages and their files, compiled into the binary
// (http/web_assets.hpp): GET /admin, /shop, /pos, /dashboard, /portal answer the
// page's index.html; GET /assets/<path> a file under web/;
// GET /assets/client/<path> a file of the JavaScript client. Pages need no
// token to load: each reads its key from `?key=` or asks for one.

#include <string>
#include <string_view>
#include <unordered_map>

#include "http/api.hpp"
#include "http/problem_response.hpp"
#include "http/web_assets.hpp"

namespace shelfsync {
namespace {

const WebAsset* find_asset(std::string_view name) {
  static const auto index = [] {
    std::unordered_map<std::string_view, const WebAsset*> m;
    for (const auto& a : web_assets()) m.emplace(a.name, &a);
    return m;
  }();
  const auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

std::string_view content_type(std::string_view name) {
  const auto dot = name.rfind('.');
  const auto ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "wav") return "audio/wav";
  if (ext == "mp3") return "audio/mpeg";
  if (ext == "woff2") return "font/woff2";
  return "application/octet-stream";
}

// Names reach the table only as "web/..." or "client/...", so no path can
// leave it; dot segments and odd characters are refused all the same.
bool safe_path(std::string_view path) {
  if (path.empty() || path.size() > 512) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const auto seg = path.substr(start, end - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    start = end + 1;
  }
  for (unsigned char c : path)
    if (c < 0x20 || c == '\\' || c == 0x7f) return false;
  return true;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  return if_none_match == "*" || if_none_match.find(etag) != std::string_view::npos;
}

Response serve_asset(const Request& req, std::string_view name) {
  const auto* asset = find_asset(name);
  if (!asset) return problem_response(Problem::not_found("no such file: " + req.path));
  Response r;
  r.set_header("ETag", std::string(asset->etag));
  // Always revalidate: an unchanged file costs a 304, a new build shows at once.
  r.set_header("Cache-Control", "no-cache");
  r.set_header("X-Content-Type-Options", "nosniff");
  if (etag_matches(req.header("if-none-match"), asset->etag)) {
    r.status = 304;
    return r;
  }
  r.set_header("Content-Type", std::string(content_type(name)));
  if (name.ends_with(".html")) {
    // The key travels in the page's URL: never hand it on as a referrer.
    r.set_header("Referrer-Policy", "no-referrer");
    r.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src * data: blob:; media-src 'self' data: blob:; "
                 "connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; "
                 "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  }
  r.body = std::string(asset->data);
  return r;
}

Response serve_path(const Request& req, std::string_view path) {
  if (!safe_path(path)) return problem_response(Problem::not_found("no such file: " + req.path));
  if (path.starts_with("client/")) return serve_asset(req, path);
  return serve_asset(req, "web/" + std::string(path));
}

}  // namespace

void add_page_routes(Router& router, ApiContext&) {
  for (const char* page : {"admin", "shop", "pos", "dashboard", "portal"}) {
    const std::string name = std::string("web/") + page + "/index.html";
    router.add("GET", std::string("/") + page, [name](Request& r) { return serve_asset(r, name); });
  }
  router.add("GET", "/assets/{*}", [](Request& r) { return serve_path(r, r.params.back()); });
  // Browsers ask for it whatever the page says.
  router.add("GET", "/favicon.ico", [](Request& r) { return serve_asset(r, "web/common/favicon.svg"); });
}

}  // namespace shelfsync
