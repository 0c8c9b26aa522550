// GET /health (SPEC §8): liveness for load balancers and tests, with the
// live core's figures. GET /metrics: the same and more in Prometheus text.

#include <sstream>

#include <boost/json/object.hpp>

#include "feed/cursor.hpp"
#include "feed/hub.hpp"
#include "http/api.hpp"

namespace shelfsync {

void add_health_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/health", [&ctx](Request&) {
    const auto s = ctx.hub ? ctx.hub->stats() : HubStats{};
    auto r = Response::json(200, boost::json::object{{"status", "ok"},
                                                     {"version", SHELFSYNC_VERSION},
                                                     {"db", ctx.store.backend_name()},
                                                     {"connections", s.connections_ws + s.connections_sse},
                                                     {"subscriptions", s.subscriptions},
                                                     {"topics", s.topics},
                                                     {"pending_batches", s.pending_batches},
                                                     {"cursor", encode_cursor(s.cursor)}});
    r.set_header("Cache-Control", "no-store");
    return r;
  });
}

void add_metrics_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/metrics", [&ctx](Request&) {
    const auto s = ctx.hub ? ctx.hub->stats() : HubStats{};
    std::string out;
    const auto metric = [&out](std::string_view name, std::string_view type, std::string_view help) {
      out += "# HELP " + std::string(name) + " " + std::string(help) + "\n# TYPE " + std::string(name) +
             " " + std::string(type) + "\n";
    };
    const auto value = [&out](std::string_view series, std::int64_t v) {
      out += std::string(series) + " " + std::to_string(v) + "\n";
    };
    metric("shelfsync_connections", "gauge", "Open live connections.");
    value("shelfsync_connections{transport=\"ws\"}", s.connections_ws);
    value("shelfsync_connections{transport=\"sse\"}", s.connections_sse);
    metric("shelfsync_subscriptions", "gauge", "Live subscriptions.");
    value("shelfsync_subscriptions", s.subscriptions);
    metric("shelfsync_delivered_changes_total", "counter", "Change objects sent to live readers.");
    value("shelfsync_delivered_changes_total{transport=\"ws\"}", s.delivered_ws);
    value("shelfsync_delivered_changes_total{transport=\"sse\"}", s.delivered_sse);
    metric("shelfsync_pending_batches", "gauge", "Subscriptions holding changes not yet sent.");
    value("shelfsync_pending_batches", s.pending_batches);
    metric("shelfsync_ring_entries", "gauge", "Recent changes the hub keeps in memory.");
    value("shelfsync_ring_entries", s.ring_entries);
    const auto reason = [](int i) {
      return std::string("{reason=\"") + reason_name(static_cast<CatchUpReason>(i)) + "\"}";
    };
    metric("shelfsync_live_catchups_total", "counter",
           "Live subscriptions' reads of the log from the store instead of the ring, by reason.");
    for (int i = 0; i < kCatchUpReasons; ++i)
      if (static_cast<CatchUpReason>(i) != CatchUpReason::window)
        value("shelfsync_live_catchups_total" + reason(i), s.catchups[i]);
    metric("shelfsync_live_versions_coalesced_total", "counter",
           "Versions collapsed into a later one instead of sent, by reason.");
    for (int i = 0; i < kCatchUpReasons; ++i) value("shelfsync_live_versions_coalesced_total" + reason(i), s.coalesced[i]);
    metric("shelfsync_http_io_wait_seconds", "histogram",
           "Time an answer waited for an HTTP IO thread once its handler had it ready.");
    const auto w = ctx.io_wait.snapshot();
    std::int64_t cumulative = 0;
    for (std::size_t i = 0; i < w.buckets.size(); ++i) {
      cumulative += w.buckets[i];
      std::string le = "+Inf";
      if (i < IoWaitHistogram::kBounds.size()) {
        std::ostringstream bound;
        bound << IoWaitHistogram::kBounds[i];
        le = bound.str();
      }
      value("shelfsync_http_io_wait_seconds_bucket{le=\"" + le + "\"}", cumulative);
    }
    out += "shelfsync_http_io_wait_seconds_sum " + std::to_string(w.sum_seconds) + "\n";
    value("shelfsync_http_io_wait_seconds_count", cumulative);
    Response r;
    r.status = 200;
    r.set_header("Content-Type", "text/plain; version=0.0.4");
    r.set_header("Cache-Control", "no-store");
    r.body = std::move(out);
    return r;
  });
}

}  // namespace shelfsync
