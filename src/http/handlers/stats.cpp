// GET /api/stats?from=&to=&tz= (SPEC §5 "Figures"): the shop's figures for
// local dates from..to (inclusive, YYYY-MM-DD) in the shop's time zone or
// `tz`; both default to today there, `from` to `to`. Admin, staff, service.

#include "auth/access.hpp"
#include "commerce/stats_publisher.hpp"
#include "commerce/stats_report.hpp"
#include "domain/time_zone.hpp"
#include "http/handlers/common.hpp"
#include "http/problem_response.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

Problem bad_query(std::string detail) { return Problem::of(ErrorCode::bad_query, std::move(detail)); }

Result<StatsPeriod> parse_period(const Request& req, const Tenant& shop, Millis now) {
  std::optional<std::string> from, to, tz;
  for (const auto& [key, value] : req.query) {
    if (key == "access_token") continue;
    if (key == "from")
      from = value;
    else if (key == "to")
      to = value;
    else if (key == "tz")
      tz = value;
    else
      return bad_query("unknown query parameter '" + key.substr(0, 60) + "' (allowed: from, to, tz)");
  }
  StatsPeriod period{0, 0, tz ? *tz : shop.time_zone};
  if (tz && !is_known_time_zone(*tz))
    return bad_query("tz must be an IANA time zone such as Europe/Berlin (got '" + tz->substr(0, 64) + "')");
  const auto day = [](const std::optional<std::string>& text, std::string_view field,
                      CivilDay fallback) -> Result<CivilDay> {
    if (!text) return fallback;
    if (auto d = parse_civil_day(*text)) return *d;
    return bad_query(std::string(field) + " must be a date YYYY-MM-DD (got '" + text->substr(0, 20) + "')");
  };
  auto last = day(to, "to", local_day_of(period.zone, now));
  if (!last) return last.problem();
  auto first = day(from, "from", *last);
  if (!first) return first.problem();
  if (*first > *last) return bad_query("from must not be after to");
  if (*last - *first + 1 > kMaxStatsDays)
    return bad_query("from..to spans more than " + std::to_string(kMaxStatsDays) + " days");
  period.first = *first;
  period.last = *last;
  return period;
}

Response get_stats(Request& req, ApiContext& ctx) {
  auto who = authenticate_request(req, ctx);
  if (!who) return problem_response(who.problem());
  if (!may_read(who->role, "stats"))
    return problem_response(
        Problem::forbidden("a " + std::string(to_string(who->role)) + " token may not read the figures"));
  const auto shop = ctx.store.tenant(who->tenant);
  if (!shop) return problem_response(Problem::not_found("the token's shop no longer exists"));
  const Millis now = now_ms();
  auto period = parse_period(req, *shop, now);
  if (!period) return problem_response(period.problem());
  if (ctx.stats) ctx.stats->follow(who->tenant);  // a dashboard will want them live next
  auto r = Response::json(200, stats_report(ctx.store, who->tenant, *period, now));
  r.set_header("Cache-Control", cache_policy(DataKind::private_data));
  return r;
}

}  // namespace

void add_stats_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/stats", [&ctx](Request& r) { return get_stats(r, ctx); });
}

}  // namespace shelfsync
