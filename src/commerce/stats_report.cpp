#include "commerce/stats_report.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "domain/figures.hpp"
#include "domain/json_util.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

using Group = FigureQuery::Group;
constexpr std::int64_t kQuartersPerDay = kDayMs / kQuarterMs;
constexpr std::int64_t kEver = std::numeric_limits<std::int64_t>::min();

// The first quarter that starts at or after `ms`: local days begin on
// quarter boundaries in every zone in use today, and rounding up keeps the
// quarters of consecutive days apart whatever the offset.
std::int64_t quarter_from(Millis ms) { return quarter_of(ms + kQuarterMs - 1); }

struct ProductSum {
  std::int64_t qty = 0;
  std::int64_t revenue = 0;
};

std::int64_t rounded_average(std::int64_t total, std::int64_t count) {
  if (count == 0) return 0;
  const auto twice = 2 * total + (total >= 0 ? count : -count);
  return twice / (2 * count);  // half away from zero
}

std::string product_title(Store& store, const std::string& tenant, const std::string& id) {
  const auto record = store.get(tenant, "products", id);
  if (!record) return {};
  const auto doc = json::parse(record->data);
  return doc.is_object() ? std::string(string_or_empty(doc.as_object(), "title")) : std::string();
}

}  // namespace

json::object stats_report(Store& store, const std::string& tenant, const StatsPeriod& period, Millis now) {
  // Quarter q_i starts local day first + i; the period is [q_0, q_n).
  std::vector<std::int64_t> starts;
  for (CivilDay d = period.first; d <= period.last + 1; ++d)
    starts.push_back(quarter_from(local_day_start(period.zone, d)));
  const auto begin = starts.front();
  const auto end = starts.back();
  // Whole UTC days inside the period come from day rows, the rest from quarters.
  const auto first_day = (begin + kQuartersPerDay - 1) / kQuartersPerDay;
  const auto end_day = end / kQuartersPerDay;
  std::vector<FigureQuery> queries = {
      {std::string(series::kOrders), begin, end - 1, Group::by_bucket},
      {std::string(series::kStock), 0, 0, Group::total},
      {std::string(series::kOpenBills), kEver, kNoDue, Group::total},
      {std::string(series::kOpenBills), kEver, now, Group::total},
  };
  if (first_day < end_day) {
    queries.push_back({std::string(series::kProductDays), first_day, end_day - 1, Group::by_key});
    queries.push_back({std::string(series::kProductQuarters), begin, first_day * kQuartersPerDay - 1, Group::by_key});
    queries.push_back({std::string(series::kProductQuarters), end_day * kQuartersPerDay, end - 1, Group::by_key});
  } else {
    queries.push_back({std::string(series::kProductQuarters), begin, end - 1, Group::by_key});
  }
  const auto sums = store.figures(tenant, queries);

  json::array by_day;
  std::int64_t orders = 0, revenue = 0, items = 0, cancelled = 0;
  std::size_t row = 0;
  const auto& quarters = sums[0];
  for (std::size_t i = 0; i + 1 < starts.size(); ++i) {
    std::int64_t day_orders = 0, day_revenue = 0;
    for (; row < quarters.size() && quarters[row].bucket < starts[i + 1]; ++row) {
      const auto& v = quarters[row].values;
      day_orders += v[0];
      day_revenue += v[1];
      items += v[2];
      cancelled += v[3];
    }
    orders += day_orders;
    revenue += day_revenue;
    by_day.push_back(json::object{{"date", format_civil_day(period.first + static_cast<CivilDay>(i))},
                                  {"orders", day_orders},
                                  {"revenue", day_revenue}});
  }

  std::map<std::string, ProductSum> products;
  for (std::size_t q = 4; q < sums.size(); ++q)
    for (const auto& s : sums[q]) {
      auto& p = products[s.key];
      p.qty += s.values[0];
      p.revenue += s.values[1];
    }
  std::vector<std::pair<std::string, ProductSum>> ranked(products.begin(), products.end());
  std::erase_if(ranked, [](const auto& p) { return p.second.qty <= 0; });
  const auto top = std::min(ranked.size(), kTopProducts);
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(top), ranked.end(),
                    [](const auto& a, const auto& b) {
                      if (a.second.qty != b.second.qty) return a.second.qty > b.second.qty;
                      if (a.second.revenue != b.second.revenue) return a.second.revenue > b.second.revenue;
                      return a.first < b.first;
                    });
  json::array top_products;
  for (std::size_t i = 0; i < top; ++i)
    top_products.push_back(json::object{{"product_id", ranked[i].first},
                                        {"title", product_title(store, tenant, ranked[i].first)},
                                        {"qty", ranked[i].second.qty},
                                        {"revenue", ranked[i].second.revenue}});

  const auto& stock = sums[1][0].values;
  const auto& open = sums[2][0].values;
  const auto& overdue = sums[3][0].values;
  return json::object{
      {"orders", orders},
      {"revenue", revenue},
      {"average_order", rounded_average(revenue, orders)},
      {"items_sold", items},
      {"cancelled", cancelled},
      {"by_day", std::move(by_day)},
      {"top_products", std::move(top_products)},
      {"stock", json::object{{"products", stock[0]},
                             {"active", stock[1]},
                             {"low_stock", stock[2]},
                             {"sold_out", stock[3]},
                             {"on_sale", stock[4]}}},
      {"bills", json::object{{"unpaid_count", open[0]},
                             {"unpaid_amount", open[1]},
                             {"overdue_count", overdue[0]},
                             {"overdue_amount", overdue[1]}}},
  };
}

Millis next_stats_change(Store& store, const std::string& tenant, std::string_view zone, Millis now) {
  const auto midnight = local_day_start(zone, local_day_of(zone, now) + 1);
  const auto due = store.figures(tenant, {{std::string(series::kOpenBills), now + 1, kNoDue - 1, Group::by_bucket, 1}});
  if (!due[0].empty()) return std::min(midnight, due[0][0].bucket);
  return midnight;
}

}  // namespace shelfsync
