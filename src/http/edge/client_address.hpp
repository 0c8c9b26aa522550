#pragma once
// Who a request comes from. Directly connected clients are their socket's
// peer address. Behind a load balancer every request comes from the
// balancer, so `serve --trusted-proxy CIDR` names the proxies whose
// X-Forwarded-For is believed: the client is the right-most address in that
// header that is not itself a trusted proxy (the left-most ones can be
// forged by anyone).

#include <string>
#include <string_view>
#include <vector>

#include "domain/net_address.hpp"

namespace shelfsync {

class TrustedProxies {
 public:
  TrustedProxies() = default;
  explicit TrustedProxies(std::vector<Cidr> networks) : networks_(std::move(networks)) {}

  bool contains(std::string_view address) const;
  // The client address of a request that arrived from `peer`.
  std::string client_of(std::string_view peer, std::string_view forwarded_for) const;

 private:
  std::vector<Cidr> networks_;
};

// The key a client address is rate-limited and counted under: an IPv4
// address as is, an IPv6 address by its /64 (one host usually holds a
// whole /64, so single addresses would cost an attacker nothing).
std::string address_key(std::string_view address);

}  // namespace shelfsync
