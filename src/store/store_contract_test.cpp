// The storage contract, run against every backend this build has. Each test
// gets a fresh database.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "domain/ids.hpp"
#include "store/store.hpp"

namespace shelfsync {
namespace {

namespace fs = std::filesystem;

class StoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("shelfsync-store-" + random_hex(6));
    fs::create_directories(dir_);
    url_ = "sqlite:" + (dir_ / "test.db").string();
    store_ = open_store(url_);
    for (const char* t : {"t1", "t2"}) {
      ASSERT_FALSE(store_->write([&](WriteTxn& txn) -> std::optional<Problem> {
        txn.put_tenant({t, t, "USD"});
        return std::nullopt;
      }));
    }
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // Writes version `version` of a record; the doc is {"n": version}.
  std::optional<Problem> put(const std::string& tenant, const std::string& id, std::int64_t version,
                             IndexKeys keys = {}, bool deleted = false) {
    return store_->write([=](WriteTxn& txn) -> std::optional<Problem> {
      RecordWrite w;
      w.record = {tenant, "products", id, version, deleted, 1, 2, "{\"n\":" + std::to_string(version) + "}"};
      w.keys = keys;
      w.search_text = "title of " + id;
      w.origin = "test";
      txn.put(w);
      return std::nullopt;
    });
  }

  fs::path dir_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreContract, PutThenGetRoundTrips) {
  ASSERT_FALSE(put("t1", "p1", 1));
  auto r = store_->get("t1", "products", "p1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->data, "{\"n\":1}");
  EXPECT_FALSE(r->deleted);
  EXPECT_FALSE(store_->get("t2", "products", "p1")) << "another tenant must not see it";
  EXPECT_FALSE(store_->get("t1", "categories", "p1"));
}

TEST_F(StoreContract, AProblemRollsBackOnlyThatJobAndItsSeq) {
  ASSERT_FALSE(put("t1", "p1", 1));
  auto problem = store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    RecordWrite w;
    w.record = {"t1", "products", "p2", 1, false, 1, 1, "{}"};
    txn.put(w);
    return Problem::conflict("nope", "rolled back");
  });
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->code, "nope");
  EXPECT_FALSE(store_->get("t1", "products", "p2"));
  ASSERT_FALSE(put("t1", "p3", 1));
  const auto log = store_->changes_after("t1", 0, 100);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].seq, 1);
  EXPECT_EQ(log[1].seq, 2) << "the rolled-back job's seq is reused: no gap";
  EXPECT_EQ(log[1].id, "p3");
}

TEST_F(StoreContract, ListFiltersSearchesAndPagesById) {
  for (int i = 0; i < 10; ++i) {
    const auto id = "p" + std::to_string(i);
    IndexKeys keys{{"status", i % 2 ? "active" : "draft"}, {"tag", "t" + std::to_string(i % 3)}};
    ASSERT_FALSE(put("t1", id, 1, keys));
  }
  ListQuery q{"t1", "products", {{"status", "active"}}, "", "", 3};
  auto page1 = store_->list(q);
  ASSERT_EQ(page1.size(), 3u);
  EXPECT_EQ(page1[0].id, "p1");
  EXPECT_EQ(page1[2].id, "p5");
  q.after_id = page1.back().id;
  auto page2 = store_->list(q);
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_EQ(page2[0].id, "p7");
  EXPECT_EQ(page2[1].id, "p9");

  ListQuery both{"t1", "products", {{"status", "active"}, {"tag", "t0"}}, "", "", 50};
  auto hits = store_->list(both);
  ASSERT_EQ(hits.size(), 2u);  // odd and divisible by 3
  EXPECT_EQ(hits[0].id, "p3");
  EXPECT_EQ(hits[1].id, "p9");

  ListQuery search{"t1", "products", {}, "of p7", "", 50};
  auto found = store_->list(search);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, "p7");
}

TEST_F(StoreContract, KnownPreviousKeysAreReplacedByTheNewOnes) {
  ASSERT_FALSE(put("t1", "p1", 1, {{"status", "draft"}, {"tag", "a"}}));
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    RecordWrite w;
    w.record = {"t1", "products", "p1", 2, false, 1, 3, "{}"};
    w.keys = {{"status", "active"}, {"tag", "a"}};
    w.previous_keys = IndexKeys{{"status", "draft"}, {"tag", "a"}};
    txn.put(w);
    const auto head = txn.head("t1", "products", "p1");
    EXPECT_TRUE(head && head->version == 2 && !head->deleted);
    return std::nullopt;
  }));
  EXPECT_TRUE(store_->list({"t1", "products", {{"status", "draft"}}, "", "", 50}).empty());
  EXPECT_EQ(store_->list({"t1", "products", {{"status", "active"}}, "", "", 50}).size(), 1u);
  EXPECT_EQ(store_->list({"t1", "products", {{"tag", "a"}}, "", "", 50}).size(), 1u);
}

