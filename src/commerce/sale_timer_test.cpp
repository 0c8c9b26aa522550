// The sale's timed key against the clock: a version written after a sale
// started drops the key the version before it had, and the timer removes a
// passed key even where the stored keys did not list it, so no product is
// found due for ever (which would write a version after version).

#include "commerce/sale_timer.hpp"

#include <filesystem>
#include <memory>
#include <thread>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "catalog/record_writes.hpp"
#include "domain/ids.hpp"
#include "domain/product_collection.hpp"
#include "domain/time.hpp"
#include "store/store.hpp"

namespace shelfsync {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr Millis kHour = Millis{3600} * 1000;

class SaleKeys : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("shelfsync-salekeys-" + random_hex(6));
    fs::create_directories(dir_);
    store_ = open_store("sqlite:" + (dir_ / "t.db").string());
    starts_at_ = now_ms() + kHour;
    const json::object input{
        {"title", "Mug"},
        {"price", 1000},
        {"status", "active"},
        {"sale", json::object{{"kind", "percent"}, {"value", 10}, {"starts_at", format_rfc3339(starts_at_)}}}};
    write([&](WriteTxn& txn) {
      auto w = new_internal_record(products_, "t1", "p1", input, {now_ms(), "USD"}, "test");
      ASSERT_TRUE(w.ok());
      txn.put(*w);
    });
  }
  void TearDown() override {
    set_clock_offset(0);
    store_.reset();
    fs::remove_all(dir_);
  }

  template <class Fn>
  void write(Fn fn) {
    ASSERT_FALSE(store_->write([&](WriteTxn& txn) -> std::optional<Problem> {
      fn(txn);
      return std::nullopt;
    }));
  }
  std::size_t due_at(Millis at) { return store_->timed_keys_up_to("products", sale_next_value(at), 10).size(); }

  const ProductCollection products_{};
  fs::path dir_;
  std::unique_ptr<Store> store_;
  Millis starts_at_ = 0;
};

TEST_F(SaleKeys, AVersionWrittenAfterTheStartDropsThePassedKey) {
  EXPECT_EQ(due_at(starts_at_), 1u) << "the start is the product's next transition";
  set_clock_offset(2 * kHour);  // the sale has started; the timer has not run
  write([&](WriteTxn& txn) {
    const auto current = txn.get("t1", "products", "p1");
    auto doc = json::parse(current->data).as_object();
    const auto previous = doc;
    doc["price"] = 1200;
    txn.put(next_version_write(products_, *current, previous, doc, now_ms(), "test"));
  });
  EXPECT_EQ(due_at(now_ms()), 0u) << "a passed key left behind is due for ever";
}

TEST_F(SaleKeys, TheTimerRemovesAPassedKeyTheStoredKeysDoNotList) {
  // A version written as versions once were: its previous keys recomputed
  // after the start, so the stored start key is left behind.
  set_clock_offset(2 * kHour);
  write([&](WriteTxn& txn) {
    const auto current = txn.get("t1", "products", "p1");
    const auto doc = json::parse(current->data).as_object();
    auto w = next_version_write(products_, *current, doc, doc, now_ms(), "test");
    w.previous_keys = products_.index_keys(doc);
    txn.put(w);
  });
  ASSERT_EQ(due_at(now_ms()), 1u);
  SaleTimer timer(*store_);
  for (int i = 0; i < 500 && timer.fired() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_GE(timer.fired(), 1u);
  EXPECT_EQ(due_at(now_ms()), 0u);
  EXPECT_EQ(store_->get("t1", "products", "p1")->version, 3) << "one transition, written once";
}

// The store keeps a commit listener for ever: a product with a sale written
// after the timer went must not poke the timer's gone thread (a
// use-after-free the ASan build reports; under TSan, a race with the
// destructor when the write is the timer's own).
TEST_F(SaleKeys, ACommitAfterTheTimerWentReachesNothingOfIt) {
  auto timer = std::make_unique<SaleTimer>(*store_);
  timer.reset();
  write([&](WriteTxn& txn) {
    const auto current = txn.get("t1", "products", "p1");
    const auto doc = json::parse(current->data).as_object();
    txn.put(next_version_write(products_, *current, doc, doc, now_ms(), "test"));
  });
  EXPECT_EQ(store_->get("t1", "products", "p1")->version, 2);
}

}  // namespace
}  // namespace shelfsync
