#pragma once
// Which alert a stock change raises (SPEC §5: crossing the low-stock
// threshold, selling out, coming back in stock). Pure, so the ledger code
// and its tests agree on the lines.

#include <cstdint>
#include <optional>
#include <string_view>

namespace shelfsync {

// "low_stock" when the stock enters 1..threshold from above it, "sold_out"
// when it reaches ≤ 0 from above 0, "back_in_stock" when it rises above 0
// from ≤ 0; nullopt otherwise (also for an unchanged stock).
std::optional<std::string_view> stock_alert_kind(std::int64_t before, std::int64_t after,
                                                 std::int64_t low_stock_threshold);

}  // namespace shelfsync
