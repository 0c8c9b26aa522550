#pragma once
// Which URLs a product image may name (SPEC §4): an absolute `https:` or
// `http:` URL with a host, or the server's own media path
// `/media/<tenant>/<file>`. Anything else — `javascript:`, `data:`, `file:`,
// scheme-relative `//host`, relative paths — could run script or reach
// local files in every page that shows the image.

#include <optional>
#include <string>
#include <string_view>

namespace shelfsync {

// Why `url` is refused, or nullopt if it is acceptable.
std::optional<std::string> image_url_problem(std::string_view url);

}  // namespace shelfsync
