// The hub without sockets: a fake connection captures what it is sent, a
// real SQLite store commits. Waits poll with a deadline; no sleep decides an
// outcome.

#include "feed/hub.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "catalog/record_service.hpp"
#include "domain/ids.hpp"
#include "feed/hub_ring.hpp"

namespace shelfsync {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

struct Msg {
  std::string type, sub, code;
  std::optional<std::int64_t> cursor;
  std::vector<json::object> changes;
};

// Records every message. While `hold` is set, what it is sent stays queued
// (an unread socket) until release().
class FakeConn : public LiveConnection {
 public:
  std::string_view transport() const override { return "ws"; }
  void send_changes(const std::string& sub, std::optional<std::int64_t> cursor,
                    const std::vector<Frame>& changes) override {
    Msg m{"changes", sub, "", cursor, {}};
    std::size_t bytes = 0;
    for (const auto& f : changes) {
      m.changes.push_back(json::parse(*f).as_object());
      bytes += f->size();
    }
    push(std::move(m), bytes);
  }
  void send_subscribed(const std::string& sub, std::int64_t cursor) override {
    push({"subscribed", sub, "", cursor, {}}, 40);
  }
  void send_reset(const std::string& sub, ErrorCode code) override {
    push({"reset", sub, std::string(to_string(code)), {}, {}}, 40);
  }
  void send_error(const std::string& sub, ErrorCode code, std::string_view) override {
    push({"error", sub, std::string(to_string(code)), {}, {}}, 40);
  }

  void hold() { holding_ = true; }
  // Lets what is queued go, and holds again what comes after it.
  void release_held() {
    std::size_t n;
    {
      std::lock_guard lock(mu_);
      n = held_;
      held_ = 0;
    }
    note_written(n);
  }
  void release() {
    std::size_t n;
    {
      std::lock_guard lock(mu_);
      holding_ = false;
      n = held_;
      held_ = 0;
    }
    note_written(n);
  }
  std::vector<Msg> messages() const {
    std::lock_guard lock(mu_);
    return msgs_;
  }
  std::size_t count() const {
    std::lock_guard lock(mu_);
    return msgs_.size();
  }

 private:
  void push(Msg m, std::size_t bytes) {
    note_queued(bytes);
    bool written;
    {
      std::lock_guard lock(mu_);
      msgs_.push_back(std::move(m));
      written = !holding_;
      if (!written) held_ += bytes;
    }
    if (written) note_written(bytes);
  }
  mutable std::mutex mu_;
  std::vector<Msg> msgs_;
  bool holding_ = false;
  std::size_t held_ = 0;
};

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return pred();
}

class HubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("shelfsync-hub-" + random_hex(6));
    fs::create_directories(dir_);
    store_ = open_store("sqlite:" + (dir_ / "test.db").string());
    for (const char* t : {"t1", "t2"})
      ASSERT_FALSE(store_->write([&](WriteTxn& txn) -> std::optional<Problem> {
        txn.put_tenant({t, t, "USD"});
        return std::nullopt;
      }));
    records_ = std::make_unique<RecordService>(*store_);
  }
  void TearDown() override {
    hub_.reset();
    pool_.join();
    records_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  void start(const HubOptions& options = {}) {
    hub_ = std::make_unique<Hub>(
        *store_, [this](std::function<void()> f) { boost::asio::post(pool_, std::move(f)); }, options);
  }

  Principal admin(std::string tenant = "t1") { return {std::move(tenant), "USD", Role::admin, ""}; }
  const Collection& products() { return *find_collection("products"); }

  void create(const std::string& id, const std::string& category, std::string tenant = "t1") {
    auto body = json::parse(R"({"title":"T","price":1000,"status":"active","category_ids":[")" + category + R"("]})")
                    .as_object();
    body["id"] = id;
    ASSERT_TRUE(records_->create(admin(std::move(tenant)), products(), body, {}).ok());
  }
  void patch(const std::string& id, const std::string& patch_json, std::string tenant = "t1") {
    ASSERT_TRUE(records_->patch(admin(std::move(tenant)), products(), id, json::parse(patch_json), {}).ok());
  }

  SubscribeRequest request(std::string sub, const json::value& filter = nullptr, int batch_ms = 0,
                           std::optional<std::string> since = std::nullopt,
                           const Principal& who = {"t1", "USD", Role::admin, ""}) {
    auto r = make_subscribe(who, std::move(sub), "products", filter,
                            since ? std::optional<std::string_view>(*since) : std::nullopt, batch_ms, std::nullopt);
    EXPECT_TRUE(r.ok());
    return std::move(*r);
  }

  // Subscribes and waits for `subscribed`; returns its cursor.
  std::int64_t subscribe(FakeConn& conn, Hub::ConnId id, SubscribeRequest req) {
    const auto sub = req.sub;
    hub_->subscribe(id, std::move(req));
    std::optional<std::int64_t> cursor;
    EXPECT_TRUE(eventually([&] {
      for (const auto& m : conn.messages())
        if (m.type == "subscribed" && m.sub == sub) cursor = m.cursor;
      return cursor.has_value();
    }));
    return cursor.value_or(-1);
  }

  // Every change object sent after message index `from`, in order.
  static std::vector<json::object> changes_after(const FakeConn& conn, std::size_t from = 0) {
    std::vector<json::object> out;
    const auto msgs = conn.messages();
    for (std::size_t i = from; i < msgs.size(); ++i)
      for (const auto& c : msgs[i].changes) out.push_back(c);
    return out;
  }
  static std::int64_t version_of(const json::object& c) { return c.at("version").as_int64(); }
  static std::string id_of(const json::object& c) { return std::string(c.at("id").as_string()); }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<RecordService> records_;
  boost::asio::thread_pool pool_{2};
  std::unique_ptr<Hub> hub_;
};

TEST_F(HubTest, SnapshotThenLiveWithoutGapUnderConcurrentWrites) {
  start();
  for (int i = 0; i < 5; ++i) create("p" + std::to_string(i), "c1");
  auto conn = std::make_shared<FakeConn>();
  const auto id = hub_->attach(conn);
  std::thread writer([&] {
    for (int n = 0; n < 40; ++n) patch("p" + std::to_string(n % 5), R"({"title":"v)" + std::to_string(n) + "\"}");
  });
  const auto cursor = subscribe(*conn, id, request("s1"));
  writer.join();
  // The snapshot is everything at `cursor`; live follows from it.
  EXPECT_LE(cursor, store_->head("t1"));
  std::map<std::string, std::int64_t> last;
  ASSERT_TRUE(eventually([&] {
    last.clear();
    for (const auto& c : changes_after(*conn)) last[id_of(c)] = version_of(c);
    for (int i = 0; i < 5; ++i) {
      auto r = store_->get("t1", "products", "p" + std::to_string(i));
      if (last["p" + std::to_string(i)] != r->version) return false;
    }
    return true;
  }));
  // Each record's versions only increase, none twice.
  std::map<std::string, std::int64_t> seen;
  for (const auto& c : changes_after(*conn)) {
    EXPECT_GT(version_of(c), seen[id_of(c)]) << id_of(c);
    seen[id_of(c)] = version_of(c);
  }
  hub_->detach(id);
}

TEST_F(HubTest, CoalescesWithinTheBatchWindow) {
  start();
  create("p1", "c1");
  auto conn = std::make_shared<FakeConn>();
  const auto id = hub_->attach(conn);
  subscribe(*conn, id, request("s1", nullptr, 2000));
  const auto from = conn->count();
  for (int n = 0; n < 5; ++n) patch("p1", R"({"title":"v)" + std::to_string(n) + "\"}");
  ASSERT_TRUE(eventually([&] {
    auto c = changes_after(*conn, from);
    return !c.empty() && version_of(c.back()) == 6;
  }));
  const auto c = changes_after(*conn, from);
  EXPECT_LT(c.size(), 5u);  // collapsed (all 5 unless the writes outlast the window)
  EXPECT_EQ(conn->messages().back().cursor, store_->head("t1"));
}

