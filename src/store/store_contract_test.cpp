// The storage contract, run against every backend: SQLite always, and
// PostgreSQL when SHELFSYNC_TEST_PG names a server (a URL such as
// postgres://postgres@127.0.0.1:5432/postgres; scripts/pg-sandbox.sh starts
// one). Each test gets a fresh database.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "domain/ids.hpp"
#include "store/postgres/test_database.hpp"
#include "store/store.hpp"

namespace shelfsync {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> backends() {
  std::vector<std::string> out{"sqlite"};
  if (pg::test_server()) out.push_back("postgres");
  return out;
}

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("shelfsync-store-" + random_hex(6));
    fs::create_directories(dir_);
    if (GetParam() == "postgres") {
      database_ = std::make_unique<pg::TestDatabase>();
      url_ = database_->url();
    } else {
      url_ = "sqlite:" + (dir_ / "test.db").string();
    }
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
    database_.reset();
    fs::remove_all(dir_);
  }

  // Writes version `version` of a record; the doc is {"n": version}.
  std::optional<Problem> put(const std::string& tenant, const std::string& id, std::int64_t version,
                             const IndexKeys& keys = {}, bool deleted = false) {
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

  // Writes a live (or deleted) record whose search text is `text`.
  std::optional<Problem> put_text(const std::string& tenant, const std::string& id, std::int64_t version,
                                  const std::string& text, const IndexKeys& keys = {}, bool deleted = false) {
    return store_->write([=](WriteTxn& txn) -> std::optional<Problem> {
      RecordWrite w;
      w.record = {tenant, "products", id, version, deleted, 1, 2, "{}"};
      w.keys = keys;
      w.search_text = text;
      txn.put(w);
      return std::nullopt;
    });
  }

  std::vector<std::string> search(const std::string& q, const IndexKeys& filters = {}, const std::string& after = "",
                                  std::size_t limit = 50, const std::string& tenant = "t1") {
    std::vector<std::string> ids;
    for (const auto& r : store_->list({tenant, "products", filters, q, after, limit}).records) ids.push_back(r.id);
    return ids;
  }

  fs::path dir_;
  std::string url_;
  std::unique_ptr<pg::TestDatabase> database_;  // PostgreSQL: this test's database
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContract, PutThenGetRoundTrips) {
  ASSERT_FALSE(put("t1", "p1", 1));
  auto r = store_->get("t1", "products", "p1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->data, "{\"n\":1}");
  EXPECT_FALSE(r->deleted);
  EXPECT_FALSE(store_->get("t2", "products", "p1")) << "another tenant must not see it";
  EXPECT_FALSE(store_->get("t1", "categories", "p1"));
}

// One read authenticates a request: the token with its tenant's currency.
TEST_P(StoreContract, ATokenIsReadWithItsTenantsCurrencyAndItsRevocation) {
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    txn.put_tenant({"t3", "Shop three", "EUR"});
    txn.put_token("h-admin", {"t3", Role::admin, "", false});
    txn.put_token("h-cust", {"t1", Role::customer, "cust_1", false});
    return std::nullopt;
  }));
  const auto admin = store_->token("h-admin");
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->tenant, "t3");
  EXPECT_EQ(admin->role, Role::admin);
  EXPECT_EQ(admin->currency, "EUR");
  EXPECT_FALSE(admin->revoked);
  const auto cust = store_->token("h-cust");
  ASSERT_TRUE(cust);
  EXPECT_EQ(cust->customer_id, "cust_1");
  EXPECT_EQ(cust->currency, "USD");
  EXPECT_FALSE(store_->token("h-unknown"));
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    EXPECT_TRUE(txn.revoke_token("h-admin"));
    return std::nullopt;
  }));
  EXPECT_TRUE(store_->token("h-admin")->revoked);
}

TEST_P(StoreContract, ATenantKeepsItsTimeZoneUTCUnlessSet) {
  EXPECT_EQ(store_->tenant("t1")->time_zone, "UTC");
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    auto t = txn.tenant("t1");
    EXPECT_TRUE(t);
    t->time_zone = "Asia/Kathmandu";
    t->name = "Shop one";
    txn.put_tenant(*t);
    return std::nullopt;
  }));
  const auto t1 = store_->tenant("t1");
  EXPECT_EQ(t1->time_zone, "Asia/Kathmandu");
  EXPECT_EQ(t1->name, "Shop one");
  EXPECT_EQ(t1->currency, "USD");
  EXPECT_EQ(store_->tenant("t2")->time_zone, "UTC");
}

