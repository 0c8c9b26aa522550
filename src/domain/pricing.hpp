#pragma once
// Fields computed on read (docs/api.md, "Computed on read"). Pure
// functions of the product and the time, so every reader, the sale timer and
// the tests agree on the price to the millisecond.

#include <cstdint>
#include <optional>
#include <string_view>

#include "domain/product.hpp"
#include "domain/time.hpp"

namespace shelfsync {

enum class StockStatus { in_stock, low_stock, sold_out };

std::string_view to_string(StockStatus status);

// On sale from starts_at inclusive to ends_at exclusive, while sold < stock_limit.
bool sale_active(const Sale& sale, Millis now);
// `base` with the sale applied, whether or not the sale is active; never < 0.
// Percent rounds half up: 999 at 15% off is 849 (849.15), 50 at 1% off is 50 (49.5).
std::int64_t sale_price(std::int64_t base, const Sale& sale);

bool on_sale(const Product& product, Millis now);
std::int64_t price_now(const Product& product, Millis now);
// The variant's own price (or the product's) with an active sale applied.
std::int64_t price_now(const Product& product, const Variant& variant, Millis now);

// Sum of the stock of available variants.
std::int64_t stock_total(const Product& product);
StockStatus stock_status(const Product& product);
// Same thresholds for one variant; an unavailable variant is sold out.
StockStatus stock_status(const Product& product, const Variant& variant);

// The first instant after `now` at which on_sale changes by the clock alone
// (starts_at or ends_at); nullopt if none is ahead.
std::optional<Millis> next_sale_transition(const Product& product, Millis now);

}  // namespace shelfsync
