// GET /health (SPEC §8): liveness for load balancers and tests, with the
// live core's figures. GET /metrics: the same and more in Prometheus text.

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
      write_metric_header(out, name, type, help);
    };
    const auto value = [&out](std::string_view series, std::int64_t v) {
      out += std::string(series) + " " + std::to_string(v) + "\n";
    };
    metric("shelfsync_connections", "gauge", "Open live connections.");
    value("shelfsync_connections{transport=\"ws\"}", s.connections_ws);
    value("shelfsync_connections{transport=\"sse\"}", s.connections_sse);
    metric("shelfsync_subscriptions", "gauge", "Live subscriptions.");
    value("shelfsync_subscriptions", s.subscriptions);
    metric("shelfsync_followed_ids", "gauge",
           "Record ids that live subscriptions follow by an ids filter (watches included), summed over subscriptions.");
    value("shelfsync_followed_ids", s.followed_ids);
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
    for (int i = 0; i < kCatchUpReasons; ++i)
      value("shelfsync_live_versions_coalesced_total" + reason(i), s.coalesced[i]);
    ctx.requests.write(out);
    const auto w = ctx.store.writer_figures();
    metric("shelfsync_writer_queue_depth", "gauge", "Writes waiting for the store's single writer.");
    value("shelfsync_writer_queue_depth", w.queue_depth);
    metric("shelfsync_writer_commit_seconds", "histogram", "Group commits, from BEGIN until durable (fsync included).");
    write_histogram(out, "shelfsync_writer_commit_seconds", "", w.commit_seconds);
    metric("shelfsync_writer_group_commit_size", "histogram", "Writes committed together in one transaction.");
    write_histogram(out, "shelfsync_writer_group_commit_size", "", w.group_size);
    metric("shelfsync_store_fsync_seconds", "histogram", "Each fsync of a database file.");
    write_histogram(out, "shelfsync_store_fsync_seconds", "", w.sync_seconds);
    Response r;
    r.status = 200;
    r.set_header("Content-Type", "text/plain; version=0.0.4");
    r.set_header("Cache-Control", "no-store");
    r.body = std::move(out);
    return r;
  });
}

}  // namespace shelfsync
