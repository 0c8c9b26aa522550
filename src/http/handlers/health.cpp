// GET /health: liveness for load balancers and tests. Grows the live-core
// figures (connections, subscriptions, ...) with the hub.

#include <boost/json/object.hpp>

#include "http/api.hpp"

namespace shelfsync {

void add_health_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/health", [&ctx](Request&) {
    auto r = Response::json(200, boost::json::object{{"status", "ok"},
                                                     {"version", SHELFSYNC_VERSION},
                                                     {"db", ctx.store.backend_name()}});
    r.set_header("Cache-Control", "no-store");
    return r;
  });
}

}  // namespace shelfsync
