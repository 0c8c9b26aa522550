#pragma once
// Stock and sale-counter edits of products inside one store transaction.
// Orders, cancels, stock adjustments and syncs load the products they touch
// once, edit the stored JSON in place (the rest of the document is kept byte
// for byte), and commit each changed product as one new version together
// with its ledger entries and alerts.
//
// Several operations may share one ProductEdits (the orders of one writer
// job): each records its movements with commit_effects(), and the products
// are written once at the end with write_products(), one version for all.
//
// Lives only during a WriteFn; not thread-safe (the writer is one thread).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/tokens.hpp"
#include "commerce/stock_ledger.hpp"
#include "domain/problem.hpp"
#include "domain/product.hpp"
#include "store/store.hpp"

namespace shelfsync {

struct LoadedProduct {
  StoredRecord record;
  boost::json::object stored_doc;  // as last written
  boost::json::object doc;         // with this transaction's edits
  Product before;                  // as of the last commit_effects()
  Product current;                 // kept in step with doc
  bool changed = false;            // edits not yet in the ledger
  bool unwritten = false;          // doc differs from stored_doc
  std::string origin;              // of the edits since the last write; "" if mixed
};

class ProductEdits {
 public:
  ProductEdits(WriteTxn& txn, std::string tenant) : txn_(txn), tenant_(std::move(tenant)) {}

  // The live product, loaded once per transaction; null if missing or deleted.
  LoadedProduct* load(const std::string& product_id);

  // Sets a variant's stock; false if the product has no such variant.
  bool set_stock(LoadedProduct& product, const std::string& variant_id, std::int64_t stock);
  // Counts units sold at the price of the product's sale.
  void add_sale_sold(LoadedProduct& product, std::int64_t units);

  // Writes the movements and alerts of every product's stock changes since
  // the last call; `before` catches up with `current`. A Problem only on a bug.
  std::optional<Problem> commit_effects(const Principal& who, const LedgerContext& ledger);
  // Writes every product edited since the last call as its next version.
  void write_products(Millis now);
  // Both: the usual end of an operation that owns this ProductEdits.
  std::optional<Problem> commit(const Principal& who, const LedgerContext& ledger);

  // The movements and alerts every commit so far wrote.
  const std::vector<RecordWrite>& effects() const { return effects_; }

 private:
  WriteTxn& txn_;
  std::string tenant_;
  std::map<std::string, std::optional<LoadedProduct>, std::less<>> loaded_;
  std::vector<RecordWrite> effects_;
};

}  // namespace shelfsync
