#include "domain/image_sniff.hpp"

#include <cstddef>
#include <cstdint>

namespace shelfsync {
namespace {

// Bounds-checked little/big-endian reads. A read past the end yields 0 and
// makes ok() false for good, so a parser may read a whole header and check
// once before trusting any of it.
class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}

  bool ok() const { return ok_; }
  bool has(std::size_t pos, std::size_t n) const { return pos <= b_.size() && n <= b_.size() - pos; }
  std::uint32_t u8(std::size_t pos) { return check(pos, 1) ? byte(pos) : 0; }
  std::uint32_t be16(std::size_t pos) { return check(pos, 2) ? byte(pos) << 8 | byte(pos + 1) : 0; }
  std::uint32_t be32(std::size_t pos) {
    return check(pos, 4) ? byte(pos) << 24 | byte(pos + 1) << 16 | byte(pos + 2) << 8 | byte(pos + 3) : 0;
  }
  std::uint32_t le16(std::size_t pos) { return check(pos, 2) ? byte(pos) | byte(pos + 1) << 8 : 0; }
  std::uint32_t le24(std::size_t pos) {
    return check(pos, 3) ? byte(pos) | byte(pos + 1) << 8 | byte(pos + 2) << 16 : 0;
  }
  std::uint32_t le32(std::size_t pos) {
    return check(pos, 4) ? byte(pos) | byte(pos + 1) << 8 | byte(pos + 2) << 16 | byte(pos + 3) << 24 : 0;
  }
  std::string_view slice(std::size_t pos, std::size_t n) {
    return check(pos, n) ? b_.substr(pos, n) : std::string_view();
  }
  std::size_t find_ff(std::size_t from) const {
    return from < b_.size() ? b_.find('\xFF', from) : std::string_view::npos;
  }

 private:
  bool check(std::size_t pos, std::size_t n) {
    if (!has(pos, n)) ok_ = false;
    return ok_;
  }
  std::uint32_t byte(std::size_t pos) const { return static_cast<unsigned char>(b_[pos]); }

  std::string_view b_;
  bool ok_ = true;
};

std::optional<ImageInfo> make_info(const char* mime, const char* ext, std::uint32_t w, std::uint32_t h) {
  if (w < 1 || h < 1 || w > kMaxImageSide || h > kMaxImageSide) return std::nullopt;
  return ImageInfo{mime, ext, static_cast<int>(w), static_cast<int>(h)};
}

// ---- PNG: signature, IHDR first, chunks up to IEND (with its CRC). ----

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);

bool valid_png_depth(std::uint32_t color, std::uint32_t depth) {
  switch (color) {
    case 0:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
      return depth == 8 || depth == 16;
    default:
      return false;
  }
}