TEST_P(StoreContract, DigestSumsAddUpPerScopeAndAreReadWithTheHead) {
  const auto v1 = record_digest("products", "p1", 1);
  const auto v2 = record_digest("products", "p1", 2);
  const auto write = [&](std::int64_t version, std::vector<DigestDelta> deltas) {
    ASSERT_FALSE(store_->write([&](WriteTxn& txn) -> std::optional<Problem> {
      RecordWrite w;
      w.record = {"t1", "products", "p1", version, false, 1, 2, "{}"};
      w.digests = std::move(deltas);
      txn.put(w);
      return std::nullopt;
    }));
  };
  write(1, {{"products", "", "", v1}, {"products", "status", "draft", v1}});
  DigestSum moved = v2;
  moved += -v1;
  write(2, {{"products", "", "", moved}, {"products", "status", "active", v2}, {"products", "status", "draft", -v1}});
  const auto read =
      store_->digest("t1", {{"products", "", ""}, {"products", "status", "draft"}, {"categories", "", ""}});
  EXPECT_EQ(read.head, store_->head("t1"));
  EXPECT_EQ(read.sum, v2) << "the draft scope is empty again";
  EXPECT_EQ(store_->digest("t1", {{"products", "status", "active"}}).sum, v2);
  EXPECT_EQ(store_->digest("t2", {{"products", "", ""}}).sum, DigestSum{});
}

TEST_P(StoreContract, ATenantKeepsItsLargeOrderTotal) {
  EXPECT_EQ(store_->tenant("t1")->large_order_total, 0);
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    auto t = txn.tenant("t1");
    EXPECT_TRUE(t);
    t->large_order_total = 25000;
    txn.put_tenant(*t);
    return std::nullopt;
  }));
  EXPECT_EQ(store_->tenant("t1")->large_order_total, 25000);
  EXPECT_EQ(store_->tenant("t2")->large_order_total, 0);
}

TEST_P(StoreContract, WebhooksKeepTheirStateAndTheirNewestAttemptsApartFromTheLog) {
  const auto head = store_->head("t1");
  WebhookRow hook{"t1", "wh_1", R"({"url":"https://a.example/"})", "whsec_x", 1, 10, 10, head, 0, 0, ""};
  ASSERT_FALSE(store_->write([&](WriteTxn& txn) -> std::optional<Problem> {
    txn.put_webhook(hook);
    txn.put_webhook(WebhookRow{"t2", "wh_2", "{}", "whsec_y", 1, 10, 10, 0, 0, 0, ""});
    for (int n = 1; n <= 5; ++n)
      txn.add_webhook_attempt("t1", "wh_1",
                              WebhookAttempt{n, "wh_1_c" + std::to_string(n), n, 1, 1, 500 + n, "", "", 3}, 3);
    return std::nullopt;
  }));
  EXPECT_EQ(store_->head("t1"), head) << "nothing of a webhook goes into the change log";
  ASSERT_EQ(store_->webhooks("t1").size(), 1u);
  EXPECT_EQ(store_->webhooks("t1")[0].settings, hook.settings);
  EXPECT_EQ(store_->webhooks("").size(), 2u);
  const auto attempts = store_->webhook_attempts("t1", "wh_1", 10);
  ASSERT_EQ(attempts.size(), 3u) << "only the newest kept";
  EXPECT_EQ(attempts[0].status, 505);
  EXPECT_EQ(attempts[2].message_id, "wh_1_c3");
  // Delivery moves the cursor and clears the failures; a delete takes the attempts too.
  ASSERT_FALSE(store_->write([&](WriteTxn& txn) -> std::optional<Problem> {
    auto h = txn.webhook("t1", "wh_1");
    EXPECT_TRUE(h);
    h->cursor += 7;
    h->failures = 0;
    txn.put_webhook(*h);
    return std::nullopt;
  }));
  EXPECT_EQ(store_->webhooks("t1")[0].cursor, head + 7);
  ASSERT_FALSE(store_->write([&](WriteTxn& txn) -> std::optional<Problem> {
    EXPECT_TRUE(txn.delete_webhook("t1", "wh_1"));
    EXPECT_FALSE(txn.delete_webhook("t1", "wh_1"));
    return std::nullopt;
  }));
  EXPECT_TRUE(store_->webhooks("t1").empty());
  EXPECT_TRUE(store_->webhook_attempts("t1", "wh_1", 10).empty());
  EXPECT_EQ(store_->webhooks("").size(), 1u);
}

TEST_P(StoreContract, PublishTopicsAreKeptPerShop) {
  EXPECT_TRUE(store_->topics("t1").empty());
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    EXPECT_FALSE(txn.topic("t1", "levels"));
    txn.put_topic(TopicRow{"t1", "levels", 3, 10, 10});
    txn.put_topic(TopicRow{"t2", "levels", 5, 10, 10});
    txn.put_topic(TopicRow{"t1", "levels", 7, 10, 20});  // declared again
    EXPECT_EQ(txn.topic("t1", "levels")->readers, 7);
    return std::nullopt;
  }));
  const auto t1 = store_->topics("t1");
  ASSERT_EQ(t1.size(), 1u);
  EXPECT_EQ(t1[0].readers, 7);
  EXPECT_EQ(t1[0].updated_at, 20);
  EXPECT_EQ(store_->topics("").size(), 2u);
}

