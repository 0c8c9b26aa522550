#include "integrations/target_policy.hpp"

#include <array>

namespace shelfsync {
namespace {

struct Range {
  const char* cidr;
  const char* why;
};

// IANA's special-purpose registries, the parts a server must not be made
// to reach on someone's behalf.
constexpr std::array kRefused{
    Range{"0.0.0.0/8", "unspecified"},
    Range{"::/128", "unspecified"},
    Range{"127.0.0.0/8", "loopback"},
    Range{"::1/128", "loopback"},
    Range{"10.0.0.0/8", "private"},
    Range{"172.16.0.0/12", "private"},
    Range{"192.168.0.0/16", "private"},
    Range{"fc00::/7", "private"},
    Range{"100.64.0.0/10", "shared (carrier-grade NAT)"},
    Range{"169.254.0.0/16", "link-local"},
    Range{"fe80::/10", "link-local"},
    Range{"192.0.0.0/24", "reserved"},
    Range{"198.18.0.0/15", "reserved"},
    Range{"240.0.0.0/4", "reserved"},
    Range{"::/96", "reserved"},
    Range{"224.0.0.0/4", "multicast"},
    Range{"ff00::/8", "multicast"},
};

const std::vector<std::pair<Cidr, const char*>>& refused() {
  static const auto kRanges = [] {
    std::vector<std::pair<Cidr, const char*>> out;
    for (const auto& r : kRefused) out.emplace_back(*Cidr::parse(r.cidr), r.why);
    return out;
  }();
  return kRanges;
}

// The IPv4 address inside an IPv6 one that carries it: NAT64
// (64:ff9b::/96) and 6to4 (2002::/16). IPv4-mapped addresses are IPv4
// already (domain/net_address.hpp).
std::optional<IpBytes> embedded_v4(const IpBytes& a) {
  static const auto kNat64 = *Cidr::parse("64:ff9b::/96");
  static const auto kSixToFour = *Cidr::parse("2002::/16");
  IpBytes v4{};
  v4[10] = v4[11] = 0xff;
  if (kNat64.contains(a)) {
    for (int i = 0; i < 4; ++i) v4[12 + i] = a[12 + i];
    return v4;
  }
  if (kSixToFour.contains(a)) {
    for (int i = 0; i < 4; ++i) v4[12 + i] = a[2 + i];
    return v4;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> TargetPolicy::refusal(const IpBytes& address) const {
  for (const auto& allowed : allowed_)
    if (allowed.contains(address)) return std::nullopt;
  for (const auto& [range, why] : refused())
    if (range.contains(address)) return std::string(why);
  if (auto inner = embedded_v4(address)) return refusal(*inner);
  return std::nullopt;
}

std::optional<Problem> check_target_url(std::string_view url, const TargetPolicy& policy) {
  const auto bad = [](std::string detail) { return Problem::of(ErrorCode::bad_webhook_url, std::move(detail)); };
  if (url.size() > 2000) return bad("url holds at most 2000 characters");
  std::string_view rest;
  if (url.starts_with("https://"))
    rest = url.substr(8);
  else if (url.starts_with("http://"))
    rest = url.substr(7);
  else
    return bad("url must start with http:// or https://");
  const auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos)
    return bad("url may not hold a user name or password: send a secret as the hook's secret");
  std::string_view host = authority;
  if (host.starts_with("[")) {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return bad("url has an unclosed [IPv6] host");
    host = host.substr(0, close + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  if (host.empty()) return bad("url has no host");
  for (const char ch : url)
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f)
      return bad("url may not hold spaces or control characters");
  if (const auto ip = parse_ip(host))
    if (auto why = policy.refusal(*ip))
      return Problem::of(ErrorCode::webhook_target_refused,
                         "url points at a " + *why + " address (" + format_ip(*ip) +
                             "); the server's operator may allow it with serve --webhook-allow");
  return std::nullopt;
}

}  // namespace shelfsync
