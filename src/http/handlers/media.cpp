// GET /media/{tenant}/{file}: uploaded and demo images. No token: <img> tags
// can't send one, and file names are unguessable (over 100 random bits).

#include "catalog/media_files.hpp"
#include "domain/ids.hpp"
#include "http/api.hpp"
#include "http/problem_response.hpp"

namespace shelfsync {
namespace {

bool valid_file_name(std::string_view f) {
  const auto dot = f.rfind('.');
  return dot != std::string_view::npos && dot > 0 && is_valid_id(f.substr(0, dot)) && !media_content_type(f).empty();
}

Response serve(Request& req, ApiContext& ctx) {
  const auto& tenant = req.params[0];
  const auto& file = req.params[1];
  if (!is_valid_id(tenant) || !valid_file_name(file)) return problem_response(Problem::not_found("no such media file"));
  auto bytes = read_media_file(ctx.media_dir, tenant, file);
  if (!bytes) return problem_response(Problem::not_found("no such media file"));
  Response r;
  r.body = std::move(*bytes);
  r.set_header("Content-Type", std::string(media_content_type(file)));
  // A file name is never reused for other bytes.
  r.set_header("Cache-Control", "public, max-age=31536000, immutable");
  r.set_header("X-Content-Type-Options", "nosniff");
  r.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  return r;
}

}  // namespace

void add_media_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/media/{tenant}/{file}", [&ctx](Request& r) { return serve(r, ctx); });
}

}  // namespace shelfsync
