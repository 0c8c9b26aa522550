#include "commerce/product_edits.hpp"

#include <boost/json/parse.hpp>

#include "catalog/record_writes.hpp"
#include "domain/product_collection.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

const ProductCollection kProducts;

}  // namespace

LoadedProduct* ProductEdits::load(const std::string& product_id) {
  auto it = loaded_.find(product_id);
  if (it == loaded_.end()) {
    std::optional<LoadedProduct> entry;
    auto record = txn_.get(tenant_, "products", product_id);
    if (record && !record->deleted) {
      auto parsed = json::parse(record->data);
      if (parsed.is_object()) {
        LoadedProduct p;
        p.record = std::move(*record);
        p.stored_doc = std::move(parsed.as_object());
        p.doc = p.stored_doc;
        p.before = read_pricing_fields(p.stored_doc);
        p.current = p.before;
        entry = std::move(p);
      }
    }
    it = loaded_.emplace(product_id, std::move(entry)).first;
  }
  return it->second ? &*it->second : nullptr;
}

bool ProductEdits::set_stock(LoadedProduct& product, const std::string& variant_id, std::int64_t stock) {
  json::value* variants = product.doc.if_contains("variants");
  if (!variants || !variants->is_array()) return false;
  auto& list = variants->as_array();
  for (std::size_t i = 0; i < list.size() && i < product.current.variants.size(); ++i) {
    Variant& v = product.current.variants[i];
    if (v.id != variant_id || !list[i].is_object()) continue;
    if (v.stock == stock) return true;
    list[i].as_object()["stock"] = stock;
    v.stock = stock;
    product.changed = true;
    return true;
  }
  return false;
}

void ProductEdits::add_sale_sold(LoadedProduct& product, std::int64_t units) {
  json::value* sale = product.doc.if_contains("sale");
  if (!sale || !sale->is_object() || !product.current.sale || units == 0) return;
  product.current.sale->sold += units;
  sale->as_object()["sold"] = product.current.sale->sold;
  product.changed = true;
}

std::optional<Problem> ProductEdits::commit_effects(const Principal& who, const LedgerContext& ledger) {
  for (auto& [id, entry] : loaded_) {
    if (!entry || !entry->changed) continue;
    LoadedProduct& p = *entry;
    const auto changes = variant_stock_changes(&p.before, p.current);
    auto effects = stock_effect_writes(who, id, p.current, changes, ledger);
    if (!effects) return effects.problem();
    for (auto& w : *effects) {
      txn_.put(w);
      effects_.push_back(std::move(w));
    }
    p.origin = !p.unwritten || p.origin == ledger.origin ? ledger.origin : std::string();
    p.before = p.current;
    p.changed = false;
    p.unwritten = true;
  }
  return std::nullopt;
}

void ProductEdits::write_products(Millis now) {
  for (auto& [id, entry] : loaded_) {
    if (!entry || !entry->unwritten) continue;
    LoadedProduct& p = *entry;
    auto write = next_version_write(kProducts, p.record, p.stored_doc, p.doc, now, p.origin);
    txn_.put(write);
    // Later edits in the same transaction start from what was just written.
    p.record = std::move(write.record);
    p.stored_doc = p.doc;
    p.unwritten = false;
  }
}

std::optional<Problem> ProductEdits::commit(const Principal& who, const LedgerContext& ledger) {
  if (auto problem = commit_effects(who, ledger)) return problem;
  write_products(ledger.now);
  return std::nullopt;
}

}  // namespace shelfsync
