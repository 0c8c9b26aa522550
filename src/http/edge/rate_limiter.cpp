#include "http/edge/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace shelfsync {

namespace {
constexpr auto kSweepEvery = std::chrono::seconds(10);
}

RateLimiter::RateLimiter(double rate, double burst) : rate_(rate), burst_(std::max(burst, 1.0)) {}

std::optional<int> RateLimiter::take(std::string_view key, Clock::time_point now) {
  if (!enabled()) return std::nullopt;
  MutexLock lock(&mu_);
  if (now - last_sweep_ >= kSweepEvery) sweep(now);
  auto [it, fresh] = buckets_.try_emplace(std::string(key), Bucket{burst_, now});
  auto& b = it->second;
  if (!fresh) {
    const std::chrono::duration<double> elapsed = now - b.at;
    b.tokens = std::min(burst_, b.tokens + std::max(0.0, elapsed.count()) * rate_);
    b.at = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate_)));
}

void RateLimiter::sweep(Clock::time_point now) {
  last_sweep_ = now;
  std::erase_if(buckets_, [&](const auto& entry) {
    const std::chrono::duration<double> idle = now - entry.second.at;
    return entry.second.tokens + idle.count() * rate_ >= burst_;  // full again: nothing to remember
  });
}

std::size_t RateLimiter::tracked_keys() const {
  MutexLock lock(&mu_);
  return buckets_.size();
}

}  // namespace shelfsync
