#include "domain/image_sniff.hpp"

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

// ---- byte builders ----

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}
std::string be16(std::uint32_t v) { return {static_cast<char>(v >> 8), static_cast<char>(v)}; }
std::string le16(std::uint32_t v) { return {static_cast<char>(v), static_cast<char>(v >> 8)}; }
std::string le24(std::uint32_t v) {
  return {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16)};
}
std::string le32(std::uint32_t v) { return le16(v & 0xFFFF) + le16(v >> 16); }
std::string bytes(std::initializer_list<int> list) {
  std::string s;
  for (int b : list) s += static_cast<char>(b);
  return s;
}

std::uint32_t crc32(std::string_view data) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
  }
  return ~c;
}

std::string png_chunk(std::string_view type, std::string_view data) {
  std::string body = std::string(type) + std::string(data);
  return be32(static_cast<std::uint32_t>(data.size())) + body + be32(crc32(body));
}

std::string png_ihdr(std::uint32_t w, std::uint32_t h, int depth = 8, int color = 2) {
  return png_chunk("IHDR", be32(w) + be32(h) + bytes({depth, color, 0, 0, 0}));
}

std::string make_png(std::uint32_t w, std::uint32_t h, int depth = 8, int color = 2) {
  return std::string("\x89PNG\r\n\x1a\n", 8) + png_ihdr(w, h, depth, color) +
         png_chunk("tEXt", std::string("Comment\0hi", 10)) +
         png_chunk("IDAT", bytes({0x78, 0x9C, 0x63, 0x60, 0x00, 0x00})) + png_chunk("IEND", "");
}

std::string jpeg_segment(int marker, std::string_view payload) {
  return bytes({0xFF, marker}) + be16(static_cast<std::uint32_t>(payload.size() + 2)) + std::string(payload);
}

std::string jpeg_sof(int marker, std::uint32_t w, std::uint32_t h) {
  return jpeg_segment(marker, bytes({8}) + be16(h) + be16(w) + bytes({3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1}));
}

// A minimal DHT segment (one 1-bit code). Its marker C4 is inside the SOF range.
std::string jpeg_dht() {
  return jpeg_segment(0xC4, bytes({0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00}));
}

std::string jpeg_sos() { return jpeg_segment(0xDA, bytes({3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0})); }

// Entropy-coded bytes with a stuffed FF00 and a restart marker inside.
std::string jpeg_scan_data() { return bytes({0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0x78}); }

