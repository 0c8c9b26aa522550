#pragma once
// The stock ledger (SPEC §2): every change of a variant's stock appends a
// movement in the same transaction, so a variant's stock always equals the
// sum of its movements; crossings of the stock lines raise alerts (§5).
// Whoever writes a new product version computes the records that go with it
// here and puts them in the same WriteTxn.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/tokens.hpp"
#include "domain/problem.hpp"
#include "domain/product.hpp"
#include "domain/time.hpp"
#include "store/store.hpp"

namespace shelfsync {

class RecordService;

// Why the stock changed, written on every movement of one product write.
struct LedgerContext {
  std::string reason;    // sale | cancel | purchase | adjustment | return | sync
  std::string note;      // optional
  std::string order_id;  // optional
  std::string actor;     // Principal::actor, or "system"
  std::string origin;    // X-Client-Id of the request
  Millis now = 0;
};

struct VariantStockChange {
  std::string variant_id;
  std::optional<std::int64_t> before;  // nullopt: a new variant
  std::int64_t after = 0;              // 0 for a removed variant
  bool removed = false;
};

// Variants whose stock differs between two versions of a product (`before`
// null on create), in the order of `after`, removed variants last.
std::vector<VariantStockChange> variant_stock_changes(const Product* before, const Product& after);

// The movement and alert records for a product write: one movement per
// change, and an alert per crossing of a tracked variant that existed
// before. `product` is the new version (for titles and the threshold).
Result<std::vector<RecordWrite>> stock_effect_writes(const Principal& who, const std::string& product_id,
                                                     const Product& product,
                                                     const std::vector<VariantStockChange>& changes,
                                                     const LedgerContext& ledger);

// Makes every product create and edit through `records` carry its ledger
// entries (reason adjustment, notes "product created" / "product edited" /
// "variant removed").
void install_stock_ledger(RecordService& records);

}  // namespace shelfsync