TEST_F(StoreContract, DeletedRecordsLeaveListsButStayAsTombstones) {
  ASSERT_FALSE(put("t1", "p1", 1, {{"status", "active"}}));
  ASSERT_FALSE(put("t1", "p1", 2, {{"status", "active"}}, /*deleted=*/true));
  EXPECT_TRUE(store_->list({"t1", "products", {}, "", "", 50}).empty());
  EXPECT_TRUE(store_->list({"t1", "products", {{"status", "active"}}, "", "", 50}).empty());
  auto r = store_->get("t1", "products", "p1");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->deleted);
  const auto log = store_->changes_after("t1", 0, 10);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_TRUE(log[1].deleted);
  EXPECT_EQ(log[1].version, 2);
}

TEST_F(StoreContract, DataSurvivesReopen) {
  ASSERT_FALSE(put("t1", "p1", 1));
  store_.reset();
  store_ = open_store(url_);
  ASSERT_TRUE(store_->get("t1", "products", "p1"));
  EXPECT_EQ(store_->changes_after("t1", 0, 10).size(), 1u);
  ASSERT_FALSE(put("t1", "p2", 1));
  EXPECT_EQ(store_->changes_after("t1", 1, 10).at(0).seq, 2) << "seq continues after reopen";
}

// SPEC §6: one entry per changed record per commit, seqs strictly increasing
// and gap-free per tenant, under concurrent writers.
TEST_F(StoreContract, ChangeLogIsGapFreeUnderEightConcurrentWriters) {
  constexpr int kWriters = 8;
  constexpr int kWritesEach = 150;
  std::mutex mu;
  std::map<std::string, std::vector<ChangeEntry>> notified;
  store_->add_commit_listener(
      [&](const std::string& tenant, const std::vector<CommittedChange>& changes) {
        std::lock_guard lock(mu);
        for (const auto& c : changes) notified[tenant].push_back(c.entry);
      });

  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      const std::string tenant = w % 2 ? "t1" : "t2";
      for (int i = 0; i < kWritesEach; ++i) {
        // Each write changes two records in one job (one entry each); every
        // tenth job fails and must leave no trace.
        const std::string a = "w" + std::to_string(w) + "_" + std::to_string(i);
        const bool fail = i % 10 == 9;
        auto p = store_->write([&](WriteTxn& txn) -> std::optional<Problem> {
          for (const auto& id : {a + "_x", a + "_y"}) {
            RecordWrite rw;
            rw.record = {tenant, "products", id, 1, false, 1, 1, "{}"};
            rw.origin = a;
            txn.put(rw);
          }
          if (fail) return Problem::conflict("fail", "planned");
          return std::nullopt;
        });
        if (static_cast<bool>(p) != fail) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures, 0);

  const int committed_jobs_per_tenant = kWriters / 2 * (kWritesEach - kWritesEach / 10);
  for (const char* tenant : {"t1", "t2"}) {
    const auto log = store_->changes_after(tenant, 0, 100000);
    ASSERT_EQ(log.size(), static_cast<std::size_t>(committed_jobs_per_tenant * 2)) << tenant;
    std::set<std::string> ids;
    for (std::size_t i = 0; i < log.size(); ++i) {
      EXPECT_EQ(log[i].seq, static_cast<std::int64_t>(i + 1)) << "gap or disorder in " << tenant;
      EXPECT_TRUE(ids.insert(log[i].id).second) << "record logged twice: " << log[i].id;
      EXPECT_EQ(log[i].origin + (log[i].id.ends_with("_x") ? "_x" : "_y"), log[i].id);
    }
    // The two records of one job are adjacent: a job is never split.
    for (std::size_t i = 0; i < log.size(); i += 2) EXPECT_EQ(log[i].origin, log[i + 1].origin);
    std::lock_guard lock(mu);
    const auto& seen = notified[tenant];
    ASSERT_EQ(seen.size(), log.size()) << "listener saw every committed entry once";
    for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i].seq, log[i].seq);
  }
}

