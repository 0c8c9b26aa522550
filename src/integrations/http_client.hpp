#pragma once
// Outgoing HTTP for webhooks, with libcurl (docs/dependencies.md): one POST,
// blocking, on the caller's thread (the webhook dispatcher's workers).
// Every connection's address is judged by the TargetPolicy just before it
// is opened (libcurl's open-socket hook), after DNS, so no name can lead a
// request into the operator's network. Redirects are not followed, proxies
// from the environment are not used, TLS certificates are verified, and
// connect time, total time and the answer's size are bounded.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "integrations/target_policy.hpp"

namespace shelfsync {

struct HttpLimits {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{15000};
  std::size_t max_answer = std::size_t{64} * 1024;  // bytes of the answer's body kept; more ends the read
  std::string ca_file;                              // trusted CAs (PEM); empty: the system's
};

struct HttpAnswer {
  int status = 0;        // 0: no HTTP answer
  std::string body;      // its first max_answer bytes
  std::string error;     // why there was no (complete) answer
  bool refused = false;  // the target's address was refused by the policy
  std::int64_t duration_ms = 0;
  bool ok() const { return status >= 200 && status < 300; }
};

class HttpClient {
 public:
  HttpClient(TargetPolicy policy, HttpLimits limits);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs `body` to `url` with `headers` (name, value). Thread-safe: each
  // thread has its own connection state, kept between its calls so a
  // receiver's connection is reused (a new one is judged by the policy).
  HttpAnswer post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                  const std::string& body) const;

 private:
  TargetPolicy policy_;
  HttpLimits limits_;
};

}  // namespace shelfsync