TEST_P(StoreContract, AProblemRollsBackOnlyThatJobAndItsSeq) {
  ASSERT_FALSE(put("t1", "p1", 1));
  auto problem = store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    RecordWrite w;
    w.record = {"t1", "products", "p2", 1, false, 1, 1, "{}"};
    txn.put(w);
    return Problem::of(ErrorCode::already_exists, "rolled back");
  });
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->code, ErrorCode::already_exists);
  EXPECT_FALSE(store_->get("t1", "products", "p2"));
  ASSERT_FALSE(put("t1", "p3", 1));
  const auto log = store_->changes_after("t1", 0, 100);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].seq, 1);
  EXPECT_EQ(log[1].seq, 2) << "the rolled-back job's seq is reused: no gap";
  EXPECT_EQ(log[1].id, "p3");
}

TEST_P(StoreContract, AnAsyncWriteCompletesOnTheWriterOnceVisibleAndBeforeItsListeners) {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> events;  // in the order they happened
  store_->add_commit_listener([&](const std::string&, const std::vector<CommittedChange>& changes) {
    std::lock_guard lock(mu);
    for (const auto& c : changes) events.push_back("listener " + c.entry.id);
  });
  const auto caller = std::this_thread::get_id();
  constexpr int kWrites = 200;
  int done = 0;
  for (int i = 0; i < kWrites; ++i) {
    const std::string id = "p" + std::to_string(i);
    store_->write_async(
        [id, i](WriteTxn& txn) -> std::optional<Problem> {
          if (i % 10 == 9) return Problem::of(ErrorCode::already_exists, "rolled back");
          RecordWrite w;
          w.record = {"t1", "products", id, 1, false, 1, 1, "{}"};
          txn.put(w);
          return std::nullopt;
        },
        [&, id, i](std::optional<Problem> problem) {
          // Runs on the writer; the store is read from here as a caller would.
          const bool visible = store_->get("t1", "products", id).has_value();
          std::lock_guard lock(mu);
          EXPECT_NE(std::this_thread::get_id(), caller);
          if (i % 10 == 9) {
            EXPECT_TRUE(problem && problem->code == ErrorCode::already_exists);
            EXPECT_FALSE(visible);
          } else {
            EXPECT_FALSE(problem);
            EXPECT_TRUE(visible) << id << " is committed before its completion runs";
          }
          events.push_back("done " + id);
          ++done;
          cv.notify_all();
        });
  }
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return done == kWrites; }));
  lock.unlock();
  store_.reset();  // joins the writer: every listener has run
  int completed = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!events[i].starts_with("listener ")) {
      ++completed;
      continue;
    }
    const auto id = events[i].substr(9);
    const auto own = std::find(events.begin(), events.end(), "done " + id);
    EXPECT_LT(own - events.begin(), static_cast<std::ptrdiff_t>(i)) << id << " was answered before it was published";
  }
  EXPECT_EQ(completed, kWrites);
  EXPECT_EQ(events.size(), static_cast<std::size_t>(kWrites + kWrites - kWrites / 10));
}

