#pragma once
// Requests per second per key (a client address or a token), as token
// buckets: `rate` a second on average, up to `burst` at once. Thread-safe.
// Memory stays bounded: a bucket that has refilled is forgotten, and the
// table is swept as time passes.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/mutex.hpp"

namespace shelfsync {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // rate <= 0: no limit.
  RateLimiter(double rate, double burst);

  bool enabled() const { return rate_ > 0; }

  // Takes one request from `key`'s bucket. nullopt: allowed; otherwise the
  // whole seconds until the next request would be (for Retry-After, ≥ 1).
  std::optional<int> take(std::string_view key, Clock::time_point now = Clock::now()) EXCLUDES(mu_);

  std::size_t tracked_keys() const EXCLUDES(mu_);

 private:
  struct Bucket {
    double tokens;
    Clock::time_point at;
  };
  void sweep(Clock::time_point now) REQUIRES(mu_);

  const double rate_;
  const double burst_;
  mutable Mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_ GUARDED_BY(mu_);
  Clock::time_point last_sweep_ GUARDED_BY(mu_) = {};
};

}  // namespace shelfsync
