#include "commerce/stock_service.hpp"

#include <array>
#include <map>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "catalog/record_service.hpp"
#include "commerce/product_edits.hpp"
#include "domain/checkout.hpp"
#include "domain/commerce_collections.hpp"
#include "domain/json_read.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 3> kAdjustReasons = {"purchase", "adjustment", "return"};
constexpr std::size_t kMaxSkuLength = 100;

// The product holding a variant, found by the products' variant_id index.
LoadedProduct* product_of_variant(WriteTxn& txn, ProductEdits& products, const std::string& tenant,
                                  const std::string& variant_id) {
  for (const auto& id : txn.find_ids(tenant, "products", "variant_id", variant_id, 1))
    if (auto* p = products.load(id)) return p;
  return nullptr;
}

// The movement a commit wrote for `variant_id`, as readers see it.
json::value movement_of(const ProductEdits& products, const std::string& variant_id) {
  static const StockMovementCollection movements;
  for (const RecordWrite& w : products.effects()) {
    if (w.record.entity != movements.name()) continue;
    auto doc = json::parse(w.record.data).as_object();
    if (doc["variant_id"] != variant_id.c_str()) continue;
    return render_document(doc, w.record, movements, Projection::admin);
  }
  return nullptr;
}

}  // namespace

Result<StockAdjustment> decode_stock_adjustment(const json::object& body) {
  Errors errors;
  MemberReader r(body, "", errors);
  StockAdjustment out;
  std::optional<std::string> variant_id;
  if (r.require("variant_id")) r.id("variant_id", variant_id);
  r.integer("delta", -kMaxStock, kMaxStock, out.delta);
  r.integer("set", 0, kMaxStock, out.set);
  if (r.has("delta") && r.has("set"))
    errors.add("set", "send either delta or set, not both");
  else if (!r.has("delta") && !r.has("set"))
    errors.add("delta", "required (or send set)");
  if (out.delta && *out.delta == 0) errors.add("delta", "must not be 0");
  std::size_t reason = 1;
  r.one_of("reason", kAdjustReasons, reason);
  out.reason = std::string(kAdjustReasons[reason]);
  r.string("note", 0, 500, out.note);
  r.reject_unknown({"variant_id", "delta", "set", "reason", "note"});
  if (!errors.empty()) return errors.problem();
  out.variant_id = std::move(*variant_id);
  return out;
}

Result<std::vector<StockLevel>> decode_stock_levels(const json::object& body) {
  Errors errors;
  MemberReader r(body, "", errors);
  std::vector<StockLevel> out;
  if (r.require("levels")) {
    if (const json::array* list = r.array("levels", kMaxSyncLevels)) {
      if (list->empty()) errors.add("levels", "must have at least 1 level");
      for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string path = element_path("levels", i);
        if (!(*list)[i].is_object()) {
          errors.add(path, "must be an object");
          continue;
        }
        MemberReader e((*list)[i].get_object(), path, errors);
        StockLevel level;
        const bool has_sku = e.require("sku") && e.string("sku", 1, kMaxSkuLength, level.sku);
        const bool has_stock = e.require("stock") && e.integer("stock", 0, kMaxStock, level.stock);
        e.reject_unknown({"sku", "stock"});
        if (has_sku && has_stock) out.push_back(std::move(level));
      }
    }
  }
  r.reject_unknown({"levels"});
  if (!errors.empty()) return errors.problem();
  return out;
}

Result<json::object> StockService::adjust(const Principal& who, const StockAdjustment& a,
                                          IdempotentRequest* idempotency) {
  return write_answer(store_, idempotency,
                      [&](WriteTxn& txn, std::optional<json::object>& out) -> std::optional<Problem> {
                        ProductEdits products(txn, who.tenant);
                        LoadedProduct* p = product_of_variant(txn, products, who.tenant, a.variant_id);
                        const Variant* v = p ? find_variant(p->current, a.variant_id) : nullptr;
                        if (!v) return Problem::not_found("variant '" + a.variant_id + "' does not exist");
                        const std::int64_t before = v->stock;
                        const std::int64_t after = a.set ? *a.set : before + *a.delta;
                        if (after < -kMaxStock || after > kMaxStock)
                          return Problem::validation({{"delta", "the stock would leave ±10^9"}});
                        // The product codec allows a negative stock only with backorder (tracked or
                        // not), so the ledger may not make one either.
                        if (after < 0 && !p->current.allow_backorder) {
                          Problem problem = Problem::of(ErrorCode::insufficient_stock,
                                                        "variant '" + a.variant_id + "' has " + std::to_string(before) +
                                                            " in stock; it cannot go below zero (no backorder)");
                          problem.extensions["actual"] = before;
                          return problem;
                        }
                        const std::string product_id = p->record.id;
                        json::value movement = nullptr;
                        if (after != before) {
                          products.set_stock(*p, a.variant_id, after);
                          const LedgerContext ledger{a.reason, a.note, "", who.actor, a.origin, now_ms()};
                          if (auto problem = products.commit(who, ledger)) return problem;
                          movement = movement_of(products, a.variant_id);
                        }
                        out = json::object{{"product_id", product_id},
                                           {"variant_id", a.variant_id},
                                           {"stock", after},
                                           {"movement", std::move(movement)}};
                        return std::nullopt;
                      });
}

Result<json::object> StockService::sync(const Principal& who, const std::vector<StockLevel>& levels,
                                        const std::string& origin, IdempotentRequest* idempotency) {
  return write_answer(
      store_, idempotency, [&](WriteTxn& txn, std::optional<json::object>& out) -> std::optional<Problem> {
        ProductEdits products(txn, who.tenant);
        json::array updated;
        json::array unchanged;
        json::array unknown;
        for (const StockLevel& level : levels) {
          bool found = false;
          bool changed = false;
          for (const auto& id : txn.find_ids(who.tenant, "products", "variant_sku", level.sku, 100)) {
            LoadedProduct* p = products.load(id);
            if (!p) continue;
            for (const Variant& v : std::vector<Variant>(p->current.variants)) {
              if (v.sku != level.sku) continue;
              found = true;
              if (v.stock == level.stock) continue;
              products.set_stock(*p, v.id, level.stock);
              changed = true;
              updated.push_back({{"sku", level.sku},
                                 {"product_id", id},
                                 {"variant_id", v.id},
                                 {"stock", level.stock},
                                 {"delta", level.stock - v.stock}});
            }
          }
          if (!found)
            unknown.push_back(json::string(level.sku));
          else if (!changed)
            unchanged.push_back(json::string(level.sku));
        }
        const LedgerContext ledger{"sync", "", "", who.actor, origin, now_ms()};
        if (auto p = products.commit(who, ledger)) return p;
        out = json::object{
            {"updated", std::move(updated)}, {"unchanged", std::move(unchanged)}, {"unknown", std::move(unknown)}};
        return std::nullopt;
      });
}

}  // namespace shelfsync