TEST_F(HubTest, BatchZeroKeepsEveryVersionAndBatchesWhileWriting) {
  start();
  create("p1", "c1");
  auto conn = std::make_shared<FakeConn>();
  const auto id = hub_->attach(conn);
  subscribe(*conn, id, request("s1"));
  conn->hold();  // a write stays in flight
  patch("p1", R"({"title":"a"})");
  ASSERT_TRUE(eventually([&] { return changes_after(*conn).size() == 2; }));  // snapshot + v2
  const auto from = conn->count();
  patch("p1", R"({"title":"b"})");
  patch("p1", R"({"title":"c"})");
  ASSERT_TRUE(eventually([&] { return hub_->stats().pending_batches == 1 && hub_->stats().cursor == 4; }));
  EXPECT_EQ(conn->count(), from);  // held back while the write is in flight
  conn->release();
  ASSERT_TRUE(eventually([&] { return conn->count() == from + 1; }));
  const auto c = changes_after(*conn, from);
  ASSERT_EQ(c.size(), 2u);  // one message, each version kept
  EXPECT_EQ(version_of(c[0]), 3);
  EXPECT_EQ(version_of(c[1]), 4);
}

// A reader whose write stays in flight while a whole batch of versions
// piles up does not keep up, though its queue is far below the high mark:
// it is coalesced as a slow reader from the ring, not left to fall off it.
TEST_F(HubTest, BatchZeroReaderThatStallsForAWholeBatchIsCoalescedAsSlow) {
  HubOptions options;
  options.chunk = 4;
  options.ring_capacity = 64;
  start(options);
  create("p1", "c1");
  auto conn = std::make_shared<FakeConn>();
  const auto id = hub_->attach(conn);
  subscribe(*conn, id, request("s1"));
  conn->hold();
  patch("p1", R"({"title":"a"})");
  ASSERT_TRUE(eventually([&] { return changes_after(*conn).size() == 2; }));  // snapshot + v2
  const auto from = conn->count();
  for (int n = 0; n < 20; ++n) patch("p1", R"({"title":"x)" + std::to_string(n) + "\"}");
  const auto head = store_->head("t1");
  ASSERT_TRUE(eventually([&] { return hub_->stats().cursor == head; }));
  conn->release();
  const auto latest = store_->get("t1", "products", "p1")->version;
  ASSERT_TRUE(eventually([&] {
    const auto c = changes_after(*conn, from);
    return !c.empty() && version_of(c.back()) == latest;
  }));
  const auto c = changes_after(*conn, from);
  EXPECT_LT(c.size(), 20u);
  for (std::size_t i = 1; i < c.size(); ++i) EXPECT_LT(version_of(c[i - 1]), version_of(c[i]));
  const auto stats = hub_->stats();
  EXPECT_GE(stats.coalesced[static_cast<int>(CatchUpReason::slow_reader)], 1);
  EXPECT_EQ(stats.catchups[static_cast<int>(CatchUpReason::ring)], 0);
  EXPECT_EQ(stats.coalesced[static_cast<int>(CatchUpReason::ring)], 0);
}

TEST_F(HubTest, ARecordLeavingTheFilterArrivesAsDelete) {
  start();
  create("p1", "c1");
  create("p2", "c2");
  auto conn = std::make_shared<FakeConn>();
  const auto id = hub_->attach(conn);
  subscribe(*conn, id, request("s1", json::parse(R"({"category_id":"c1"})")));
  auto snap = changes_after(*conn);
  ASSERT_EQ(snap.size(), 1u);
  EXPECT_EQ(id_of(snap[0]), "p1");
  const auto from = conn->count();
  patch("p2", R"({"title":"other"})");        // never in view: nothing
  patch("p1", R"({"category_ids":["c2"]})");  // leaves the view
  patch("p2", R"({"category_ids":["c1"]})");  // enters it
  ASSERT_TRUE(eventually([&] { return changes_after(*conn, from).size() == 2; }));
  const auto c = changes_after(*conn, from);
  EXPECT_EQ(id_of(c[0]), "p1");
  EXPECT_EQ(c[0].at("op").as_string(), "delete");
  EXPECT_EQ(id_of(c[1]), "p2");
  EXPECT_EQ(c[1].at("op").as_string(), "upsert");
}