TEST_F(StoreContract, ReplayCoalescesByRecordAndPagesWithoutRepeatingAVersion) {
  // p1 v1..v3, p2 v1, p3 v1..v2 (seq 1..6 in this order: p1 p2 p1 p3 p1 p3)
  ASSERT_FALSE(put("t1", "p1", 1));
  ASSERT_FALSE(put("t1", "p2", 1));
  ASSERT_FALSE(put("t1", "p1", 2));
  ASSERT_FALSE(put("t1", "p3", 1));
  ASSERT_FALSE(put("t1", "p1", 3));
  ASSERT_FALSE(put("t1", "p3", 2, {}, /*deleted=*/true));

  auto all = store_->replay("t1", 0, {}, 100);
  EXPECT_EQ(all.head, 6);
  EXPECT_EQ(all.cursor, 6);
  EXPECT_FALSE(all.has_more);
  ASSERT_EQ(all.items.size(), 3u);
  EXPECT_EQ(all.items[0].record.id, "p2");  // ordered by latest change
  EXPECT_EQ(all.items[1].record.id, "p1");
  EXPECT_EQ(all.items[1].record.version, 3);
  EXPECT_TRUE(all.items[1].created_in_window);
  EXPECT_EQ(all.items[2].record.id, "p3");
  EXPECT_TRUE(all.items[2].change.deleted);

  // Two records per page: the page stops before p3 appears; p1 changed again
  // after the consumed log (v3 at seq 5), so it is left for the next page.
  auto first = store_->replay("t1", 0, {}, 2);
  EXPECT_EQ(first.cursor, 3);
  EXPECT_TRUE(first.has_more);
  ASSERT_EQ(first.items.size(), 1u);
  EXPECT_EQ(first.items[0].record.id, "p2");
  auto second = store_->replay("t1", first.cursor, {}, 2);
  EXPECT_EQ(second.cursor, 6);
  ASSERT_EQ(second.items.size(), 2u);
  EXPECT_EQ(second.items[0].record.id, "p1");
  EXPECT_FALSE(second.items[0].created_in_window) << "v1 was before this page's cursor";
  EXPECT_EQ(second.items[1].record.id, "p3");

  auto since = store_->replay("t1", 5, {}, 100);
  ASSERT_EQ(since.items.size(), 1u);
  EXPECT_EQ(since.items[0].record.id, "p3");
  EXPECT_TRUE(store_->replay("t1", 0, {"categories"}, 100).items.empty());
}

TEST_F(StoreContract, SnapshotCarriesTheHeadItIsConsistentWith) {
  ASSERT_FALSE(put("t1", "p1", 1, {{"status", "active"}}));
  ASSERT_FALSE(put("t1", "p2", 1, {{"status", "draft"}}));
  auto snap = store_->snapshot({"t1", "products", {{"status", "active"}}, "", "", 0}, {});
  EXPECT_EQ(snap.head, 2);
  ASSERT_EQ(snap.records.size(), 1u);
  EXPECT_EQ(snap.records[0].id, "p1");
  auto by_id = store_->snapshot({"t1", "products", {}, "", "", 1}, {"p2", "nope"});
  ASSERT_EQ(by_id.records.size(), 1u);
  EXPECT_EQ(by_id.records[0].id, "p2");
}

TEST_F(StoreContract, SnapshotPagesByIdWithTheHeadOfEachPage) {
  for (const auto* id : {"p1", "p2", "p3"}) ASSERT_FALSE(put("t1", id, 1));
  auto first = store_->snapshot({"t1", "products", {}, "", "", 2}, {});
  EXPECT_EQ(first.head, 3);
  ASSERT_EQ(first.records.size(), 2u);
  EXPECT_EQ(first.records[1].id, "p2");
  ASSERT_FALSE(put("t1", "p3", 2));
  auto second = store_->snapshot({"t1", "products", {}, "", "p2", 2}, {});
  EXPECT_EQ(second.head, 4);
  ASSERT_EQ(second.records.size(), 1u);
  EXPECT_EQ(second.records[0].id, "p3");
  EXPECT_EQ(second.records[0].version, 2);
}

TEST_F(StoreContract, PurgeMovesTheHorizonAndSeqsNeverRestart) {
  ASSERT_FALSE(put("t1", "p1", 1));
  ASSERT_FALSE(put("t1", "p1", 2, {}, /*deleted=*/true));
  EXPECT_EQ(store_->horizon("t1"), 0);
  EXPECT_EQ(store_->purge(now_ms() + 1000), 2u);
  EXPECT_EQ(store_->horizon("t1"), 2);
  EXPECT_EQ(store_->head("t1"), 2);
  EXPECT_FALSE(store_->get("t1", "products", "p1")) << "old tombstones go too";
  ASSERT_FALSE(put("t1", "p2", 1));
  EXPECT_EQ(store_->head("t1"), 3) << "seq continues above the horizon";
}

