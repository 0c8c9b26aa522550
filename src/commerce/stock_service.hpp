#pragma once
// Stock changes that are not sales (SPEC §4 "stock"): one variant adjusted
// by a delta or set to a level, and bulk levels by SKU from an external
// system. Each is one WriteFn, writing the product's next version with its
// ledger entries and alerts.
//
// Thread-safe; every call blocks on the store: call from worker threads.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/tokens.hpp"
#include "catalog/idempotency.hpp"
#include "domain/problem.hpp"
#include "store/store.hpp"

namespace shelfsync {

inline constexpr std::size_t kMaxSyncLevels = 1000;

struct StockAdjustment {
  std::string variant_id;
  std::optional<std::int64_t> delta;  // exactly one of delta and set
  std::optional<std::int64_t> set;
  std::string reason = "adjustment";  // purchase | adjustment | return
  std::string note;
  std::string origin;
};

// Decodes {variant_id, delta | set, reason?, note?}; 422 naming each bad member.
Result<StockAdjustment> decode_stock_adjustment(const boost::json::object& body);

struct StockLevel {
  std::string sku;
  std::int64_t stock = 0;
};

// Decodes {levels: [{sku, stock}]} (1–1000 levels, stock 0–10^9).
Result<std::vector<StockLevel>> decode_stock_levels(const boost::json::object& body);

class StockService {
 public:
  explicit StockService(Store& store) : store_(store) {}

  // {product_id, variant_id, stock, movement} (kept for the key, if any);
  // 404 unknown variant; 409 insufficient_stock.
  Result<boost::json::object> adjust(const Principal& who, const StockAdjustment& adjustment,
                                     IdempotentRequest* idempotency);

  // {updated: [...], unchanged: [sku], unknown: [sku]} (kept for the key).
  Result<boost::json::object> sync(const Principal& who, const std::vector<StockLevel>& levels,
                                   const std::string& origin, IdempotentRequest* idempotency);

 private:
  Store& store_;
};

}  // namespace shelfsync
