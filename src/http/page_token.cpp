#include "http/page_token.hpp"

#include "domain/ids.hpp"

namespace shelfsync {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kMagic = "a1:";

int decode_char(char c) {
  for (int i = 0; i < 64; ++i)
    if (kAlphabet[i] == c) return i;
  return -1;
}

}  // namespace

std::string encode_page_token(std::string_view last_id) {
  std::string raw = std::string(kMagic) + std::string(last_id);
  std::string out;
  std::uint32_t buf = 0;
  int bits = 0;
  for (unsigned char c : raw) {
    buf = (buf << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buf >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(buf << (6 - bits)) & 63];
  return out;
}

std::optional<std::string> decode_page_token(std::string_view token) {
  if (token.empty() || token.size() > 120) return std::nullopt;
  std::string raw;
  std::uint32_t buf = 0;
  int bits = 0;
  for (char c : token) {
    const int v = decode_char(c);
    if (v < 0) return std::nullopt;
    buf = (buf << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      raw += static_cast<char>((buf >> bits) & 0xFF);
    }
  }
  if (!raw.starts_with(kMagic)) return std::nullopt;
  auto id = raw.substr(kMagic.size());
  if (!is_valid_id(id)) return std::nullopt;
  return id;
}

}  // namespace shelfsync
