// Several nodes on one PostgreSQL database: two stores in this process
// stand for two `serve` processes (each its own writer, pool and follower).
// Skipped unless SHELFSYNC_TEST_PG names a server.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "store/postgres/test_database.hpp"
#include "store/store.hpp"

namespace shelfsync {
namespace {

// What one node's commit listeners heard, per tenant.
class Heard {
 public:
  explicit Heard(Store& store) {
    store.add_commit_listener([this](const std::string& tenant, const std::vector<CommittedChange>& changes) {
      std::lock_guard lock(mu_);
      for (const auto& c : changes) log_[tenant].push_back(c);
      cv_.notify_all();
    });
  }
  // Waits until the tenant's last heard seq is `head`.
  std::vector<CommittedChange> until(const std::string& tenant, std::int64_t head) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(30), [&] {
      auto& l = log_[tenant];
      return !l.empty() && l.back().entry.seq >= head;
    });
    return log_[tenant];
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::vector<CommittedChange>> log_;
};

// The next version of record `id`, whose document says which version it is.
std::optional<Problem> bump(WriteTxn& txn, const std::string& tenant, const std::string& id) {
  auto current = txn.get(tenant, "products", id);
  const std::int64_t version = current ? current->version + 1 : 1;
  RecordWrite w;
  w.record = {tenant, "products", id, version, false, 1, 2, "{\"v\":" + std::to_string(version) + "}"};
  txn.put(w);
  return std::nullopt;
}

class Nodes : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!pg::test_server()) GTEST_SKIP() << "SHELFSYNC_TEST_PG is not set";
    db_ = std::make_unique<pg::TestDatabase>();
    a_ = open_store(db_->url());
    b_ = open_store(db_->url());
    for (const char* t : {"t1", "t2"})
      ASSERT_FALSE(a_->write([&](WriteTxn& txn) -> std::optional<Problem> {
        txn.put_tenant({t, t, "USD"});
        return std::nullopt;
      }));
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    db_.reset();
  }

  std::unique_ptr<pg::TestDatabase> db_;
  std::unique_ptr<Store> a_;
  std::unique_ptr<Store> b_;
};

TEST_F(Nodes, EveryNodeHearsEveryCommitOnceInSeqOrderWithItsState) {
  Heard heard_a(*a_);
  Heard heard_b(*b_);
  // Both shops written through both nodes, interleaved, so each node's
  // transactions want both shops' locks: none may fail (no deadlock).
  std::atomic<int> failed{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 6; ++w) {
    Store& node = w % 2 ? *b_ : *a_;
    writers.emplace_back([&node, &failed, w] {
      for (int i = 0; i < 40; ++i) {
        const std::string tenant = (i + w) % 3 ? "t1" : "t2";
        const std::string id = "p" + std::to_string((i * 7 + w) % 9);
        node.write_async([=](WriteTxn& txn) { return bump(txn, tenant, id); },
                         [&failed](const std::optional<Problem>& p) { failed += p ? 1 : 0; });
      }
    });
  }
  for (auto& t : writers) t.join();
  // Every write has committed once a write queued after them on each node has.
  ASSERT_FALSE(a_->write([](WriteTxn& txn) { return bump(txn, "t1", "last"); }));
  ASSERT_FALSE(b_->write([](WriteTxn& txn) { return bump(txn, "t2", "last"); }));
  EXPECT_EQ(failed.load(), 0);

  for (const char* tenant : {"t1", "t2"}) {
    const auto head = a_->head(tenant);
    const auto log = a_->changes_after(tenant, 0, 10000);
    ASSERT_EQ(static_cast<std::int64_t>(log.size()), head);
    for (auto* heard : {&heard_a, &heard_b}) {
      const auto changes = heard->until(tenant, head);
      ASSERT_EQ(changes.size(), log.size()) << tenant;
      std::map<std::string, std::int64_t> versions;
      for (std::size_t i = 0; i < changes.size(); ++i) {
        const auto& c = changes[i];
        EXPECT_EQ(c.entry.seq, static_cast<std::int64_t>(i + 1));  // no gap, no repeat, in order
        EXPECT_EQ(c.entry.id, log[i].id);
        EXPECT_EQ(c.entry.version, log[i].version);
        ASSERT_TRUE(c.data);
        EXPECT_EQ(*c.data, "{\"v\":" + std::to_string(c.entry.version) + "}");  // the state at that change
        EXPECT_GT(c.entry.version, versions[c.entry.id]);
        versions[c.entry.id] = c.entry.version;
      }
    }
  }
}

TEST_F(Nodes, AReadCheckedWriteRacingOnBothNodesHappensOnce) {
  // Both nodes try to take the last unit: the tenant's lock makes the
  // second see the first's write.
  ASSERT_FALSE(a_->write([](WriteTxn& txn) { return bump(txn, "t1", "last_unit"); }));
  std::atomic<int> taken{0};
  std::vector<std::thread> racers;
  for (int r = 0; r < 16; ++r) {
    Store& node = r % 2 ? *b_ : *a_;
    racers.emplace_back([&node, &taken] {
      const auto failed = node.write([&taken](WriteTxn& txn) -> std::optional<Problem> {
        auto current = txn.get("t1", "products", "last_unit");
        if (current->version != 1) return std::nullopt;  // already taken
        ++taken;
        return bump(txn, "t1", "last_unit");
      });
      EXPECT_FALSE(failed);
    });
  }
  for (auto& t : racers) t.join();
  EXPECT_EQ(taken.load(), 1);
  EXPECT_EQ(a_->get("t1", "products", "last_unit")->version, 2);
  EXPECT_EQ(b_->get("t1", "products", "last_unit")->version, 2);
}

TEST_F(Nodes, ANodeStartedLaterHearsOnlyWhatCommitsAfterIt) {
  ASSERT_FALSE(a_->write([](WriteTxn& txn) { return bump(txn, "t1", "before"); }));
  auto c = open_store(db_->url());
  Heard heard_c(*c);
  ASSERT_FALSE(a_->write([](WriteTxn& txn) { return bump(txn, "t1", "after"); }));
  const auto head = a_->head("t1");
  const auto changes = heard_c.until("t1", head);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].entry.id, "after");
  EXPECT_EQ(changes[0].entry.seq, head);
}

}  // namespace
}  // namespace shelfsync