class HubFlowTest : public HubTest, public ::testing::WithParamInterface<std::size_t> {};

TEST_P(HubFlowTest, FullConnectionCatchesUpOnceInLatestState) {
  HubOptions options;
  options.ring_capacity = GetParam();
  options.high_water = 10;  // any message in flight is "full"
  options.low_water = 0;
  start(options);
  create("p1", "c1");
  create("p2", "c1");
  auto conn = std::make_shared<FakeConn>();
  const auto id = hub_->attach(conn);
  subscribe(*conn, id, request("s1"));
  conn->hold();
  patch("p1", R"({"title":"first"})");
  ASSERT_TRUE(eventually([&] { return changes_after(*conn).size() == 3; }));  // 2 snapshot + v2
  const auto from = conn->count();
  for (int n = 0; n < 6; ++n) {
    patch("p1", R"({"title":"x)" + std::to_string(n) + "\"}");
    patch("p2", R"({"title":"y)" + std::to_string(n) + "\"}");
  }
  const auto head = store_->head("t1");
  ASSERT_TRUE(eventually([&] { return hub_->stats().cursor == head; }));
  EXPECT_EQ(conn->count(), from);  // nothing queued while full
  conn->release();
  ASSERT_TRUE(eventually([&] {
    std::set<std::string> ids;
    for (const auto& c : changes_after(*conn, from)) ids.insert(id_of(c));
    return ids.size() == 2;
  }));
  const auto c = changes_after(*conn, from);
  ASSERT_EQ(c.size(), 2u);  // each record once
  for (const auto& change : c) EXPECT_EQ(version_of(change), store_->get("t1", "products", id_of(change))->version);
  const auto stats = hub_->stats();
  if (GetParam() < 4) {
    EXPECT_GE(stats.catchups[static_cast<int>(CatchUpReason::slow_reader)], 1);
  }
  // The held connection is why versions were collapsed, and the only reason
  // (with a small ring the store's replay collapses them, uncounted).
  if (GetParam() >= 4) {
    EXPECT_GE(stats.coalesced[static_cast<int>(CatchUpReason::slow_reader)], 1);
  }
  EXPECT_EQ(stats.coalesced[static_cast<int>(CatchUpReason::ring)], 0);
  EXPECT_EQ(stats.catchups[static_cast<int>(CatchUpReason::ring)], 0);
}

