#pragma once
// The shop's figures (SPEC §5) kept as numbers per time bucket, so that a
// period's figures are a sum over a bounded number of rows instead of a scan
// of its orders. Each stored document contributes a few rows; a write adds
// (new contribution − previous contribution) in its own transaction. The
// store only adds these numbers up; this file says what they mean.
//
// Buckets: 15-minute UTC quarters for order totals (every shop-local day of
// every IANA zone, DST days included, is a whole number of them), UTC days
// as well for per-product rows (a long period sums day rows plus the quarter
// rows of at most two partial days), the exact due instant for open bills
// (overdue = a range sum up to now).

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/time.hpp"

namespace shelfsync {

inline constexpr std::size_t kFigureWidth = 5;
using FigureValues = std::array<std::int64_t, kFigureWidth>;

// Numbers added to the figure row (series, bucket, key) of a tenant.
struct FigureDelta {
  std::string series;
  std::int64_t bucket = 0;
  std::string key;
  FigureValues values{};
  bool operator==(const FigureDelta&) const = default;
};

// The series and the meaning of their values.
namespace series {
// bucket: quarter of the order's placing; [orders, revenue, items_sold, cancelled]
inline constexpr std::string_view kOrders = "orders";
// key: product id; [qty, revenue] of not-cancelled orders; bucket: quarter / UTC day
inline constexpr std::string_view kProductQuarters = "product_q";
inline constexpr std::string_view kProductDays = "product_d";
// bucket: due_at (ms) or kNoDue; [count, open amount] of unpaid and partially paid bills
inline constexpr std::string_view kOpenBills = "bills_open";
// bucket 0; [products, active, low_stock, sold_out, on_sale] of the products not deleted
inline constexpr std::string_view kStock = "stock";
}  // namespace series

inline constexpr Millis kQuarterMs = Millis{15} * 60 * 1000;
inline constexpr Millis kDayMs = Millis{24} * 60 * 60 * 1000;
inline constexpr std::int64_t kNoDue = std::numeric_limits<std::int64_t>::max();

// The bucket holding instant `ms` (floor, also before 1970).
std::int64_t quarter_of(Millis ms);
std::int64_t day_of(Millis ms);

// What one stored version of a record of `entity` adds to the figures;
// `at` is the version's updated_at (whether a product is on sale depends on
// the clock, and the sale timer writes a version at each transition). Empty
// for entities without figures.
std::vector<FigureDelta> figure_contributions(std::string_view entity, const boost::json::object& doc, Millis at);

// after − before, one row per (series, bucket, key), rows that net to zero
// dropped. `before` null: a new record (or one coming back from a tombstone);
// `after` null: a delete.
std::vector<FigureDelta> figure_changes(std::string_view entity, const boost::json::object* before, Millis before_at,
                                        const boost::json::object* after, Millis after_at);

}  // namespace shelfsync