std::string make_jpeg(std::uint32_t w, std::uint32_t h, int sof = 0xC0) {
  return bytes({0xFF, 0xD8}) + jpeg_segment(0xE0, std::string("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 14)) +
         jpeg_segment(0xDB, std::string(65, '\x01')) + jpeg_dht() + jpeg_sof(sof, w, h) + jpeg_sos() +
         jpeg_scan_data() + bytes({0xFF, 0xD9});
}

std::string make_progressive_jpeg(std::uint32_t w, std::uint32_t h) {
  // Two scans with a table between them, as progressive encoders write.
  return bytes({0xFF, 0xD8}) + jpeg_sof(0xC2, w, h) + jpeg_dht() + jpeg_sos() + jpeg_scan_data() + jpeg_dht() +
         jpeg_sos() + jpeg_scan_data() + bytes({0xFF, 0xFF, 0xD9});
}

std::string gif_image(std::uint32_t w, std::uint32_t h) {
  return bytes({0x2C}) + le16(0) + le16(0) + le16(w) + le16(h) + bytes({0x00}) + bytes({0x02, 0x02, 0x44, 0x01, 0x00});
}

std::string make_gif(std::uint32_t w, std::uint32_t h, std::string_view version = "GIF89a") {
  return std::string(version) + le16(w) + le16(h) + bytes({0x80, 0, 0}) + bytes({0, 0, 0, 255, 255, 255}) +
         bytes({0x21, 0xF9, 0x04, 0, 0, 0, 0, 0}) + gif_image(w, h) + bytes({0x3B});
}

std::string riff_chunk(std::string_view fourcc, std::string_view data) {
  std::string c = std::string(fourcc) + le32(static_cast<std::uint32_t>(data.size())) + std::string(data);
  if (data.size() % 2) c += '\0';
  return c;
}

std::string riff_webp(std::string_view chunks) {
  return "RIFF" + le32(static_cast<std::uint32_t>(4 + chunks.size())) + "WEBP" + std::string(chunks);
}

std::string vp8_chunk(std::uint32_t w, std::uint32_t h, bool keyframe = true) {
  const std::uint32_t tag = (keyframe ? 0 : 1) | (1 << 4) | (3 << 5);  // show frame, part 3
  return riff_chunk("VP8 ", le24(tag) + bytes({0x9D, 0x01, 0x2A}) + le16(w) + le16(h) + bytes({0xAA, 0xBB, 0xCC}));
}

std::string make_webp_lossy(std::uint32_t w, std::uint32_t h) { return riff_webp(vp8_chunk(w, h)); }

std::string make_webp_lossless(std::uint32_t w, std::uint32_t h) {
  const std::uint32_t bits = (w - 1) | (h - 1) << 14 | 1u << 28;  // alpha hint, version 0
  return riff_webp(riff_chunk("VP8L", bytes({0x2F}) + le32(bits) + bytes({0x01, 0x02})));
}

std::string make_webp_extended(std::uint32_t w, std::uint32_t h) {
  const std::string vp8x = bytes({0x10, 0, 0, 0}) + le24(w - 1) + le24(h - 1);
  return riff_webp(riff_chunk("VP8X", vp8x) + riff_chunk("ALPH", bytes({0, 1, 2})) +
                   vp8_chunk(w > 16383 ? 16383 : w, h > 16383 ? 16383 : h));
}

void expect_image(const std::string& data, std::string_view mime, std::string_view ext, int w, int h) {
  const auto info = sniff_image(data);
  ASSERT_TRUE(info.has_value()) << mime << " " << w << "x" << h;
  EXPECT_EQ(info->mime, mime);
  EXPECT_EQ(info->extension, ext);
  EXPECT_EQ(info->width, w);
  EXPECT_EQ(info->height, h);
}

struct Sample {
  const char* name;
  std::string data;
};

std::vector<Sample> valid_samples() {
  return {{"png", make_png(640, 480)},
          {"png_palette", make_png(3, 5, 4, 3)},
          {"jpeg", make_jpeg(800, 600)},
          {"jpeg_progressive", make_progressive_jpeg(1024, 768)},
          {"gif87", make_gif(16, 9, "GIF87a")},
          {"gif89", make_gif(320, 200)},
          {"webp_lossy", make_webp_lossy(800, 800)},
          {"webp_lossless", make_webp_lossless(300, 150)},
          {"webp_extended", make_webp_extended(4000, 3000)}};
}

// A heap copy of exactly n bytes, so AddressSanitizer flags any read past it.
struct ExactBuffer {
  explicit ExactBuffer(std::string_view s) : n(s.size()), p(new char[s.size() ? s.size() : 1]) {
    std::copy(s.begin(), s.end(), p.get());
  }
  std::string_view view() const { return {p.get(), n}; }
  std::size_t n;
  std::unique_ptr<char[]> p;
};

// ---- recognised formats ----

TEST(ImageSniff, Png) {
  expect_image(make_png(640, 480), "image/png", "png", 640, 480);
  expect_image(make_png(1, 1, 16, 6), "image/png", "png", 1, 1);
  expect_image(make_png(65535, 65535, 1, 0), "image/png", "png", 65535, 65535);
  expect_image(make_png(640, 480) + "trailing junk", "image/png", "png", 640, 480);
}

TEST(ImageSniff, PngRejectsBadHeaders) {
  EXPECT_FALSE(sniff_image(make_png(0, 10)));
  EXPECT_FALSE(sniff_image(make_png(10, 0)));
  EXPECT_FALSE(sniff_image(make_png(65536, 10)));
  EXPECT_FALSE(sniff_image(make_png(0x80000000u, 10)));
  EXPECT_FALSE(sniff_image(make_png(10, 10, 3, 2)));   // bit depth 3 does not exist
  EXPECT_FALSE(sniff_image(make_png(10, 10, 16, 3)));  // palette cannot be 16-bit
  EXPECT_FALSE(sniff_image(make_png(10, 10, 8, 5)));   // no colour type 5
  const std::string sig("\x89PNG\r\n\x1a\n", 8);
  const std::string idat = png_chunk("IDAT", "x"), iend = png_chunk("IEND", "");
  // IHDR must come first, be 13 bytes, appear once; IDAT is required.
  EXPECT_FALSE(sniff_image(sig + idat + png_ihdr(4, 4) + iend));
  EXPECT_FALSE(sniff_image(sig + png_chunk("IHDR", be32(4) + be32(4) + bytes({8, 2, 0, 0})) + idat + iend));
  EXPECT_FALSE(sniff_image(sig + png_ihdr(4, 4) + png_ihdr(4, 4) + idat + iend));
  EXPECT_FALSE(sniff_image(sig + png_ihdr(4, 4) + iend));
  EXPECT_TRUE(sniff_image(sig + png_ihdr(4, 4) + idat + iend));
  // A chunk length beyond the buffer or past 2^31-1.
  EXPECT_FALSE(sniff_image(sig + png_ihdr(4, 4) + be32(0xFFFFFFF0u) + "IDAT" + iend));
  EXPECT_FALSE(sniff_image(sig + png_ihdr(4, 4) + be32(1000) + "IDAT" + iend));
  // A chunk type that is not four letters.
  EXPECT_FALSE(sniff_image(sig + png_ihdr(4, 4) + png_chunk("ID1T", "x") + idat + iend));
}

TEST(ImageSniff, Jpeg) {
  expect_image(make_jpeg(800, 600), "image/jpeg", "jpg", 800, 600);
  expect_image(make_jpeg(1, 65535, 0xC1), "image/jpeg", "jpg", 1, 65535);
  expect_image(make_progressive_jpeg(1024, 768), "image/jpeg", "jpg", 1024, 768);
  expect_image(make_jpeg(31, 17) + "junk after EOI", "image/jpeg", "jpg", 31, 17);
  for (int sof : {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
    expect_image(make_jpeg(12, 34, sof), "image/jpeg", "jpg", 12, 34);
}

TEST(ImageSniff, JpegSkipsNonFrameMarkersInSofRange) {
  // C4, C8 and CC sit among the SOF codes but are not frames: a JPG or DAC
  // segment before the real SOF must not be taken for it.
  const std::string fake = bytes({8, 0, 9, 0, 9, 1, 1, 0x11, 0});
  const std::string body =
      jpeg_segment(0xC8, fake) + jpeg_segment(0xCC, fake) + jpeg_sof(0xC0, 640, 360) + jpeg_sos() + jpeg_scan_data();
  expect_image(bytes({0xFF, 0xD8}) + body + bytes({0xFF, 0xD9}), "image/jpeg", "jpg", 640, 360);
  // Fill bytes before a marker are allowed.
  expect_image(bytes({0xFF, 0xD8, 0xFF, 0xFF}) + body + bytes({0xFF, 0xD9}), "image/jpeg", "jpg", 640, 360);
}

TEST(ImageSniff, JpegRejectsCorruptStructure) {
  const std::string soi = bytes({0xFF, 0xD8}), eoi = bytes({0xFF, 0xD9});
  const std::string sof = jpeg_sof(0xC0, 20, 10), scan = jpeg_sos() + jpeg_scan_data();
  EXPECT_TRUE(sniff_image(soi + sof + scan + eoi));
  EXPECT_FALSE(sniff_image(soi + sof + scan));                          // no EOI
  EXPECT_FALSE(sniff_image(soi + sof + eoi));                           // no scan
  EXPECT_FALSE(sniff_image(soi + scan + sof + scan + eoi));             // scan before frame
  EXPECT_FALSE(sniff_image(soi + jpeg_dht() + eoi));                    // no frame at all
  EXPECT_FALSE(sniff_image(soi + jpeg_sof(0xC0, 20, 0) + scan + eoi));  // height via DNL
  EXPECT_FALSE(sniff_image(soi + jpeg_sof(0xC0, 0, 10) + scan + eoi));
  EXPECT_FALSE(sniff_image(soi + "\x12" + sof + scan + eoi));                     // garbage between segments
  EXPECT_FALSE(sniff_image(soi + bytes({0xFF, 0xD8}) + sof + scan + eoi));        // second SOI
  EXPECT_FALSE(sniff_image(soi + bytes({0xFF, 0xC0, 0x00, 0x01}) + scan + eoi));  // length < 2
  EXPECT_FALSE(sniff_image(soi + bytes({0xFF, 0xE1, 0x40, 0x00}) + sof + scan + eoi));
  // SOF length not matching its component count.
  EXPECT_FALSE(sniff_image(soi + jpeg_segment(0xC0, bytes({8, 0, 10, 0, 20, 3, 1, 0x11, 0})) + scan + eoi));
  // SOS claiming more components than it carries.
  EXPECT_FALSE(sniff_image(soi + sof + jpeg_segment(0xDA, bytes({3, 1, 0, 0, 63, 0})) + jpeg_scan_data() + eoi));
}

TEST(ImageSniff, Gif) {
  expect_image(make_gif(320, 200), "image/gif", "gif", 320, 200);
  expect_image(make_gif(16, 9, "GIF87a"), "image/gif", "gif", 16, 9);
  expect_image(make_gif(65535, 1), "image/gif", "gif", 65535, 1);
  // No global colour table, a local one, an application extension.
  const std::string local =
      bytes({0x2C}) + le16(0) + le16(0) + le16(2) + le16(2) + bytes({0x80, 0, 0, 0, 1, 1, 1, 0x02, 0x01, 0x44, 0x00});
  const std::string app = bytes({0x21, 0xFF, 0x0B}) + "NETSCAPE2.0" + bytes({3, 1, 0, 0, 0});
  expect_image("GIF89a" + le16(2) + le16(2) + bytes({0, 0, 0}) + app + local + bytes({0x3B}), "image/gif", "gif", 2, 2);
}

TEST(ImageSniff, GifRejectsCorruptStructure) {
  const std::string head = "GIF89a" + le16(8) + le16(8) + bytes({0, 0, 0});
  EXPECT_TRUE(sniff_image(head + gif_image(8, 8) + bytes({0x3B})));
  EXPECT_FALSE(sniff_image(head + bytes({0x3B})));        // no image
  EXPECT_FALSE(sniff_image(head + gif_image(8, 8)));      // no trailer
  EXPECT_FALSE(sniff_image(head + bytes({0x99, 0x3B})));  // unknown block
  EXPECT_FALSE(sniff_image(make_gif(0, 8)));
  EXPECT_FALSE(sniff_image(make_gif(8, 0)));
  EXPECT_FALSE(sniff_image("GIF88a" + make_gif(8, 8).substr(6)));
  // A global colour table larger than the file.
  EXPECT_FALSE(sniff_image("GIF89a" + le16(8) + le16(8) + bytes({0x87, 0, 0, 0x3B})));
}

TEST(ImageSniff, WebP) {
  expect_image(make_webp_lossy(800, 800), "image/webp", "webp", 800, 800);
  expect_image(make_webp_lossy(16383, 1), "image/webp", "webp", 16383, 1);
  expect_image(make_webp_lossless(300, 150), "image/webp", "webp", 300, 150);
  expect_image(make_webp_lossless(16384, 16384), "image/webp", "webp", 16384, 16384);
  expect_image(make_webp_extended(4000, 3000), "image/webp", "webp", 4000, 3000);
  expect_image(make_webp_extended(65535, 2), "image/webp", "webp", 65535, 2);
  expect_image(make_webp_lossy(7, 5) + "trailing", "image/webp", "webp", 7, 5);
  // The VP8 size fields' top two bits are scaling hints, not size.
  expect_image(make_webp_lossy(0xC000 | 640, 0x4000 | 480), "image/webp", "webp", 640, 480);
}

TEST(ImageSniff, WebPRejectsCorruptStructure) {
  EXPECT_FALSE(sniff_image(make_webp_extended(65536, 2)));  // VP8X allows 2^24; we do not
  EXPECT_FALSE(sniff_image(make_webp_lossy(0, 5)));
  EXPECT_FALSE(sniff_image(riff_webp(vp8_chunk(8, 8, false))));  // interframe
  std::string bad_start = make_webp_lossy(8, 8);
  bad_start[23] = 0x00;  // start code 9D 01 2A
  EXPECT_FALSE(sniff_image(bad_start));
  std::string bad_sig = make_webp_lossless(8, 8);
  bad_sig[20] = 0x2E;
  EXPECT_FALSE(sniff_image(bad_sig));
  const std::uint32_t v1 = 7 | 7 << 14 | 1u << 29;  // version 1
  EXPECT_FALSE(sniff_image(riff_webp(riff_chunk("VP8L", bytes({0x2F}) + le32(v1)))));
  // VP8X without any frame.
  EXPECT_FALSE(
      sniff_image(riff_webp(riff_chunk("VP8X", bytes({0, 0, 0, 0}) + le24(7) + le24(7)) + riff_chunk("EXIF", "ab"))));
  // First chunk must be VP8, VP8L or VP8X.
  EXPECT_FALSE(sniff_image(riff_webp(riff_chunk("ALPH", "ab") + vp8_chunk(8, 8))));
  // RIFF size larger than the buffer; chunk larger than the RIFF.
  std::string big = make_webp_lossy(8, 8);
  big.replace(4, 4, le32(1000));
  EXPECT_FALSE(sniff_image(big));
  std::string chunk_big = make_webp_lossy(8, 8);
  chunk_big.replace(16, 4, le32(200));
  EXPECT_FALSE(sniff_image(chunk_big + std::string(300, '\0')));
  // Trailing bytes inside the RIFF that do not form a chunk.
  EXPECT_FALSE(sniff_image(riff_webp(vp8_chunk(8, 8) + "xyz")));
  // A first-partition size larger than the chunk.
  EXPECT_FALSE(sniff_image(
      riff_webp(riff_chunk("VP8 ", le24(0x10 | 500 << 5) + bytes({0x9D, 0x01, 0x2A}) + le16(8) + le16(8)))));
}

// ---- everything else ----

TEST(ImageSniff, RefusesNonImages) {
  EXPECT_FALSE(sniff_image(""));
  EXPECT_FALSE(
      sniff_image("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
                  "<script>alert(1)</script></svg>"));
  EXPECT_FALSE(sniff_image("<?xml version=\"1.0\"?><svg width=\"10\" height=\"10\"/>"));
  EXPECT_FALSE(sniff_image("<!DOCTYPE html><html></html>"));
  EXPECT_FALSE(sniff_image("BM" + std::string(60, '\x01')));                     // BMP
  EXPECT_FALSE(sniff_image(std::string("II*\0", 4) + std::string(60, '\x01')));  // TIFF
  EXPECT_FALSE(
      sniff_image(std::string("\0\0\0\x0C"
                              "jP  ",
                              8)));                      // JPEG 2000
  EXPECT_FALSE(sniff_image("RIFF" + le32(4) + "WAVE"));  // RIFF, not WebP
  EXPECT_FALSE(sniff_image("%PDF-1.7\n"));
}

TEST(ImageSniff, EveryTruncationIsRefused) {
  for (const Sample& s : valid_samples()) {
    ASSERT_TRUE(sniff_image(s.data)) << s.name;
    ExactBuffer whole(s.data);
    ASSERT_TRUE(sniff_image(whole.view())) << s.name;
    for (std::size_t n = 0; n < s.data.size(); ++n) {
      // An exact-size heap copy, so a read past the end is a sanitizer error;
      // also a view into the full buffer, where the missing bytes are readable.
      ExactBuffer cut(std::string_view(s.data).substr(0, n));
      EXPECT_FALSE(sniff_image(cut.view())) << s.name << " cut at " << n;
      EXPECT_FALSE(sniff_image(std::string_view(s.data).substr(0, n))) << s.name << " " << n;
    }
  }
}

TEST(ImageSniff, RandomGarbageIsRefused) {
  std::mt19937 rng(12345);
  for (int i = 0; i < 20000; ++i) {
    std::string junk(rng() % 600, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    ExactBuffer buf(junk);
    EXPECT_FALSE(sniff_image(buf.view())) << i;
  }
}

TEST(ImageSniff, MutatedImagesNeverOverreadOrEscapeBounds) {
  // Flipped bytes and garbage tails behind valid magic: the answer may be
  // either, but it must be in bounds and must not touch memory past the end.
  std::mt19937 rng(777);
  for (const Sample& s : valid_samples()) {
    for (int i = 0; i < 3000; ++i) {
      std::string m = s.data;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) m[rng() % m.size()] = static_cast<char>(rng());
      if (i % 3 == 0) {
        m.resize(rng() % (m.size() + 1));
        for (int t = static_cast<int>(rng() % 40); t > 0; --t) m += static_cast<char>(rng());
      }
      ExactBuffer buf(m);
      if (const auto info = sniff_image(buf.view())) {
        EXPECT_GE(info->width, 1);
        EXPECT_LE(info->width, kMaxImageSide);
        EXPECT_GE(info->height, 1);
        EXPECT_LE(info->height, kMaxImageSide);
        EXPECT_FALSE(info->mime.empty());
      }
    }
  }
}

}  // namespace
}  // namespace shelfsync