// A snapshot is read a page at a time, the next only once the connection
// drained: with writes between the pages (before and after the page read,
// creates, patches, a status change out of the filter, deletes) it still
// ends exactly at the store's state, each version once and increasing.
TEST_P(HubFlowTest, PagedSnapshotSettlesUnderWritesBetweenPages) {
  HubOptions options;
  options.ring_capacity = GetParam();
  options.chunk = 3;
  options.high_water = 10;  // any page in flight is "full"
  options.low_water = 0;
  start(options);
  const auto name = [](int i) { return "p" + std::string(i < 10 ? "0" : "") + std::to_string(i); };
  for (int i = 0; i < 12; i += 1) create(name(i), "c1");
  auto conn = std::make_shared<FakeConn>();
  const auto id = hub_->attach(conn);
  conn->hold();
  hub_->subscribe(id, request("s1", json::parse(R"({"category_id":"c1"})")));
  const auto subscribed = [&] {
    for (const auto& m : conn->messages())
      if (m.type == "subscribed") return true;
    return false;
  };
  std::set<std::string> gone;
  const auto remove = [&](const std::string& pid) {
    ASSERT_FALSE(records_->remove(admin(), products(), pid, {}));
    gone.insert(pid);
  };
  const auto touch = [&](const std::string& pid, const std::string& title) {
    if (!gone.count(pid)) patch(pid, R"({"title":")" + title + "\"}");
  };
  int round = 0;
  std::size_t seen = 0;
  while (!subscribed()) {
    ASSERT_TRUE(eventually([&] { return conn->count() > seen || subscribed(); })) << "round " << round;
    seen = conn->count();
    if (round >= 8) {  // writes stop, so the replay ends
      ++round;
      conn->release_held();
      continue;
    }
    // Behind, at and ahead of the page just sent.
    touch(name(round % 12), "a" + std::to_string(round));
    touch(name((round * 5 + 7) % 12), "b" + std::to_string(round));
    if (round == 1) remove(name(10));
    if (round == 2) remove(name(1));
    if (round == 1) patch(name(4), R"({"category_ids":["c2"]})");  // leaves the filter
    if (round == 2) patch(name(4), R"({"category_ids":["c1"]})");  // and comes back
    create("q" + std::to_string(round), "c1");                     // after every page
    create("a" + std::to_string(round), "c1");                     // before every page
    ++round;
    conn->release_held();
    ASSERT_LT(round, 200);
  }
  conn->release();
  patch(name(0), R"({"title":"live"})");
  const auto head = store_->head("t1");
  ASSERT_TRUE(eventually([&] { return hub_->stats().cursor == head; }));

  // Apply what was sent; check the guarantees on the way.
  std::map<std::string, std::pair<std::int64_t, bool>> view;  // id → (version, present)
  bool live = false;
  std::int64_t cursor = 0;
  ASSERT_TRUE(eventually([&] {
    const auto msgs = conn->messages();
    return !msgs.empty() && msgs.back().cursor && *msgs.back().cursor >= head;
  }));
  for (const auto& m : conn->messages()) {
    if (m.type == "subscribed") live = true;
    if (m.type != "changes") continue;
    EXPECT_EQ(m.cursor.has_value(), live) << "a cursor only after subscribed";
    if (m.cursor) cursor = *m.cursor;
    for (const auto& c : m.changes) {
      const bool upsert = c.at("op").as_string() == "upsert";
      auto [it, fresh] = view.try_emplace(id_of(c), version_of(c), upsert);
      if (!fresh) {
        EXPECT_TRUE(version_of(c) > it->second.first ||
                    (version_of(c) == it->second.first && upsert != it->second.second))
            << id_of(c) << " v" << version_of(c) << " after v" << it->second.first;
        it->second = {std::max(version_of(c), it->second.first), upsert};
      }
    }
  }
  EXPECT_EQ(cursor, head);
  std::map<std::string, std::int64_t> got, want;
  for (const auto& [rid, v] : view)
    if (v.second) got[rid] = v.first;
  for (const auto& r : store_->list({"t1", "products", {{"category_id", "c1"}}, "", "", 1000}).records)
    want[r.id] = r.version;
  EXPECT_EQ(got, want);
  EXPECT_GE(round, 4) << "the snapshot came in several pages";
}

// A connection that stops reading stops being queued to; once it drains it
// gets each changed record once, in its latest state, from the ring or (ring
// of 2) from the store.
INSTANTIATE_TEST_SUITE_P(RingOrStore, HubFlowTest, ::testing::Values(20000, 2));

TEST_F(HubTest, TenantsAreIsolated) {
  start();
  create("p1", "c1", "t1");
  create("p1", "c1", "t2");
  auto conn = std::make_shared<FakeConn>();
  const auto id = hub_->attach(conn);
  subscribe(*conn, id, request("s2", nullptr, 0, std::nullopt, {"t2", "USD", Role::admin, ""}));
  const auto from = conn->count();
  patch("p1", R"({"title":"t1 only"})", "t1");
  patch("p1", R"({"title":"t2 now"})", "t2");
  ASSERT_TRUE(eventually([&] { return !changes_after(*conn, from).empty(); }));
  const auto c = changes_after(*conn, from);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].at("data").at("title").as_string(), "t2 now");
}

