#include "http/edge/client_address.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace shelfsync {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

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
    const auto hop = trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    if (!parse_ip(hop)) break;  // garbage: trust stops at the last good hop
    client = hop;
    if (!contains(hop)) break;
  }
  return std::string(client);
}

std::string address_key(std::string_view text) {
  const auto address = parse_ip(text);
  if (!address || is_v4_mapped(*address)) return std::string(text);
  char buf[INET6_ADDRSTRLEN];
  std::array<std::uint8_t, 16> net = *address;
  std::memset(net.data() + 8, 0, 8);
  inet_ntop(AF_INET6, net.data(), buf, sizeof buf);
  return std::string(buf) + "/64";
}

}  // namespace shelfsync