TEST_P(StoreContract, ListFiltersSearchesAndPagesById) {
  for (int i = 0; i < 10; ++i) {
    const auto id = "p" + std::to_string(i);
    IndexKeys keys{{"status", i % 2 ? "active" : "draft"}, {"tag", "t" + std::to_string(i % 3)}};
    ASSERT_FALSE(put("t1", id, 1, keys));
  }
  ListQuery q{"t1", "products", {{"status", "active"}}, "", "", 3};
  auto page1 = store_->list(q).records;
  ASSERT_EQ(page1.size(), 3u);
  EXPECT_EQ(page1[0].id, "p1");
  EXPECT_EQ(page1[2].id, "p5");
  q.after_id = page1.back().id;
  auto page2 = store_->list(q).records;
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_EQ(page2[0].id, "p7");
  EXPECT_EQ(page2[1].id, "p9");

  ListQuery both{"t1", "products", {{"status", "active"}, {"tag", "t0"}}, "", "", 50};
  auto hits = store_->list(both).records;
  ASSERT_EQ(hits.size(), 2u);  // odd and divisible by 3
  EXPECT_EQ(hits[0].id, "p3");
  EXPECT_EQ(hits[1].id, "p9");

  ListQuery search{"t1", "products", {}, "of p7", "", 50};
  auto found = store_->list(search).records;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, "p7");
}

using Ids = std::vector<std::string>;

TEST_P(StoreContract, SearchIsASubstringMatchThatFollowsEveryWrite) {
  ASSERT_FALSE(put_text("t1", "p1", 1, "red shoe sku-1 summer"));
  ASSERT_FALSE(put_text("t1", "p2", 1, "blue shirt sku-2"));
  ASSERT_FALSE(put_text("t2", "p9", 1, "red shoe of another shop"));
  EXPECT_EQ(search("shoe"), Ids{"p1"}) << "another tenant's match is not listed";
  EXPECT_EQ(search("sku-"), (Ids{"p1", "p2"}));
  EXPECT_EQ(search("hoe sku"), Ids{"p1"}) << "a substring may span the joined fields";
  EXPECT_EQ(search("shoes"), Ids{});
  EXPECT_EQ(search("SHOE"), Ids{}) << "the caller lowercases; the store compares exactly";

  ASSERT_FALSE(put_text("t1", "p1", 2, "green boot sku-1"));
  EXPECT_EQ(search("shoe"), Ids{}) << "the old text no longer matches";
  EXPECT_EQ(search("boot"), Ids{"p1"});
  ASSERT_FALSE(put_text("t1", "p1", 3, "green boot sku-1"));
  EXPECT_EQ(search("boot"), Ids{"p1"}) << "an unchanged text stays matched";

  ASSERT_FALSE(put_text("t1", "p2", 2, "", {}, /*deleted=*/true));
  EXPECT_EQ(search("shirt"), Ids{});
  EXPECT_EQ(search("sku-"), Ids{"p1"});
  store_->purge(std::numeric_limits<Millis>::max());
  ASSERT_FALSE(put_text("t1", "p3", 1, "shirt again"));
  EXPECT_EQ(search("shirt"), Ids{"p3"}) << "the purge left the index consistent";
}

TEST_P(StoreContract, SearchTextIsNeverQuerySyntax) {
  ASSERT_FALSE(put_text("t1", "p1", 1, "the \"big\" one* or not"));
  ASSERT_FALSE(put_text("t1", "p2", 1, "big one or not"));
  EXPECT_EQ(search("\"big\""), Ids{"p1"});
  EXPECT_EQ(search("one*"), Ids{"p1"});
  EXPECT_EQ(search("big OR one"), Ids{});
  EXPECT_EQ(search("or not"), (Ids{"p1", "p2"}));
  EXPECT_EQ(search("caf\xc3\xa9"), Ids{});
  ASSERT_FALSE(put_text("t1", "p3", 1, "caf\xc3\xa9 au lait"));
  EXPECT_EQ(search("caf\xc3\xa9"), Ids{"p3"}) << "characters, not bytes, count towards three";
}

