#pragma once
// The page files (web/ and the JavaScript client) compiled into the binary.
// The table is generated at build time (cmake/embed_assets.cmake); only the
// pages handler includes this header.

#include <span>
#include <string_view>

namespace shelfsync {

struct WebAsset {
  std::string_view name;  // "web/admin/index.html", "client/index.js"
  std::string_view data;
  std::string_view etag;  // quoted, from the file's SHA-256
};

std::span<const WebAsset> web_assets();

}  // namespace shelfsync
