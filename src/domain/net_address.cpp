#include "domain/net_address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace shelfsync {

std::optional<IpBytes> parse_ip(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);  // "[::1]"
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);
  IpBytes out{};
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

bool is_v4_mapped(const IpBytes& a) {
  for (int i = 0; i < 10; ++i)
    if (a[static_cast<std::size_t>(i)] != 0) return false;
  return a[10] == 0xff && a[11] == 0xff;
}

std::string format_ip(const IpBytes& a) {
  char buf[INET6_ADDRSTRLEN];
  if (is_v4_mapped(a))
    inet_ntop(AF_INET, a.data() + 12, buf, sizeof buf);
  else
    inet_ntop(AF_INET6, a.data(), buf, sizeof buf);
  return buf;
}

std::optional<Cidr> Cidr::parse(std::string_view text) {
  const auto slash = text.find('/');
  auto address = parse_ip(text.substr(0, slash));
  if (!address) return std::nullopt;
  Cidr c;
  c.bytes = *address;
  const bool v4 = is_v4_mapped(c.bytes) && text.substr(0, slash).find(':') == std::string_view::npos;
  const int width = v4 ? 32 : 128;
  int bits = width;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (ec != std::errc{} || end != digits.data() + digits.size() || bits < 0 || bits > width) return std::nullopt;
  }
  c.prefix = v4 ? 96 + bits : bits;
  return c;
}

bool Cidr::contains(std::string_view text) const {
  const auto address = parse_ip(text);
  return address && contains(*address);
}

bool Cidr::contains(const IpBytes& address) const {
  int left = prefix;
  for (std::size_t i = 0; i < 16 && left > 0; ++i, left -= 8) {
    const auto mask = static_cast<std::uint8_t>(left >= 8 ? 0xff : 0xff << (8 - left));
    if ((bytes[i] & mask) != (address[i] & mask)) return false;
  }
  return true;
}

}  // namespace shelfsync