// The /health gauges follow subscriptions as they start and end, whichever
// way they end (unsubscribe, an error, the connection going).
TEST_F(HubTest, GaugesCountSubscriptionsAndTopicsAsTheyStartAndEnd) {
  start();
  create("p1", "c1");
  auto a = std::make_shared<FakeConn>(), b = std::make_shared<FakeConn>();
  const auto ida = hub_->attach(a), idb = hub_->attach(b);
  subscribe(*a, ida, request("s1"));
  subscribe(*a, ida, request("s2", json::parse(R"({"category_id":"c1"})")));
  subscribe(*b, idb, request("s3", nullptr, 0, std::nullopt, {"t2", "USD", Role::admin, ""}));
  const auto gauges = [&] { return std::pair(hub_->stats().subscriptions, hub_->stats().topics); };
  ASSERT_TRUE(eventually([&] { return gauges() == std::pair<std::int64_t, std::int64_t>(3, 2); }));
  hub_->unsubscribe(ida, "s1");
  ASSERT_TRUE(eventually([&] { return gauges() == std::pair<std::int64_t, std::int64_t>(2, 2); }));
  hub_->detach(idb);  // t2's products: no subscriber left
  ASSERT_TRUE(eventually([&] { return gauges() == std::pair<std::int64_t, std::int64_t>(1, 1); }));
  hub_->subscribe(ida, request("s4", nullptr, 0, std::string("c999")));  // beyond the log: reset ends it
  ASSERT_TRUE(eventually([&] {
    for (const auto& m : a->messages())
      if (m.type == "reset" && m.sub == "s4") return true;
    return false;
  }));
  ASSERT_TRUE(eventually([&] { return gauges() == std::pair<std::int64_t, std::int64_t>(1, 1); }));
  hub_->detach(ida);
  ASSERT_TRUE(eventually([&] { return gauges() == std::pair<std::int64_t, std::int64_t>(0, 0); }));
}

TEST_F(HubTest, SinceReplaysEachRecordOnceThenGoesLive) {
  start();
  create("p1", "c1");
  const auto since = store_->head("t1");
  patch("p1", R"({"title":"a"})");
  patch("p1", R"({"title":"b"})");
  create("p2", "c1");
  auto conn = std::make_shared<FakeConn>();
  const auto id = hub_->attach(conn);
  EXPECT_EQ(subscribe(*conn, id, request("s1", nullptr, 0, "c" + std::to_string(since))), since);
  ASSERT_TRUE(eventually([&] { return changes_after(*conn).size() == 2; }));
  patch("p2", R"({"title":"live"})");
  ASSERT_TRUE(eventually([&] { return changes_after(*conn).size() == 3; }));
  const auto c = changes_after(*conn);
  EXPECT_EQ(id_of(c[0]), "p1");
  EXPECT_EQ(version_of(c[0]), 3);
  EXPECT_EQ(id_of(c[1]), "p2");
  EXPECT_EQ(version_of(c[2]), 2);
}

TEST_F(HubTest, CursorBeyondTheLogIsReset) {
  start();
  auto conn = std::make_shared<FakeConn>();
  const auto id = hub_->attach(conn);
  hub_->subscribe(id, request("s1", nullptr, 0, std::string("c999")));
  ASSERT_TRUE(eventually([&] { return conn->count() == 1; }));
  EXPECT_EQ(conn->messages()[0].type, "reset");
  EXPECT_EQ(conn->messages()[0].code, "cursor_expired");
  hub_->subscribe(id, request("s1"));
  hub_->subscribe(id, request("s1"));  // the same id again
  ASSERT_TRUE(eventually([&] {
    for (const auto& m : conn->messages()) {
      if (m.code == "duplicate_sub") return true;
    }
    return false;
  }));
}

TEST_F(HubTest, WatchAddsCurrentStateAndRemovesIds) {
  start();
  create("p1", "c1");
  create("p2", "c1");
  auto conn = std::make_shared<FakeConn>();
  const auto id = hub_->attach(conn);
  subscribe(*conn, id, request("s1", json::parse(R"({"ids":["p1"]})")));
  EXPECT_EQ(changes_after(*conn).size(), 1u);
  hub_->watch(id, WatchRequest{"s1", {"p2"}, {"p1"}});
  ASSERT_TRUE(eventually([&] { return changes_after(*conn).size() == 3; }));
  std::map<std::string, std::string> ops;
  for (const auto& c : changes_after(*conn, 1)) ops[id_of(c)] = std::string(c.at("op").as_string());
  EXPECT_EQ(ops["p2"], "upsert");  // its current state
  EXPECT_EQ(ops["p1"], "delete");  // it left the view
  patch("p1", R"({"title":"gone from view"})");
  patch("p2", R"({"title":"watched"})");
  ASSERT_TRUE(eventually([&] { return changes_after(*conn).size() == 4; }));
  EXPECT_EQ(id_of(changes_after(*conn)[3]), "p2");
  EXPECT_EQ(version_of(changes_after(*conn)[3]), 2);
}

