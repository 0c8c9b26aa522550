#include "http/edge/client_address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace shelfsync {

namespace {

// Parses an IPv4 or IPv6 address into IPv6 form (IPv4 mapped).
std::optional<std::array<std::uint8_t, 16>> parse_address(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);  // "[::1]"
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);
  std::array<std::uint8_t, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

bool is_v4_mapped(const std::array<std::uint8_t, 16>& a) {
  for (int i = 0; i < 10; ++i)
    if (a[static_cast<std::size_t>(i)] != 0) return false;
  return a[10] == 0xff && a[11] == 0xff;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<Cidr> Cidr::parse(std::string_view text) {
  const auto slash = text.find('/');
  auto address = parse_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  Cidr c;
  c.bytes = *address;
  const bool v4 = is_v4_mapped(c.bytes) && text.substr(0, slash).find(':') == std::string_view::npos;
  const int width = v4 ? 32 : 128;
  int bits = width;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (ec != std::errc{} || end != digits.data() + digits.size() || bits < 0 || bits > width)
      return std::nullopt;
  }
  c.prefix = v4 ? 96 + bits : bits;
  return c;
}

bool Cidr::contains(std::string_view text) const {
  const auto address = parse_address(text);
  if (!address) return false;
  int left = prefix;
  for (std::size_t i = 0; i < 16 && left > 0; ++i, left -= 8) {
    const auto mask = static_cast<std::uint8_t>(left >= 8 ? 0xff : 0xff << (8 - left));
    if ((bytes[i] & mask) != ((*address)[i] & mask)) return false;
  }
  return true;
}

bool TrustedProxies::contains(std::string_view address) const {
  for (const auto& n : networks_)
    if (n.contains(address)) return true;
  return false;
}

std::string TrustedProxies::client_of(std::string_view peer, std::string_view forwarded_for) const {
  if (!contains(peer)) return std::string(peer);
  // Walk from the right: each trusted hop vouches for the one before it.
  std::string_view client = peer;
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const auto hop = trim(comma == std::string_view::npos ? forwarded_for
                                                          : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? std::string_view{}
                                                    : forwarded_for.substr(0, comma);
    if (!parse_address(hop)) break;  // garbage: trust stops at the last good hop
    client = hop;
    if (!contains(hop)) break;
  }
  return std::string(client);
}

std::string address_key(std::string_view text) {
  const auto address = parse_address(text);
  if (!address || is_v4_mapped(*address)) return std::string(text);
  char buf[INET6_ADDRSTRLEN];
  std::array<std::uint8_t, 16> net = *address;
  std::memset(net.data() + 8, 0, 8);
  inet_ntop(AF_INET6, net.data(), buf, sizeof buf);
  return std::string(buf) + "/64";
}

}  // namespace shelfsync
