// Image uploads (POST /api/images): the bytes as a client sends them go
// through sniff_image, the gate that decides whether a file is a PNG, JPEG,
// GIF or WebP at all. Checks: what it accepts has sides in bounds and a
// known type with its own extension, and judging the same bytes twice
// gives the same answer.

#include "domain/image_sniff.hpp"

#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"

using namespace shelfsync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto info = sniff_image(bytes);
  if (!info) return 0;
  FUZZ_CHECK(info->width >= 1 && info->width <= kMaxImageSide);
  FUZZ_CHECK(info->height >= 1 && info->height <= kMaxImageSide);
  const bool known = (info->mime == "image/png" && info->extension == "png") ||
                     (info->mime == "image/jpeg" && info->extension == "jpg") ||
                     (info->mime == "image/gif" && info->extension == "gif") ||
                     (info->mime == "image/webp" && info->extension == "webp");
  FUZZ_CHECK(known);
  const auto again = sniff_image(bytes);
  FUZZ_CHECK(again && again->mime == info->mime && again->width == info->width && again->height == info->height);
  return 0;
}
