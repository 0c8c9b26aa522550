#pragma once
// A Prometheus histogram (fixed upper bounds, then +Inf) that any thread may
// observe into without a lock, and its text form for /metrics.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace shelfsync {

class Histogram {
 public:
  // Upper bounds in ascending order, in the unit observed.
  explicit Histogram(std::vector<double> bounds);

  void observe(double value);
  void observe(std::chrono::steady_clock::duration elapsed) { observe(std::chrono::duration<double>(elapsed).count()); }

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<std::int64_t> counts;  // per bucket, not cumulative; the last is +Inf
    double sum = 0;
    std::int64_t count() const;
  };
  Snapshot snapshot() const;

  // Bounds for latencies in seconds: 50 µs to 5 s.
  static std::vector<double> seconds_bounds();

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::int64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

// Appends "# HELP" and "# TYPE" lines.
void write_metric_header(std::string& out, std::string_view name, std::string_view type, std::string_view help);
// Appends the _bucket, _sum and _count series of one histogram; `labels` is
// empty or `key="value",...` without braces.
void write_histogram(std::string& out, std::string_view name, std::string_view labels, const Histogram::Snapshot& h);

}  // namespace shelfsync
