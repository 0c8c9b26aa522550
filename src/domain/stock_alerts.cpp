#include "domain/stock_alerts.hpp"

namespace shelfsync {

std::optional<std::string_view> stock_alert_kind(std::int64_t before, std::int64_t after,
                                                 std::int64_t low_stock_threshold) {
  if (before == after) return std::nullopt;
  if (after <= 0) return before > 0 ? std::optional<std::string_view>("sold_out") : std::nullopt;
  if (before <= 0) return "back_in_stock";
  if (after <= low_stock_threshold && before > low_stock_threshold) return "low_stock";
  return std::nullopt;
}

}  // namespace shelfsync