TEST_F(StoreContract, PurgeForgetsOldIdempotencyAnswers) {
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    txn.put_idempotent("t1", "old", {"fp", 201, "{}"});
    return std::nullopt;
  }));
  store_->purge(now_ms() - 60'000);  // older than a minute: this answer stays
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    EXPECT_TRUE(txn.idempotent("t1", "old"));
    return std::nullopt;
  }));
  store_->purge(now_ms() + 1000);
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    EXPECT_FALSE(txn.idempotent("t1", "old"));
    return std::nullopt;
  }));
}

// Jobs of many threads share group commits; those that fail give their
// number back, so the committed numbers are exactly 1..N, each once.
TEST_F(StoreContract, CountersStayGapFreeUnderConcurrentJobsThatFail) {
  constexpr int kThreads = 8, kJobs = 60;
  std::mutex mu;
  std::vector<std::int64_t> committed;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kJobs; ++i) {
        std::int64_t got = 0;
        const bool fail = (t + i) % 5 == 0;
        auto p = store_->write([&](WriteTxn& txn) -> std::optional<Problem> {
          got = txn.next_counter("t1", "order_number");
          if (fail) return Problem::conflict("no", "rolled back");
          return std::nullopt;
        });
        if (!p) {
          std::lock_guard lock(mu);
          committed.push_back(got);
        }
      }
    });
  for (auto& th : threads) th.join();
  std::sort(committed.begin(), committed.end());
  ASSERT_EQ(committed.size(), static_cast<std::size_t>(kThreads * kJobs * 4 / 5));
  for (std::size_t i = 0; i < committed.size(); ++i) EXPECT_EQ(committed[i], static_cast<std::int64_t>(i + 1));
}

TEST_F(StoreContract, CountersIdempotentAnswersAndKeyLookupsLiveInTheTransaction) {
  ASSERT_FALSE(put("t1", "p1", 1, {{"variant_id", "v1"}}));
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    EXPECT_EQ(txn.next_counter("t1", "order_number"), 1);
    EXPECT_EQ(txn.next_counter("t1", "order_number"), 2);
    EXPECT_EQ(txn.next_counter("t2", "order_number"), 1) << "per tenant";
    EXPECT_EQ(txn.find_ids("t1", "products", "variant_id", "v1", 10),
              std::vector<std::string>{"p1"});
    EXPECT_TRUE(txn.find_ids("t2", "products", "variant_id", "v1", 10).empty());
    EXPECT_FALSE(txn.idempotent("t1", "k1"));
    txn.put_idempotent("t1", "k1", {"fp", 201, "{\"ok\":true}"});
    return std::nullopt;
  }));
  // A job that fails takes its counter step back with it.
  EXPECT_TRUE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    txn.next_counter("t1", "order_number");
    return Problem::conflict("no", "rolled back");
  }));
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    EXPECT_EQ(txn.next_counter("t1", "order_number"), 3);
    const auto answer = txn.idempotent("t1", "k1");
    EXPECT_TRUE(answer && answer->status == 201 && answer->fingerprint == "fp");
    EXPECT_FALSE(txn.idempotent("t2", "k1"));
    return std::nullopt;
  }));
}

TEST_F(StoreContract, TimedKeysAreFoundAcrossTenantsInValueOrder) {
  EXPECT_FALSE(store_->first_timed_key("products"));
  ASSERT_FALSE(put("t1", "p1", 1, {{"sale_next", "000000000000300"}}));
  ASSERT_FALSE(put("t2", "p2", 1, {{"sale_next", "000000000000100"}}));
  ASSERT_FALSE(put("t1", "p3", 1, {{"sale_next", "000000000000200"}, {"status", "active"}}));
  EXPECT_EQ(store_->first_timed_key("products"), "000000000000100");
  const auto due = store_->timed_keys_up_to("products", "000000000000250", 10);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].tenant, "t2");
  EXPECT_EQ(due[0].id, "p2");
  EXPECT_EQ(due[1].id, "p3");
  EXPECT_EQ(store_->timed_keys_up_to("products", "000000000000250", 1).size(), 1u);
  // A tombstone has no keys: it is never due.
  ASSERT_FALSE(put("t2", "p2", 2, {}, true));
  EXPECT_EQ(store_->first_timed_key("products"), "000000000000200");
}

}  // namespace
}  // namespace shelfsync
