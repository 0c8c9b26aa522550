// The reader's promise as a property (SPEC §6–7), without sockets: random
// change streams committed to a real SQLite store, random reader views
// (roles, field and ids filters, customers), random cursors. From any cursor,
// what the reader yields — read from the store in pages, from the hub's ring
// change by change, or both in turn, coalesced or not — applied to the
// reader's state at that cursor equals a fresh snapshot of its view at the
// end; no record version comes twice or goes backwards, changes come in seq
// order, and no id comes that the reader could never see.

#include "feed/reader.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "auth/read_rules.hpp"
#include "catalog/record_writes.hpp"

namespace shelfsync {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

struct RecordState {
  json::object doc;
  std::int64_t version = 0;
  bool deleted = false;
};
using World = std::map<std::pair<std::string, std::string>, RecordState>;  // (entity, id)
using Held = std::map<std::string, std::int64_t>;                          // id → version

class ReaderProperty : public ::testing::TestWithParam<unsigned> {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() /
             ("shelfsync-reader-" + std::to_string(::getpid()) + "-" + std::to_string(GetParam()) + ".db"))
                .string();
    fs::remove(path_);
    store_ = open_store("sqlite:" + path_);
    store_->add_commit_listener([this](const std::string&, const std::vector<CommittedChange>& cs) {
      std::lock_guard lock(mu_);
      for (const auto& c : cs) committed_.push_back(c);
    });
    rng_.seed(GetParam());
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  }

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(pick(static_cast<int>(v.size())))];
  }

  json::object product_input() {
    static const std::vector<std::string> statuses{"draft", "active", "archived"};
    static const std::vector<std::string> categories{"c1", "c2"};
    return {{"title", "T" + std::to_string(pick(1000))},
            {"price", 100 + pick(50)},
            {"status", pick(statuses)},
            {"category_ids", json::array{json::value(pick(categories))}}};
  }
  json::object customer_input() {
    return {{"name", "N" + std::to_string(pick(1000))}, {"email", pick(2) == 0 ? "a@x.test" : "b@x.test"}};
  }

  // One random change: create, edit or delete a product or a customer.
  void random_change() {
    const bool product = pick(3) != 0;
    const auto& c = *find_collection(product ? "products" : "customers");
    const std::string entity(c.name());
    const std::string id = product ? "p" + std::to_string(pick(12)) : "u" + std::to_string(pick(3));
    auto input = product ? product_input() : customer_input();
    auto canonical = c.normalize(input, nullptr, {1, "USD"});
    ASSERT_TRUE(canonical) << canonical.problem().detail;
    const auto key = std::make_pair(entity, id);
    auto found = world_.find(key);
    const bool exists = found != world_.end() && !found->second.deleted;
    const bool remove = exists && pick(5) == 0;
    if (found != world_.end() && found->second.deleted) return;  // tombstones stay (ids are never reused)
    auto problem = store_->write([&](WriteTxn& txn) -> std::optional<Problem> {
      const auto current = txn.get("t1", entity, id);
      if (!current) {
        txn.put(new_record_write(c, "t1", id, *canonical, 1, "o"));
        return std::nullopt;
      }
      const auto previous = json::parse(current->data).as_object();
      if (remove) {
        RecordWrite w;
        w.record = *current;
        w.record.version += 1;
        w.record.deleted = true;
        w.previous_data = current->data;
        w.seen_by = 0;
        txn.put(w);
        return std::nullopt;
      }
      txn.put(next_version_write(c, *current, previous, *canonical, 1, "o"));
      return std::nullopt;
    });
    ASSERT_FALSE(problem);
    auto& state = world_[key];
    state.version += 1;
    if (remove)
      state.deleted = true;
    else
      state.doc = *canonical;
    history_.push_back(world_);
  }

  // What `view` holds of `world`: a fresh snapshot.
  static Held snapshot(const ReaderView& view, const World& world) {
    Held out;
    for (const auto& [key, r] : world)
      if (key.first == view.topic() && !r.deleted && view.sees(key.second, r.doc)) out[key.second] = r.version;
    return out;
  }
  // Whether the reader's role could ever read a version of the record.
  bool ever_readable(const ReaderView& view, const std::string& id) const {
    for (const auto& world : history_) {
      auto it = world.find({std::string(view.topic()), id});
      if (it != world.end() && !it->second.deleted && may_see(view.who, *view.collection, id, it->second.doc))
        return true;
    }
    return false;
  }

  std::vector<ReaderView> views() const {
    const auto* products = find_collection("products");
    const auto* customers = find_collection("customers");
    std::vector<ReaderView> out{
        {{"t1", "USD", Role::admin, ""}, products, {}},       {{"t1", "USD", Role::public_, ""}, products, {}},
        {{"t1", "USD", Role::customer, "u1"}, products, {}},  {{"t1", "USD", Role::staff, ""}, customers, {}},
        {{"t1", "USD", Role::customer, "u1"}, customers, {}}, {{"t1", "USD", Role::customer, "u2"}, customers, {}},
    };
    ReaderView in_c1{{"t1", "USD", Role::public_, ""}, products, {}};
    in_c1.filter.equals = {{"category_id", "c1"}};
    out.push_back(in_c1);
    ReaderView admin_c2{{"t1", "USD", Role::admin, ""}, products, {}};
    admin_c2.filter.equals = {{"category_id", "c2"}};
    out.push_back(admin_c2);
    ReaderView room{{"t1", "USD", Role::public_, ""}, products, {}};
    room.filter.ids = std::set<std::string>{"p1", "p2", "p3"};
    out.push_back(room);
    ReaderView by_email{{"t1", "USD", Role::admin, ""}, customers, {}};
    by_email.filter.equals = {{"email", "a@x.test"}};
    out.push_back(by_email);
    return out;
  }

  // Applies one change object the reader yielded, checking the promises.
  void apply(const ReaderView& view, Held& held, std::map<std::string, std::int64_t>& last_version,
             const json::object& change) {
    const std::string id(change.at("id").as_string());
    const auto version = change.at("version").as_int64();
    EXPECT_EQ(change.at("entity").as_string(), view.topic());
    EXPECT_TRUE(ever_readable(view, id)) << "told of " << id << ", which it could never see";
    auto [it, fresh] = last_version.try_emplace(id, version);
    if (!fresh) {
      EXPECT_GT(version, it->second) << id << ": a version twice or backwards";
      it->second = version;
    }
    if (change.at("op").as_string() == "delete")
      held.erase(id);
    else
      held[id] = version;
  }

  std::string path_;
  std::unique_ptr<Store> store_;
  std::mt19937 rng_;
  World world_;
  std::vector<World> history_;  // history_[k]: the world after seq k+1
  std::mutex mu_;
  std::vector<CommittedChange> committed_;
};

