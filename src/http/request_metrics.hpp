#pragma once
// What the HTTP server measures of requests, for /metrics: how long each
// took by route (the router's pattern, never the raw path, so the series
// stay few) and status, and how long answers waited for an IO thread. Any
// thread.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>

#include "util/histogram.hpp"
#include "util/mutex.hpp"

namespace shelfsync {

class RequestMetrics {
 public:
  // A request answered: from its last byte read to its answer ready.
  void observe(std::string_view method, std::string_view route, int status, std::chrono::steady_clock::duration took)
      EXCLUDES(mu_);
  // An answer ready, until an IO thread began writing it. Requests should
  // never queue behind live fan-out writes (those have their own threads).
  void observe_io_wait(std::chrono::steady_clock::duration waited) { io_wait_.observe(waited); }

  // Appends shelfsync_http_request_duration_seconds and
  // shelfsync_http_io_wait_seconds in Prometheus text.
  void write(std::string& out) const EXCLUDES(mu_);

 private:
  using Key = std::tuple<std::string, std::string, int>;  // method, route, status
  using KeyView = std::tuple<std::string_view, std::string_view, int>;
  // Orders keys and views of them alike, so that a lookup copies no strings.
  struct KeyLess {
    using is_transparent = void;
    static KeyView view(const Key& k) { return {std::get<0>(k), std::get<1>(k), std::get<2>(k)}; }
    static KeyView view(const KeyView& k) { return k; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return view(a) < view(b);
    }
  };
  mutable Mutex mu_;
  std::map<Key, std::unique_ptr<Histogram>, KeyLess> by_route_ GUARDED_BY(mu_);
  Histogram io_wait_{Histogram::seconds_bounds()};
};

}  // namespace shelfsync
