#pragma once
// How long answers waited for an HTTP IO thread: from the moment a handler's
// answer was ready (posted to its connection) to the moment an IO thread
// began writing it. Requests should never queue behind live fan-out writes
// (those run on their own threads); this histogram on /metrics shows
// whether they do. Any thread; lock-free.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace shelfsync {

class IoWaitHistogram {
 public:
  // Upper bounds of the buckets, in seconds (Prometheus `le`), then +Inf.
  static constexpr std::array<double, 9> kBounds{0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0};

  void record(std::chrono::steady_clock::duration waited) {
    const double s = std::chrono::duration<double>(waited).count();
    std::size_t i = 0;
    while (i < kBounds.size() && s > kBounds[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_ns_.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(waited).count(),
                      std::memory_order_relaxed);
  }

  struct Snapshot {
    std::array<std::int64_t, kBounds.size() + 1> buckets{};  // not cumulative; last: over 1 s
    double sum_seconds = 0;
  };
  Snapshot snapshot() const {
    Snapshot out;
    for (std::size_t i = 0; i < buckets_.size(); ++i) out.buckets[i] = buckets_[i].load(std::memory_order_relaxed);
    out.sum_seconds = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
    return out;
  }

 private:
  std::array<std::atomic<std::int64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<std::int64_t> sum_ns_{0};
};

}  // namespace shelfsync
