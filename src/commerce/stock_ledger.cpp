#include "commerce/stock_ledger.hpp"

#include <boost/json/object.hpp>

#include "catalog/record_service.hpp"
#include "catalog/record_writes.hpp"
#include "domain/checkout.hpp"
#include "domain/commerce_collections.hpp"
#include "domain/ids.hpp"
#include "domain/stock_alerts.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

const StockMovementCollection kMovements;
const AlertCollection kAlerts;

const Variant* variant_by_id(const Product& product, const std::string& id) {
  for (const Variant& v : product.variants)
    if (v.id == id) return &v;
  return nullptr;
}

std::string alert_message(std::string_view kind, const std::string& title, std::int64_t stock) {
  if (kind == "sold_out") return title + " is sold out";
  if (kind == "back_in_stock") return title + " is back in stock (" + std::to_string(stock) + ")";
  return title + " is low on stock (" + std::to_string(stock) + " left)";
}

// The ledger entry of one variant's change.
StockMovement movement_of(const std::string& product_id, const VariantStockChange& change, MovementReason reason,
                          const LedgerContext& ledger, const std::string& note) {
  StockMovement m;
  m.product_id = product_id;
  m.variant_id = change.variant_id;
  m.delta = change.after - change.before.value_or(0);
  m.reason = reason;
  if (!ledger.order_id.empty()) m.order_id = ledger.order_id;
  if (!note.empty()) m.note = note;
  m.stock_after = change.after;
  m.at = ledger.now;
  m.actor = actor_or_system(ledger.actor);
  return m;
}

}  // namespace

std::vector<VariantStockChange> variant_stock_changes(const Product* before, const Product& after) {
  std::vector<VariantStockChange> out;
  for (const Variant& v : after.variants) {
    const Variant* old = before ? variant_by_id(*before, v.id) : nullptr;
    if (old && old->stock == v.stock) continue;
    if (!old && v.stock == 0) continue;  // a new variant without stock moves nothing
    out.push_back({v.id, old ? std::optional(old->stock) : std::nullopt, v.stock, false});
  }
  if (before)
    for (const Variant& v : before->variants)
      if (!variant_by_id(after, v.id) && v.stock != 0) out.push_back({v.id, v.stock, 0, true});
  return out;
}

Result<std::vector<RecordWrite>> stock_effect_writes(const Principal& who, const std::string& product_id,
                                                     const Product& product,
                                                     const std::vector<VariantStockChange>& changes,
                                                     const LedgerContext& ledger) {
  std::vector<RecordWrite> out;
  if (changes.empty()) return out;
  const auto reason = parse_movement_reason(ledger.reason);
  if (!reason) return Problem::internal("a stock movement for the unknown reason '" + ledger.reason + "'");
  const NormalizeContext ctx{ledger.now, who.currency};
  for (const VariantStockChange& change : changes) {
    const std::string note = change.removed ? std::string("variant removed") : ledger.note;
    auto movement = new_internal_record(kMovements, who.tenant, new_id(kMovements.id_prefix()),
                                        encode_stock_movement(movement_of(product_id, change, *reason, ledger, note)),
                                        ctx, ledger.origin);
    if (!movement) return movement.problem();
    out.push_back(std::move(*movement));

    const Variant* variant = variant_by_id(product, change.variant_id);
    if (!variant || !change.before || !product.track_inventory) continue;
    const auto kind = stock_alert_kind(*change.before, change.after, product.low_stock_threshold);
    if (!kind) continue;
    const std::string title = line_title(product, *variant);
    json::object alert{{"kind", *kind},
                       {"product_id", product_id},
                       {"variant_id", change.variant_id},
                       {"stock", change.after},
                       {"message", alert_message(*kind, title, change.after)}};
    auto written = new_internal_record(kAlerts, who.tenant, new_id(kAlerts.id_prefix()), alert, ctx, ledger.origin);
    if (!written) return written.problem();
    out.push_back(std::move(*written));
  }
  return out;
}

void install_stock_ledger(RecordService& records) {
  records.add_side_writes(
      "products",
      [](const Principal& who, const RecordWrite& written, const json::object* before, const json::object& after,
         Millis now) -> Result<std::vector<RecordWrite>> {
        const Product after_product = read_pricing_fields(after);
        std::optional<Product> before_product;
        if (before) before_product = read_pricing_fields(*before);
        const auto changes = variant_stock_changes(before_product ? &*before_product : nullptr, after_product);
        if (changes.empty()) return std::vector<RecordWrite>{};
        LedgerContext ledger{"adjustment", before ? "product edited" : "product created", "", who.actor, written.origin,
                             now};
        return stock_effect_writes(who, written.record.id, after_product, changes, ledger);
      });
}

}  // namespace shelfsync