bool is_chunk_type(std::string_view t) {
  if (t.size() != 4) return false;
  for (char c : t) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

std::optional<ImageInfo> sniff_png(Reader& r) {
  std::size_t pos = kPngSignature.size();
  std::uint32_t width = 0, height = 0;
  bool seen_idat = false;
  for (bool first = true;; first = false) {
    const std::uint32_t len = r.be32(pos);
    const std::string_view type = r.slice(pos + 4, 4);
    // Lengths are capped at 2^31-1 by the spec; data and CRC must be present.
    if (!r.ok() || len > 0x7FFFFFFFu || !is_chunk_type(type) || !r.has(pos + 8, len + 4u)) return std::nullopt;
    const std::size_t data = pos + 8;
    if (first) {
      if (type != "IHDR" || len != 13) return std::nullopt;
      width = r.be32(data);
      height = r.be32(data + 4);
      const std::uint32_t depth = r.u8(data + 8), color = r.u8(data + 9);
      if (!valid_png_depth(color, depth) || r.u8(data + 10) != 0 || r.u8(data + 11) != 0 || r.u8(data + 12) > 1)
        return std::nullopt;
    } else if (type == "IHDR") {
      return std::nullopt;
    } else if (type == "IDAT") {
      seen_idat = true;
    } else if (type == "IEND") {
      if (len != 0 || !seen_idat) return std::nullopt;
      break;
    }
    pos = data + len + 4;
  }
  return make_info("image/png", "png", width, height);
}

// ---- JPEG: segments from SOI; the first SOFn gives the size; scans are
// skipped by looking for the next real marker; EOI ends the image. ----

bool is_sof(std::uint32_t m) {
  // C4 (DHT), C8 (JPG extension) and CC (DAC) share the range but are not frames.
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

bool is_rst(std::uint32_t m) { return m >= 0xD0 && m <= 0xD7; }

// Position of the 0xFF that starts the marker ending an entropy-coded scan,
// or npos if the data runs out first. FF00 is a stuffed byte, FFD0..FFD7 are
// restart markers inside the scan, and repeated FFs are fill.
std::size_t skip_entropy(Reader& r, std::size_t pos) {
  while (true) {
    pos = r.find_ff(pos);
    if (pos == std::string_view::npos || !r.has(pos, 2)) return std::string_view::npos;
    const std::uint32_t next = r.u8(pos + 1);
    if (next == 0xFF) {
      pos += 1;
    } else if (next == 0x00 || is_rst(next)) {
      pos += 2;
    } else {
      return pos;
    }
  }
}

std::optional<ImageInfo> sniff_jpeg(Reader& r) {
  std::size_t pos = 2;  // after SOI
  std::uint32_t width = 0, height = 0;
  bool seen_sof = false, seen_scan = false;
  while (true) {
    if (r.u8(pos) != 0xFF) return std::nullopt;
    while (r.ok() && r.u8(pos) == 0xFF) ++pos;  // fill bytes before a marker
    const std::uint32_t marker = r.u8(pos++);
    if (!r.ok()) return std::nullopt;
    if (marker == 0xD9) break;                                  // EOI
    if (marker == 0x01 || is_rst(marker)) continue;             // standalone, no length
    if (marker == 0x00 || marker == 0xD8) return std::nullopt;  // stuffing/second SOI: corrupt
    const std::uint32_t len = r.be16(pos);
    if (!r.ok() || len < 2 || !r.has(pos, len)) return std::nullopt;
    const std::size_t seg = pos + 2;
    if (is_sof(marker) && !seen_sof) {
      const std::uint32_t components = r.u8(seg + 5);
      if (len < 8 || components == 0 || len != 8 + 3 * components) return std::nullopt;
      height = r.be16(seg + 1);
      width = r.be16(seg + 3);
      seen_sof = true;
    }
    pos += len;
    if (marker == 0xDA) {  // SOS: header, then entropy-coded data
      const std::uint32_t components = r.u8(seg);
      if (!seen_sof || components < 1 || components > 4 || len != 6 + 2 * components) return std::nullopt;
      pos = skip_entropy(r, pos);
      if (pos == std::string_view::npos) return std::nullopt;
      seen_scan = true;
    }
  }
  if (!seen_sof || !seen_scan) return std::nullopt;
  return make_info("image/jpeg", "jpg", width, height);
}

// ---- GIF: header, logical screen, then blocks up to the trailer. ----

std::size_t color_table_size(std::uint32_t flags) { return (flags & 0x80) ? std::size_t{3} << ((flags & 7) + 1) : 0; }

// Skips a chain of data sub-blocks (size byte, data) ended by a zero size.
// Returns npos if the chain runs off the buffer.
std::size_t skip_sub_blocks(Reader& r, std::size_t pos) {
  while (true) {
    const std::uint32_t n = r.u8(pos);
    if (!r.ok()) return std::string_view::npos;
    pos += 1 + n;
    if (n == 0) return pos;
  }
}

std::optional<ImageInfo> sniff_gif(Reader& r) {
  const std::uint32_t width = r.le16(6), height = r.le16(8), flags = r.u8(10);
  if (!r.ok()) return std::nullopt;
  std::size_t pos = 13 + color_table_size(flags);
  int images = 0;
  while (true) {
    const std::uint32_t block = r.u8(pos);
    if (!r.ok()) return std::nullopt;
    if (block == 0x3B) break;  // trailer
    if (block == 0x21) {       // extension: introducer, label, sub-blocks
      pos = skip_sub_blocks(r, pos + 2);
    } else if (block == 0x2C) {  // image descriptor (10 bytes), local table, LZW size, data
      const std::uint32_t local = r.u8(pos + 9);
      if (!r.ok()) return std::nullopt;
      pos += 10 + color_table_size(local);
      const std::uint32_t lzw_min = r.u8(pos);
      if (!r.ok() || lzw_min > 11) return std::nullopt;
      pos = skip_sub_blocks(r, pos + 1);
      ++images;
    } else {
      return std::nullopt;
    }
    if (pos == std::string_view::npos) return std::nullopt;
  }
  if (images == 0) return std::nullopt;
  return make_info("image/gif", "gif", width, height);
}

// ---- WebP: RIFF container; the first chunk (VP8, VP8L or VP8X) gives the
// size; every chunk must fit inside the RIFF size, which must fit the buffer.

bool vp8_size(Reader& r, std::size_t data, std::uint32_t csize, std::uint32_t& w, std::uint32_t& h) {
  if (csize < 10) return false;
  const std::uint32_t tag = r.le24(data);
  const bool keyframe = (tag & 1) == 0;
  const std::uint32_t version = (tag >> 1) & 7, first_partition = tag >> 5;
  if (!keyframe || version > 3 || first_partition > csize - 10) return false;
  if (r.u8(data + 3) != 0x9D || r.u8(data + 4) != 0x01 || r.u8(data + 5) != 0x2A) return false;
  w = r.le16(data + 6) & 0x3FFF;  // top two bits are upscaling hints
  h = r.le16(data + 8) & 0x3FFF;
  return r.ok();
}

bool vp8l_size(Reader& r, std::size_t data, std::uint32_t csize, std::uint32_t& w, std::uint32_t& h) {
  if (csize < 5 || r.u8(data) != 0x2F) return false;
  const std::uint32_t bits = r.le32(data + 1);
  if (bits >> 29 != 0) return false;  // version must be 0
  w = (bits & 0x3FFF) + 1;
  h = ((bits >> 14) & 0x3FFF) + 1;
  return r.ok();
}

bool vp8x_size(Reader& r, std::size_t data, std::uint32_t csize, std::uint32_t& w, std::uint32_t& h) {
  if (csize < 10) return false;
  w = r.le24(data + 4) + 1;
  h = r.le24(data + 7) + 1;
  return r.ok();
}

std::optional<ImageInfo> sniff_webp(Reader& r) {
  const std::uint32_t riff_size = r.le32(4);
  if (!r.ok() || riff_size < 4 + 8 || !r.has(8, riff_size)) return std::nullopt;
  const std::size_t end = std::size_t{8} + riff_size;
  std::size_t pos = 12;
  std::uint32_t width = 0, height = 0;
  bool has_frame = false;
  for (bool first = true; pos < end; first = false) {
    if (end - pos < 8) return std::nullopt;
    const std::string_view fourcc = r.slice(pos, 4);
    const std::uint32_t csize = r.le32(pos + 4);
    const std::size_t data = pos + 8;
    if (!r.ok() || csize > end - data) return std::nullopt;
    const bool vp8 = fourcc == "VP8 ", vp8l = fourcc == "VP8L";
    if (first) {
      bool sized = false;
      if (vp8) sized = vp8_size(r, data, csize, width, height);
      if (vp8l) sized = vp8l_size(r, data, csize, width, height);
      if (fourcc == "VP8X") sized = vp8x_size(r, data, csize, width, height);
      if (!sized) return std::nullopt;
    }
    if (vp8 || vp8l || fourcc == "ANMF") has_frame = true;
    pos = data + csize + (csize & 1);  // chunks are padded to even sizes
  }
  // A missing final pad byte is tolerated (the loop ends at end + 1). An
  // extended file must still carry a frame (VP8, VP8L or an animation frame).
  if (!has_frame) return std::nullopt;
  return make_info("image/webp", "webp", width, height);
}

bool starts_with(std::string_view b, std::string_view prefix) { return b.substr(0, prefix.size()) == prefix; }

}  // namespace

std::optional<ImageInfo> sniff_image(std::string_view bytes) {
  Reader r(bytes);
  if (starts_with(bytes, kPngSignature)) return sniff_png(r);
  if (starts_with(bytes, "\xFF\xD8\xFF")) return sniff_jpeg(r);
  if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) return sniff_gif(r);
  if (starts_with(bytes, "RIFF") && bytes.size() >= 12 && bytes.substr(8, 4) == "WEBP") return sniff_webp(r);
  return std::nullopt;
}

}  // namespace shelfsync
