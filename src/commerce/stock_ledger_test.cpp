#include "commerce/stock_ledger.hpp"

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

Product with_variants(std::initializer_list<std::pair<const char*, std::int64_t>> stocks) {
  Product p;
  p.title = "Tee";
  for (const auto& [id, stock] : stocks) {
    Variant v;
    v.id = id;
    v.stock = stock;
    p.variants.push_back(v);
  }
  return p;
}

TEST(VariantStockChanges, CreateMovesEveryStockedVariant) {
  const auto after = with_variants({{"a", 3}, {"b", 0}});
  const auto changes = variant_stock_changes(nullptr, after);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].variant_id, "a");
  EXPECT_FALSE(changes[0].before);
  EXPECT_EQ(changes[0].after, 3);
}

TEST(VariantStockChanges, EditMovesChangedAddedAndRemovedVariants) {
  const auto before = with_variants({{"a", 3}, {"b", 2}, {"gone", 4}, {"empty", 0}});
  const auto after = with_variants({{"a", 3}, {"b", -1}, {"new", 6}});
  const auto changes = variant_stock_changes(&before, after);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].variant_id, "b");
  EXPECT_EQ(changes[0].before, 2);
  EXPECT_EQ(changes[0].after, -1);
  EXPECT_EQ(changes[1].variant_id, "new");
  EXPECT_EQ(changes[1].after, 6);
  EXPECT_EQ(changes[2].variant_id, "gone");
  EXPECT_TRUE(changes[2].removed);
  EXPECT_EQ(changes[2].before, 4);
  EXPECT_EQ(changes[2].after, 0);
}

TEST(StockEffectWrites, MovementsSumToTheStockAndCrossingsRaiseAlerts) {
  const auto before = with_variants({{"a", 6}, {"b", 1}});
  auto after = with_variants({{"a", 4}, {"b", 0}});
  after.low_stock_threshold = 5;
  const Principal who{"t1", "USD", Role::staff, {}, "staff:0123abcd"};
  const LedgerContext ledger{"sale", "", "ord_1", who.actor, "till-1", 1'700'000'000'000};
  auto writes = stock_effect_writes(who, "prod_1", after, variant_stock_changes(&before, after), ledger);
  ASSERT_TRUE(writes.ok()) << writes.problem().detail;
  std::vector<std::string> entities;
  for (const auto& w : *writes) {
    entities.push_back(w.record.entity);
    EXPECT_EQ(w.record.tenant, "t1");
    EXPECT_EQ(w.origin, "till-1");
  }
  EXPECT_EQ(entities, (std::vector<std::string>{"stock_movements", "alerts", "stock_movements", "alerts"}));
  EXPECT_NE((*writes)[0].record.data.find(R"("delta":-2)"), std::string::npos);
  EXPECT_NE((*writes)[0].record.data.find(R"("stock_after":4)"), std::string::npos);
  EXPECT_NE((*writes)[0].record.data.find(R"("actor":"staff:0123abcd")"), std::string::npos);
  EXPECT_NE((*writes)[1].record.data.find(R"("kind":"low_stock")"), std::string::npos);
  EXPECT_NE((*writes)[3].record.data.find(R"("kind":"sold_out")"), std::string::npos);

  after.track_inventory = false;  // untracked stock is still ledgered, never alerted
  writes = stock_effect_writes(who, "prod_1", after, variant_stock_changes(&before, after), ledger);
  ASSERT_TRUE(writes.ok());
  EXPECT_EQ(writes->size(), 2u);
}

}  // namespace
}  // namespace shelfsync
