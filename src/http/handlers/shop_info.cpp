// GET /api/shop: the caller's shop as a page shows it — its name and
// currency — for every role, the public key included (a storefront titles
// itself with it and formats money before any product has loaded).

#include <boost/json/object.hpp>

#include "http/api.hpp"
#include "http/handlers/common.hpp"
#include "http/problem_response.hpp"

namespace shelfsync {

void add_shop_info_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/shop", [&ctx](Request& req) {
    auto who = authenticate_request(req, ctx);
    if (!who) return problem_response(who.problem());
    const auto tenant = ctx.store.tenant(who->tenant);
    if (!tenant) return problem_response(Problem::not_found("the token's shop no longer exists"));
    auto r = Response::json(200, boost::json::object{{"tenant", tenant->id},
                                                     {"name", tenant->name},
                                                     {"currency", tenant->currency}});
    r.set_header("Cache-Control", cache_policy(DataKind::catalog));
    return with_body_etag(req, std::move(r));
  });
}

}  // namespace shelfsync