TEST_P(StoreContract, SearchHonoursFiltersAndPagesById) {
  for (int i = 0; i < 9; ++i)
    ASSERT_FALSE(put_text("t1", "p" + std::to_string(i), 1, i % 3 ? "plain mug" : "striped mug",
                          {{"status", i % 2 ? "active" : "draft"}}));
  EXPECT_EQ(search("striped", {{"status", "active"}}), Ids{"p3"});
  EXPECT_EQ(search("striped", {{"status", "draft"}}), (Ids{"p0", "p6"}));
  const auto first = store_->list({"t1", "products", {}, "mug", "", 4});
  ASSERT_EQ(first.records.size(), 4u);
  EXPECT_EQ(first.next_after_id, "p3");
  EXPECT_EQ(search("mug", {}, "p3", 4), (Ids{"p4", "p5", "p6", "p7"}));
  const auto last = store_->list({"t1", "products", {}, "mug", "p7", 4});
  EXPECT_EQ(last.records.size(), 1u);
  EXPECT_EQ(last.next_after_id, "") << "a short page of an indexed search is the last";
}

// Fewer than three characters: no trigram to look up, so the store reads at
// most kShortSearchWindow records per call and says where it stopped.
TEST_P(StoreContract, ShortSearchReadsABoundedWindowAndResumes) {
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    for (std::size_t i = 0; i < kShortSearchWindow + 5; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "p%05zu", i);
      RecordWrite w;
      w.record = {"t1", "products", id, 1, false, 1, 2, "{}"};
      w.search_text = i == 3 || i == kShortSearchWindow + 2 ? "xq marks" : "plain";
      txn.put(w);
    }
    return std::nullopt;
  }));
  const auto first = store_->list({"t1", "products", {}, "xq", "", 50});
  ASSERT_EQ(first.records.size(), 1u);
  EXPECT_EQ(first.records[0].id, "p00003");
  char last_read[16];
  std::snprintf(last_read, sizeof last_read, "p%05zu", kShortSearchWindow - 1);
  EXPECT_EQ(first.next_after_id, last_read) << "the window ended before the page filled";
  const auto second = store_->list({"t1", "products", {}, "xq", first.next_after_id, 50});
  ASSERT_EQ(second.records.size(), 1u);
  EXPECT_EQ(second.next_after_id, "") << "the rest fitted in one window";
  const auto full = store_->list({"t1", "products", {}, "xq", "", 1});
  EXPECT_EQ(full.next_after_id, "p00003") << "a full page ends at its last record";
  EXPECT_EQ(search("xq marks"), (Ids{"p00003", "p01002"})) << "three or more: the index, no window";
}

TEST_P(StoreContract, KnownPreviousKeysAreReplacedByTheNewOnes) {
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
  EXPECT_TRUE(store_->list({"t1", "products", {{"status", "draft"}}, "", "", 50}).records.empty());
  EXPECT_EQ(store_->list({"t1", "products", {{"status", "active"}}, "", "", 50}).records.size(), 1u);
  EXPECT_EQ(store_->list({"t1", "products", {{"tag", "a"}}, "", "", 50}).records.size(), 1u);
}

// A write that does not say which keys the stored version has replaces
// those the store kept with it: none stays behind, none is lost.
TEST_P(StoreContract, UnknownPreviousKeysAreThoseStoredWithTheRecord) {
  const auto ids = [&](const IndexKeys& filter, const std::string& tenant = "t1") {
    Ids out;
    for (const auto& r : store_->list({tenant, "products", filter, "", "", 50}).records) out.push_back(r.id);
    return out;
  };
  ASSERT_FALSE(put("t1", "p1", 1, {{"status", "draft"}, {"tag", "a:1"}, {"tag", "b"}}));
  ASSERT_FALSE(put("t1", "p2", 1, {{"status", "draft"}, {"tag", "b"}}));
  ASSERT_FALSE(put("t2", "p1", 1, {{"status", "draft"}}));
  ASSERT_FALSE(put("t1", "p1", 2, {{"status", "active"}, {"tag", "b"}, {"tag", "c"}}));
  EXPECT_EQ(ids({{"status", "draft"}}), Ids{"p2"});
  EXPECT_EQ(ids({{"status", "active"}}), Ids{"p1"});
  EXPECT_EQ(ids({{"tag", "a:1"}}), Ids{});
  EXPECT_EQ(ids({{"tag", "b"}}), (Ids{"p1", "p2"}));
  EXPECT_EQ(ids({{"tag", "c"}}), Ids{"p1"});
  ASSERT_FALSE(put("t1", "p1", 3, {}, /*deleted=*/true));
  for (const auto& key : IndexKeys{{"status", "active"}, {"tag", "b"}, {"tag", "c"}})
    for (const auto& id : ids({key})) EXPECT_NE(id, "p1") << "a tombstone keeps no key";
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    EXPECT_EQ(txn.find_ids("t1", "products", "tag", "c", 10), Ids{});
    EXPECT_EQ(txn.find_ids("t1", "products", "tag", "b", 10), Ids{"p2"});
    return std::nullopt;
  }));
  EXPECT_EQ(ids({{"status", "draft"}}, "t2"), Ids{"p1"}) << "another tenant's record of that id is untouched";
}

