#pragma once
// IP addresses and networks, IPv4 held as IPv4-mapped IPv6 so one type
// covers both: who a request comes from (http/edge/client_address.hpp) and
// where a webhook may go (integrations/target_policy.hpp).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shelfsync {

using IpBytes = std::array<std::uint8_t, 16>;

// "10.0.0.1", "::1", "[::1]", "::ffff:127.0.0.1" (inet_pton's forms only:
// no decimal or octal shorthands). IPv4 comes back IPv4-mapped.
std::optional<IpBytes> parse_ip(std::string_view text);
bool is_v4_mapped(const IpBytes& a);
// The usual text: "10.0.0.1" for a mapped IPv4, else IPv6 ("::1").
std::string format_ip(const IpBytes& a);

// An IPv4 or IPv6 network, e.g. "10.0.0.0/8", "::1/128" or a bare address.
struct Cidr {
  IpBytes bytes{};   // IPv4 as IPv4-mapped IPv6
  int prefix = 128;  // in bits of the 128

  static std::optional<Cidr> parse(std::string_view text);
  bool contains(std::string_view address) const;
  bool contains(const IpBytes& address) const;
};

}  // namespace shelfsync