TEST_P(ReaderProperty, FromAnyCursorTheReaderEndsAtItsViewsSnapshot) {
  const int changes = 120 + pick(80);
  for (int i = 0; i < changes; ++i) ASSERT_NO_FATAL_FAILURE(random_change());
  const auto head = store_->head("t1");
  ASSERT_EQ(head, static_cast<std::int64_t>(history_.size()));
  TenantRing ring(static_cast<std::size_t>(head) + 1);
  // The store tells its listeners after the write returns: wait for them.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::lock_guard lock(mu_);
    if (committed_.size() >= static_cast<std::size_t>(head)) break;
    std::this_thread::yield();
  }
  {
    std::lock_guard lock(mu_);
    ASSERT_EQ(committed_.size(), static_cast<std::size_t>(head));
    for (const auto& c : committed_) ring.append(c);
  }

  enum class Path { store, ring, store_then_ring };
  for (const auto& view : views()) {
    for (int trial = 0; trial < 12; ++trial) {
      const std::int64_t cursor = pick(static_cast<int>(head) + 1);
      const auto path = static_cast<Path>(pick(3));
      const bool coalesce = pick(2) == 0;
      const auto page_limit = 1 + static_cast<std::size_t>(pick(6));
      SCOPED_TRACE("view " + std::string(to_string(view.who.role)) + "/" + std::string(view.topic()) + " cursor " +
                   std::to_string(cursor) + " path " + std::to_string(int(path)) + (coalesce ? " coalesced" : "") +
                   " pages of " + std::to_string(page_limit));
      Held held = cursor == 0 ? Held{} : snapshot(view, history_[static_cast<std::size_t>(cursor - 1)]);
      std::map<std::string, std::int64_t> last_version(held.begin(), held.end());
      Reader reader(view, pick(2) ? ChangeMode::data : ChangeMode::invalidate, cursor);
      std::int64_t last_seq = cursor;
      const auto yielded = [&](const Frame& f, std::int64_t seq) {
        EXPECT_GT(seq, last_seq) << "changes out of seq order";
        last_seq = seq;
        if (coalesce)
          reader.add_pending(std::string(json::parse(*f).as_object().at("id").as_string()), f, true);
        else
          apply(view, held, last_version, json::parse(*f).as_object());
      };
      const auto drain = [&] {
        for (const auto& f : reader.take_pending()) apply(view, held, last_version, json::parse(*f).as_object());
      };
      // The store, in pages (the whole way, or the first page only).
      if (path != Path::ring) {
        do {
          const auto page = store_->replay("t1", reader.cursor(), {std::string(view.topic())}, page_limit);
          for (const auto& d : reader.read_replay(page)) yielded(reader.frame(d), d.item->change.seq);
          drain();  // a replay page goes out as one batch
          last_seq = reader.cursor();
          if (!page.has_more) break;
        } while (path == Path::store);
      }
      // The ring, change by change.
      while (reader.cursor() < ring.last_seq()) {
        const auto seq = reader.cursor() + 1;
        if (auto f = reader.next(ring)) yielded(f, seq);
      }
      drain();
      EXPECT_EQ(reader.cursor(), head);
      EXPECT_EQ(held, snapshot(view, world_));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, ReaderProperty, ::testing::Range(1u, 21u));

// The pending batch: every version unless coalescing, then only a record's
// latest, in the order of each record's latest change; a coalescing add
// also replaces versions added without coalescing.
TEST(ReaderPending, KeepsEveryVersionOrTheLatestInOrderOfLatestChange) {
  Reader reader(ReaderView{{"t1", "USD", Role::admin, ""}, find_collection("products"), {}}, ChangeMode::data);
  const auto frame = [](std::string text) { return std::make_shared<const std::string>(std::move(text)); };
  const auto texts = [](const std::vector<Frame>& frames) {
    std::vector<std::string> out;
    for (const auto& f : frames) out.push_back(*f);
    return out;
  };
  EXPECT_FALSE(reader.add_pending("a", frame("a1"), false));
  EXPECT_FALSE(reader.add_pending("b", frame("b1"), false));
  EXPECT_FALSE(reader.add_pending("a", frame("a2"), false));
  EXPECT_EQ(reader.pending_size(), 3u);
  EXPECT_TRUE(reader.add_pending("a", frame("a3"), true));  // replaces a2 only: a1 was an earlier batch entry
  EXPECT_TRUE(reader.add_pending("b", frame("b2"), true));
  EXPECT_FALSE(reader.add_pending("c", frame("c1"), true));
  EXPECT_EQ(reader.pending_size(), 4u);
  EXPECT_EQ(texts(reader.take_pending()), (std::vector<std::string>{"a1", "a3", "b2", "c1"}));
  EXPECT_FALSE(reader.has_pending());

  // A hot record coalesced many times holds one entry, and drop_pending
  // removes every version of its id.
  for (int v = 1; v <= 10000; ++v) reader.add_pending("hot", frame("hot" + std::to_string(v)), true);
  reader.add_pending("cold", frame("cold1"), true);
  EXPECT_EQ(reader.pending_size(), 2u);
  reader.add_pending("cold", frame("cold2"), false);
  reader.drop_pending("cold");
  EXPECT_EQ(texts(reader.take_pending()), (std::vector<std::string>{"hot10000"}));
}

}  // namespace
}  // namespace shelfsync