TEST_P(StoreContract, DeletedRecordsLeaveListsButStayAsTombstones) {
  ASSERT_FALSE(put("t1", "p1", 1, {{"status", "active"}}));
  ASSERT_FALSE(put("t1", "p1", 2, {{"status", "active"}}, /*deleted=*/true));
  EXPECT_TRUE(store_->list({"t1", "products", {}, "", "", 50}).records.empty());
  EXPECT_TRUE(store_->list({"t1", "products", {{"status", "active"}}, "", "", 50}).records.empty());
  auto r = store_->get("t1", "products", "p1");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->deleted);
  const auto log = store_->changes_after("t1", 0, 10);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_TRUE(log[1].deleted);
  EXPECT_EQ(log[1].version, 2);
}

TEST_P(StoreContract, DataSurvivesReopen) {
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
TEST_P(StoreContract, ChangeLogIsGapFreeUnderEightConcurrentWriters) {
  constexpr int kWriters = 8;
  constexpr int kWritesEach = 150;
  std::mutex mu;
  std::map<std::string, std::vector<ChangeEntry>> notified;
  store_->add_commit_listener([&](const std::string& tenant, const std::vector<CommittedChange>& changes) {
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
          if (fail) return Problem::of(ErrorCode::already_exists, "planned");
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

TEST_P(StoreContract, ReplayCoalescesByRecordAndPagesWithoutRepeatingAVersion) {
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

TEST_P(StoreContract, SnapshotCarriesTheHeadItIsConsistentWith) {
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

TEST_P(StoreContract, SnapshotPagesByIdWithTheHeadOfEachPage) {
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

TEST_P(StoreContract, PurgeMovesTheHorizonAndSeqsNeverRestart) {
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

TEST_P(StoreContract, PurgeForgetsOldIdempotencyAnswers) {
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
TEST_P(StoreContract, CountersStayGapFreeUnderConcurrentJobsThatFail) {
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
          if (fail) return Problem::of(ErrorCode::already_exists, "rolled back");
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

TEST_P(StoreContract, CountersIdempotentAnswersAndKeyLookupsLiveInTheTransaction) {
  ASSERT_FALSE(put("t1", "p1", 1, {{"variant_id", "v1"}}));
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    EXPECT_EQ(txn.next_counter("t1", "order_number"), 1);
    EXPECT_EQ(txn.next_counter("t1", "order_number"), 2);
    EXPECT_EQ(txn.next_counter("t2", "order_number"), 1) << "per tenant";
    EXPECT_EQ(txn.find_ids("t1", "products", "variant_id", "v1", 10), std::vector<std::string>{"p1"});
    EXPECT_TRUE(txn.find_ids("t2", "products", "variant_id", "v1", 10).empty());
    EXPECT_FALSE(txn.idempotent("t1", "k1"));
    txn.put_idempotent("t1", "k1", {"fp", 201, "{\"ok\":true}"});
    return std::nullopt;
  }));
  // A job that fails takes its counter step back with it.
  EXPECT_TRUE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    txn.next_counter("t1", "order_number");
    return Problem::of(ErrorCode::already_exists, "rolled back");
  }));
  ASSERT_FALSE(store_->write([](WriteTxn& txn) -> std::optional<Problem> {
    EXPECT_EQ(txn.next_counter("t1", "order_number"), 3);
    const auto answer = txn.idempotent("t1", "k1");
    EXPECT_TRUE(answer && answer->status == 201 && answer->fingerprint == "fp");
    EXPECT_FALSE(txn.idempotent("t2", "k1"));
    return std::nullopt;
  }));
}

TEST_P(StoreContract, TimedKeysAreFoundAcrossTenantsInValueOrder) {
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

// Writes a record carrying figure deltas (series "s"), or a job that fails after writing.
std::optional<Problem> put_figures(Store& store, const std::string& tenant, const std::string& id,
                                   const std::vector<FigureDelta>& figures, bool fail = false) {
  return store.write([=](WriteTxn& txn) -> std::optional<Problem> {
    RecordWrite w;
    w.record = {tenant, "orders", id, 1, false, 1, 2, "{}"};
    w.figures = figures;
    txn.put(w);
    if (fail) return Problem::of(ErrorCode::already_exists, "rolled back");
    return std::nullopt;
  });
}

FigureQuery query(std::int64_t from, std::int64_t to, FigureQuery::Group group, std::size_t limit = 0) {
  return FigureQuery{"s", from, to, group, limit};
}

TEST_P(StoreContract, FiguresAddUpInTheWritingTransactionAndSumOverRanges) {
  ASSERT_FALSE(put_figures(*store_, "t1", "o1", {{"s", 10, "", {1, 100}}, {"s", 20, "a", {2, 5}}}));
  ASSERT_FALSE(put_figures(*store_, "t1", "o2", {{"s", 10, "b", {1, 50}}, {"x", 10, "", {7}}}));
  ASSERT_FALSE(put_figures(*store_, "t2", "o3", {{"s", 10, "", {9, 9}}}));
  // A job that fails adds nothing.
  ASSERT_TRUE(put_figures(*store_, "t1", "o4", {{"s", 10, "", {100, 100}}}, true));

  const auto sums = store_->figures(
      "t1", {query(0, 100, FigureQuery::Group::total), query(0, 15, FigureQuery::Group::total),
             query(0, 100, FigureQuery::Group::by_bucket), query(0, 100, FigureQuery::Group::by_key),
             query(30, 40, FigureQuery::Group::total), query(0, 100, FigureQuery::Group::by_bucket, 1)});
  ASSERT_EQ(sums.size(), 6u);
  ASSERT_EQ(sums[0].size(), 1u);
  EXPECT_EQ(sums[0][0].values, (FigureValues{4, 155, 0, 0, 0}));
  EXPECT_EQ(sums[1][0].values, (FigureValues{2, 150, 0, 0, 0}));
  ASSERT_EQ(sums[2].size(), 2u);
  EXPECT_EQ(sums[2][0].bucket, 10);
  EXPECT_EQ(sums[2][0].values, (FigureValues{2, 150, 0, 0, 0}));
  EXPECT_EQ(sums[2][1].bucket, 20);
  ASSERT_EQ(sums[3].size(), 3u);
  EXPECT_EQ(sums[3][0].key, "");
  EXPECT_EQ(sums[3][1].key, "a");
  EXPECT_EQ(sums[3][2].values, (FigureValues{1, 50, 0, 0, 0}));
  ASSERT_EQ(sums[4].size(), 1u) << "a total of nothing is one sum of zeros";
  EXPECT_EQ(sums[4][0].values, (FigureValues{}));
  ASSERT_EQ(sums[5].size(), 1u);
  EXPECT_EQ(sums[5][0].bucket, 10);
}

TEST_P(StoreContract, FigureRowsThatComeToZeroAreGone) {
  ASSERT_FALSE(put_figures(*store_, "t1", "o1", {{"s", 10, "", {1, 100}}, {"s", 11, "", {1, 1}}}));
  ASSERT_FALSE(put_figures(*store_, "t1", "o1", {{"s", 10, "", {-1, -100}}}));
  const auto sums = store_->figures("t1", {query(0, 100, FigureQuery::Group::by_bucket)});
  ASSERT_EQ(sums[0].size(), 1u);
  EXPECT_EQ(sums[0][0].bucket, 11);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace shelfsync