// A page that resumes with `since` and at once watches ids its stored view
// lacks (the JS client does) gets them: the watch waits for the replay and
// is applied after it, each added id in its current state. The gauge of
// followed ids moves with it.
TEST_F(HubTest, AWatchSentRightAfterASubscribeWithSinceIsApplied) {
  start();
  create("p1", "c1");
  create("p2", "c1");
  create("p3", "c1");
  const auto since = store_->head("t1");
  patch("p1", R"({"title":"changed since"})");
  auto conn = std::make_shared<FakeConn>();
  const auto id = hub_->attach(conn);
  hub_->subscribe(id, request("s1", json::parse(R"({"ids":["p1"]})"), 0, "c" + std::to_string(since)));
  hub_->watch(id, WatchRequest{"s1", {"p2", "p3"}, {}});
  ASSERT_TRUE(eventually([&] { return changes_after(*conn).size() == 3; }));
  std::map<std::string, std::int64_t> versions;
  for (const auto& c : changes_after(*conn)) versions[id_of(c)] = version_of(c);
  EXPECT_EQ(versions, (std::map<std::string, std::int64_t>{{"p1", 2}, {"p2", 1}, {"p3", 1}}));
  EXPECT_EQ(hub_->stats().followed_ids, 3);
  patch("p3", R"({"title":"followed"})");
  ASSERT_TRUE(eventually([&] { return changes_after(*conn).size() == 4; }));
  EXPECT_EQ(id_of(changes_after(*conn).back()), "p3");
  hub_->detach(id);
  ASSERT_TRUE(eventually([&] { return hub_->stats().followed_ids == 0; }));
}

// A product page's room is pumped only by its product's changes: with many
// more changes to other products than the ring holds in between, the next
// change of its product still arrives from the ring (no store catch-up),
// with a cursor that covers everything before it.
TEST_F(HubTest, ARoomSkipsOtherProductsChangesWithoutACatchUp) {
  HubOptions options;
  options.ring_capacity = 16;
  start(options);
  create("p1", "c1");
  create("p2", "c1");
  auto conn = std::make_shared<FakeConn>();
  const auto id = hub_->attach(conn);
  subscribe(*conn, id, request("room", json::parse(R"({"ids":["p1"]})")));
  auto all = std::make_shared<FakeConn>();
  subscribe(*all, hub_->attach(all), request("all"));
  for (int n = 0; n < 40; ++n) patch("p2", R"({"title":"other )" + std::to_string(n) + "\"}");
  patch("p1", R"({"title":"mine"})");
  // The broad subscription sees everything; the room only p1's change.
  ASSERT_TRUE(eventually([&] { return changes_after(*all).size() == 2 + 41; }));
  ASSERT_TRUE(eventually([&] { return changes_after(*conn).size() == 2; }));
  const auto mine = changes_after(*conn).back();
  EXPECT_EQ(id_of(mine), "p1");
  EXPECT_EQ(version_of(mine), 2);
  EXPECT_EQ(conn->messages().back().cursor, store_->head("t1"));
  for (const auto n : hub_->stats().catchups) EXPECT_EQ(n, 0);
  // A watch that adds p2 then follows p2 too, from its current state on.
  hub_->watch(id, WatchRequest{"room", {"p2"}, {}});
  ASSERT_TRUE(eventually([&] { return changes_after(*conn).size() == 3; }));
  patch("p2", R"({"title":"now watched"})");
  ASSERT_TRUE(eventually([&] { return changes_after(*conn).size() == 4; }));
  EXPECT_EQ(id_of(changes_after(*conn).back()), "p2");
  EXPECT_EQ(version_of(changes_after(*conn).back()), 42);
}

}  // namespace
}  // namespace shelfsync
