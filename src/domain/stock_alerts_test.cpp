#include "domain/stock_alerts.hpp"

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

TEST(StockAlerts, CrossingsRaiseOneAlert) {
  EXPECT_EQ(stock_alert_kind(10, 5, 5), "low_stock");
  EXPECT_EQ(stock_alert_kind(6, 1, 5), "low_stock");
  EXPECT_EQ(stock_alert_kind(3, 0, 5), "sold_out");
  EXPECT_EQ(stock_alert_kind(10, 0, 5), "sold_out");  // straight past the threshold
  EXPECT_EQ(stock_alert_kind(1, -2, 5), "sold_out");  // backorder
  EXPECT_EQ(stock_alert_kind(0, 3, 5), "back_in_stock");
  EXPECT_EQ(stock_alert_kind(-4, 20, 5), "back_in_stock");
}

TEST(StockAlerts, NoAlertWithoutACrossing) {
  EXPECT_EQ(stock_alert_kind(10, 8, 5), std::nullopt);
  EXPECT_EQ(stock_alert_kind(4, 2, 5), std::nullopt);   // already low
  EXPECT_EQ(stock_alert_kind(0, -1, 5), std::nullopt);  // already sold out
  EXPECT_EQ(stock_alert_kind(2, 6, 5), std::nullopt);   // recovering is not an alert
  EXPECT_EQ(stock_alert_kind(3, 3, 5), std::nullopt);
  EXPECT_EQ(stock_alert_kind(0, 0, 0), std::nullopt);
}

TEST(StockAlerts, ZeroThresholdNeverReportsLowStock) {
  EXPECT_EQ(stock_alert_kind(5, 1, 0), std::nullopt);
  EXPECT_EQ(stock_alert_kind(1, 0, 0), "sold_out");
}

}  // namespace
}  // namespace shelfsync
