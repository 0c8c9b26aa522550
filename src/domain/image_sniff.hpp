#pragma once
// Recognises an uploaded image by its bytes, never by a client-given name or
// Content-Type. Only raster formats a browser shows inertly are accepted:
// PNG, JPEG, GIF and WebP. SVG (and anything else) is refused because it can
// carry script.
//
// The container structure is walked end to end (PNG chunks to IEND, JPEG
// segments and scans to EOI, GIF blocks to the trailer, WebP RIFF chunks), so
// a truncated upload is refused too. Pixel data and checksums are not
// decoded: this is a gate, not a decoder. Every read is bounds-checked.

#include <optional>
#include <string>
#include <string_view>

namespace shelfsync {

inline constexpr int kMaxImageSide = 65535;

struct ImageInfo {
  std::string mime;       // "image/png", "image/jpeg", "image/gif", "image/webp"
  std::string extension;  // "png", "jpg", "gif", "webp" (no dot)
  int width = 0;          // 1..kMaxImageSide
  int height = 0;         // 1..kMaxImageSide
};

// nullopt unless `bytes` is a complete, structurally valid image of one of
// the four formats with both sides in 1..kMaxImageSide.
std::optional<ImageInfo> sniff_image(std::string_view bytes);

}  // namespace shelfsync
