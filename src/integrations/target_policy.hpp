#pragma once
// Where a webhook may be sent (SPEC §8). A target whose address reaches into
// the operator's own network — loopback, private, link-local, carrier-grade
// NAT, unspecified, multicast or reserved, also in the IPv6 forms that carry
// an IPv4 address — is refused unless `serve --webhook-allow CIDR` allows
// it. The check runs on the address a connection is about to be opened to,
// after DNS (integrations/http_client.cpp), so a name that resolves to 127.0.0.1,
// or starts to later, never gets through; a URL is checked for its form
// when a hook is created, with an IP-literal host judged at once.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/net_address.hpp"
#include "domain/problem.hpp"

namespace shelfsync {

class TargetPolicy {
 public:
  explicit TargetPolicy(std::vector<Cidr> allowed = {}) : allowed_(std::move(allowed)) {}

  // Why a connection to `address` is refused ("loopback", "private", ...),
  // or nullopt when it may be opened.
  std::optional<std::string> refusal(const IpBytes& address) const;

 private:
  std::vector<Cidr> allowed_;
};

// A hook's URL, checked before it is stored: http or https, a host, no user
// name or password (a secret in a URL ends up in logs), at most 2,000
// characters; a host that is an IP address must be allowed by `policy`
// (a name is judged at connect time). 400 `bad_webhook_url` otherwise.
std::optional<Problem> check_target_url(std::string_view url, const TargetPolicy& policy);

}  // namespace shelfsync
