// GET /api/shop: the caller's shop as a page shows it — its name, currency
// and time zone — for every role, the public key included (a storefront
// titles itself with it and formats money before any product has loaded);
// staff, service and admin also read the back office's settings
// (`large_order_total`). PATCH /api/shop: the admin renames the shop, sets
// its time zone or the order total from which the dashboard makes an order
// stand out.

#include <boost/json/object.hpp>

#include "commerce/stats_publisher.hpp"
#include "domain/json_read.hpp"
#include "domain/json_util.hpp"
#include "domain/product.hpp"
#include "domain/time_zone.hpp"
#include "http/api.hpp"
#include "http/handlers/common.hpp"
#include "http/problem_response.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxShopName = 200;

Response shop_response(const Request& req, const Tenant& tenant, Role role) {
  json::object shop{
      {"tenant", tenant.id}, {"name", tenant.name}, {"currency", tenant.currency}, {"time_zone", tenant.time_zone}};
  if (role != Role::public_ && role != Role::customer) {
    if (tenant.large_order_total > 0)
      shop["large_order_total"] = tenant.large_order_total;
    else
      shop["large_order_total"] = nullptr;
  }
  auto r = Response::json(200, std::move(shop));
  r.set_header("Cache-Control", cache_policy(DataKind::catalog));
  return with_body_etag(req, std::move(r));
}

Problem shop_gone() { return Problem::not_found("the token's shop no longer exists"); }

// Applies {name?, time_zone?, large_order_total?} to `shop` (null clears
// the total); `tenant` and `currency` may be sent back as read, never changed.
std::optional<Problem> apply_shop_patch(const json::object& body, Tenant& shop) {
  Errors errors;
  MemberReader r(body, "", errors);
  r.string("name", 1, kMaxShopName, shop.name);
  std::string zone = shop.time_zone;
  if (r.string("time_zone", 1, 64, zone) && !is_known_time_zone(zone))
    errors.add("time_zone", "must be an IANA time zone such as Europe/Berlin (got '" + zone.substr(0, 64) + "')");
  shop.time_zone = zone;
  if (const auto* v = body.if_contains("large_order_total"); v && v->is_null())
    shop.large_order_total = 0;
  else
    r.integer("large_order_total", 1, kMaxPrice, shop.large_order_total);
  for (auto [key, current] : {std::pair{"tenant", &shop.id}, std::pair{"currency", &shop.currency}})
    if (const auto* v = body.if_contains(key); v && !(v->is_string() && v->as_string() == *current))
      errors.add(key, "is read-only");
  r.reject_unknown({"name", "time_zone", "large_order_total", "tenant", "currency"});
  if (!errors.empty()) return errors.problem();
  return std::nullopt;
}

Response get_shop(Request& req, ApiContext& ctx) {
  auto who = authenticate_request(req, ctx);
  if (!who) return problem_response(who.problem());
  const auto tenant = ctx.store.tenant(who->tenant);
  if (!tenant) return problem_response(shop_gone());
  return shop_response(req, *tenant, who->role);
}

Response patch_shop(Request& req, ApiContext& ctx) {
  auto who = authenticate_request(req, ctx);
  if (!who) return problem_response(who.problem());
  if (who->role != Role::admin) return problem_response(Problem::forbidden("only the admin changes the shop"));
  if (auto p = require_json(req, true)) return problem_response(*p);
  auto body = parse_json_object(req.body);
  if (!body) return problem_response(body.problem());
  Tenant shop;
  auto problem = ctx.store.write([&](WriteTxn& txn) -> std::optional<Problem> {
    auto current = txn.tenant(who->tenant);
    if (!current) return shop_gone();
    shop = std::move(*current);
    if (auto p = apply_shop_patch(*body, shop)) return p;
    txn.put_tenant(shop);
    return std::nullopt;
  });
  if (problem) return problem_response(*problem);
  if (ctx.stats) ctx.stats->refresh(shop.id);  // its days may have moved
  return shop_response(req, shop, who->role);
}

}  // namespace

void add_shop_info_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/shop", [&ctx](Request& r) { return get_shop(r, ctx); });
  router.add("PATCH", "/api/shop", [&ctx](Request& r) { return patch_shop(r, ctx); });
}

}  // namespace shelfsync
