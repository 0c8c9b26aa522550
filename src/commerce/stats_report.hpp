#pragma once
// The shop's figures for a period of local days (SPEC §5 "Figures"): the
// object GET /api/stats answers and the `stats` live records carry. Read
// from the figure sums the writes keep (domain/figures.hpp): its cost grows
// with the days of the period and the products sold in it, never with the
// number of orders.

#include <cstddef>
#include <string>

#include <boost/json/object.hpp>

#include "domain/time_zone.hpp"
#include "store/store.hpp"

namespace shelfsync {

inline constexpr std::size_t kTopProducts = 10;
inline constexpr std::int64_t kMaxStatsDays = 366;

struct StatsPeriod {
  CivilDay first = 0;  // local dates, inclusive
  CivilDay last = 0;
  std::string zone;  // a known IANA zone
};

// {orders, revenue, average_order, items_sold, cancelled, by_day, top_products,
// stock, bills}; `now` decides which open bills are overdue (due_at <= now).
boost::json::object stats_report(Store& store, const std::string& tenant, const StatsPeriod& period, Millis now);

// The first instant after `now` at which the figures of a period ending
// today change by the clock alone: the shop's next midnight, or an open
// bill falling due.
Millis next_stats_change(Store& store, const std::string& tenant, std::string_view zone, Millis now);

}  // namespace shelfsync
