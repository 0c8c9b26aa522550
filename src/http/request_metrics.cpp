#include "http/request_metrics.hpp"

#include <vector>

namespace shelfsync {

void RequestMetrics::observe(std::string_view method, std::string_view route, int status,
                             std::chrono::steady_clock::duration took) {
  Histogram* h;
  {
    MutexLock lock(&mu_);
    auto it = by_route_.find(KeyView(method, route, status));
    if (it == by_route_.end())
      it =
          by_route_.emplace(Key{method, route, status}, std::make_unique<Histogram>(Histogram::seconds_bounds())).first;
    h = it->second.get();  // never erased
  }
  h->observe(took);
}

void RequestMetrics::write(std::string& out) const {
  std::vector<std::pair<Key, Histogram::Snapshot>> rows;
  {
    MutexLock lock(&mu_);
    for (const auto& [key, h] : by_route_) rows.emplace_back(key, h->snapshot());
  }
  write_metric_header(out, "shelfsync_http_request_duration_seconds", "histogram",
                      "HTTP requests from their last byte read to their answer ready, by route and status.");
  for (const auto& [key, h] : rows) {
    const auto& [method, route, status] = key;
    write_histogram(out, "shelfsync_http_request_duration_seconds",
                    "method=\"" + method + "\",route=\"" + route + "\",status=\"" + std::to_string(status) + "\"", h);
  }
  write_metric_header(out, "shelfsync_http_io_wait_seconds", "histogram",
                      "Time an answer waited for an HTTP IO thread once its handler had it ready.");
  write_histogram(out, "shelfsync_http_io_wait_seconds", "", io_wait_.snapshot());
}

}  // namespace shelfsync
