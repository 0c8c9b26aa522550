// The SQLite list query's plan, and the migrations of the search index and of
// the keys stored with each record.

#include "store/sqlite/list_sql.hpp"

#include <filesystem>
#include <limits>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "domain/figures.hpp"
#include "domain/ids.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/schema.hpp"
#include "store/store.hpp"

namespace shelfsync::sqlite {
namespace {

namespace fs = std::filesystem;

class ListSql : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("shelfsync-listsql-" + random_hex(6));
    fs::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The EXPLAIN QUERY PLAN rows of list_sql, one detail per line.
  std::string plan(std::size_t filters, SearchPath path) {
    Connection db(path_);
    migrate(db);
    auto& st = db.prepare_assembled("EXPLAIN QUERY PLAN " + list_sql(filters, path));
    std::string out;
    while (st.step()) out += st.column_text(3) + "\n";
    st.reset();
    return out;
  }

  void put(Store& store, const std::string& id, const std::string& text) {
    ASSERT_FALSE(store.write([&](WriteTxn& txn) -> std::optional<Problem> {
      RecordWrite w;
      w.record = {"t1", "products", id, 1, false, 1, 2, "{}"};
      w.search_text = text;
      txn.put(w);
      return std::nullopt;
    }));
  }

  fs::path dir_;
  std::string path_;
};

TEST(SearchPathTest, ThreeCharactersUseTheIndex) {
  EXPECT_EQ(search_path(""), SearchPath::none);
  EXPECT_EQ(search_path("ab"), SearchPath::window);
  EXPECT_EQ(search_path("abc"), SearchPath::indexed);
  EXPECT_EQ(search_path("\xc3\xa9"
                        "a"),
            SearchPath::window)
      << "3 bytes, 2 characters";
  EXPECT_EQ(search_path("\xc3\xa9"
                        "ab"),
            SearchPath::indexed);
  EXPECT_EQ(search_path("ab\xff"), SearchPath::window) << "not UTF-8: compared as bytes";
  EXPECT_EQ(search_path(std::string("ab\0c", 4)), SearchPath::window);
}

TEST(SearchPathTest, QuotesAreDoubledInThePhrase) { EXPECT_EQ(fts_phrase("a \"b\" c*"), "\"a \"\"b\"\" c*\""); }

// The indexed search starts from the trigram index's matches: no scan of the
// tenant's products, with or without the shopper's status filter.
TEST_F(ListSql, IndexedSearchStartsFromTheTrigramIndex) {
  for (std::size_t filters : {0u, 1u, 2u}) {
    const auto p = plan(filters, SearchPath::indexed);
    EXPECT_EQ(p.rfind("SCAN f VIRTUAL TABLE", 0), 0u) << p;
    EXPECT_EQ(p.find("SCAN r"), std::string::npos) << p;
    EXPECT_EQ(p.find("SCAN k"), std::string::npos) << p;
    EXPECT_NE(p.find("SEARCH r USING INDEX"), std::string::npos) << p;
  }
}

// A database made before the index existed gets one on open.
TEST_F(ListSql, MigrationIndexesExistingRecords) {
  {
    auto store = open_store("sqlite:" + path_);
    put(*store, "p1", "striped mug");
    put(*store, "p2", "plain mug");
  }
  {
    Connection db(path_);
    db.exec(
        "DROP TRIGGER records_search_insert; DROP TRIGGER records_search_update; "
        "DROP TRIGGER records_search_delete; DROP TABLE search_fts; DROP TABLE search_docs; "
        "ALTER TABLE records DROP COLUMN seen_by; ALTER TABLE records DROP COLUMN keys; "
        "ALTER TABLE tenants DROP COLUMN time_zone; DROP TABLE figures; DROP TABLE digests; "
        "ALTER TABLE tenants DROP COLUMN large_order_total; DROP TABLE webhooks; DROP TABLE webhook_attempts; DROP "
        "TABLE topics; "
        "CREATE INDEX record_keys_by_record ON record_keys (tenant, entity, id); "
        "PRAGMA user_version = 4;");
  }
  auto store = open_store("sqlite:" + path_);
  const auto found = store->list({"t1", "products", {}, "striped", "", 50}).records;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, "p1");
  put(*store, "p2", "striped cup");
  EXPECT_EQ(store->list({"t1", "products", {}, "striped", "", 50}).records.size(), 2u);
}

// VACUUM may renumber records' rowids; the index keys on its own docids.
TEST_F(ListSql, SearchSurvivesVacuum) {
  {
    auto store = open_store("sqlite:" + path_);
    for (int i = 0; i < 20; ++i) put(*store, "p" + std::to_string(i), "mug " + std::to_string(i));
    ASSERT_FALSE(store->write([](WriteTxn& txn) -> std::optional<Problem> {
      for (int i = 0; i < 19; ++i) {
        RecordWrite w;
        w.record = {"t1", "products", "p" + std::to_string(i), 2, true, 1, 3, "{}"};
        txn.put(w);
      }
      return std::nullopt;
    }));
    store->purge(std::numeric_limits<Millis>::max());
  }
  {
    Connection db(path_);
    db.exec("VACUUM");
  }
  auto store = open_store("sqlite:" + path_);
  const auto found = store->list({"t1", "products", {}, "mug", "", 50}).records;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, "p19");
}

// A database made before records kept their keys gets them on open, and a
// later write replaces exactly those.
TEST_F(ListSql, MigrationStoresEachRecordsKeysWithIt) {
  const auto write = [](Store& store, const std::string& id, std::int64_t version, IndexKeys keys,
                        bool deleted = false) {
    ASSERT_FALSE(store.write([&](WriteTxn& txn) -> std::optional<Problem> {
      RecordWrite w;
      w.record = {"t1", "products", id, version, deleted, 1, 2, "{}"};
      w.keys = keys;
      txn.put(w);
      return std::nullopt;
    }));
  };
  const auto ids = [](Store& store, const IndexKeys& filter) {
    std::vector<std::string> out;
    for (const auto& r : store.list({"t1", "products", filter, "", "", 50}).records) out.push_back(r.id);
    return out;
  };
  using Ids = std::vector<std::string>;
  {
    auto store = open_store("sqlite:" + path_);
    write(*store, "p1", 1, {{"status", "draft"}, {"tag", "caf\xc3\xa9:1"}});
    write(*store, "p2", 1, {{"status", "draft"}});
    write(*store, "p3", 1, {});
  }
  {
    Connection db(path_);
    db.exec(
        "CREATE INDEX record_keys_by_record ON record_keys (tenant, entity, id); "
        "ALTER TABLE records DROP COLUMN keys; ALTER TABLE tenants DROP COLUMN time_zone; "
        "DROP TABLE figures; ALTER TABLE tenants DROP COLUMN large_order_total; "
        "DROP TABLE digests; DROP TABLE webhooks; DROP TABLE webhook_attempts; DROP TABLE topics; PRAGMA user_version "
        "= 6;");
  }
  auto store = open_store("sqlite:" + path_);
  EXPECT_EQ(ids(*store, {{"tag", "caf\xc3\xa9:1"}}), Ids{"p1"});
  write(*store, "p1", 2, {{"status", "active"}});
  write(*store, "p2", 2, {}, /*deleted=*/true);
  write(*store, "p3", 2, {{"status", "draft"}});
  EXPECT_EQ(ids(*store, {{"tag", "caf\xc3\xa9:1"}}), Ids{});
  EXPECT_EQ(ids(*store, {{"status", "draft"}}), Ids{"p3"});
  EXPECT_EQ(ids(*store, {{"status", "active"}}), Ids{"p1"});
  Connection db(path_);
  auto& left = db.prepare("SELECT count(*) FROM record_keys");
  ASSERT_TRUE(left.step());
  EXPECT_EQ(left.column_int(0), 2) << "p1's status and p3's status, nothing else";
  left.reset();
}

// A database made before the figures were kept gets the stored orders,
// bills and products counted in on open (deleted records not).
TEST_F(ListSql, MigrationCountsStoredRecordsIntoTheFigures) {
  const std::string product = R"({"title":"Mug","status":"active","price":500,)"
                              R"("variants":[{"id":"v1","sku":"M","options":{},"stock":4}]})";
  {
    auto store = open_store("sqlite:" + path_);
    ASSERT_FALSE(store->write([&](WriteTxn& txn) -> std::optional<Problem> {
      RecordWrite live, gone;
      live.record = {"t1", "products", "p1", 1, false, 1, 2, product};
      gone.record = {"t1", "products", "p2", 2, true, 1, 2, product};
      txn.put(live);  // no figures with the writes: as before migration 9
      txn.put(gone);
      return std::nullopt;
    }));
  }
  {
    Connection db(path_);
    db.exec(
        "DROP TABLE figures; ALTER TABLE tenants DROP COLUMN large_order_total; "
        "DROP TABLE digests; DROP TABLE webhooks; DROP TABLE webhook_attempts; DROP TABLE topics; PRAGMA user_version "
        "= 8;");
  }
  auto store = open_store("sqlite:" + path_);
  const auto sums = store->figures("t1", {{std::string(series::kStock), 0, 0}});
  const auto expected = figure_contributions("products", boost::json::parse(product).as_object(), 2);
  ASSERT_EQ(expected.size(), 1u);
  ASSERT_EQ(sums.size(), 1u);
  ASSERT_EQ(sums[0].size(), 1u);
  EXPECT_EQ(sums[0][0].values, expected[0].values) << "p1 counted once, p2 (deleted) not";
  EXPECT_EQ(sums[0][0].values[0], 1);
}

TEST_F(ListSql, MigrationCountsStoredRecordsIntoTheDigests) {
  const std::string draft = R"({"title":"Mug","status":"draft"})";
  const std::string active = R"({"title":"Cup","status":"active"})";
  {
    auto store = open_store("sqlite:" + path_);
    ASSERT_FALSE(store->write([&](WriteTxn& txn) -> std::optional<Problem> {
      RecordWrite a, b, gone;
      a.record = {"t1", "products", "p1", 3, false, 1, 2, draft};
      b.record = {"t1", "products", "p2", 1, false, 1, 2, active};
      gone.record = {"t1", "products", "p3", 2, true, 1, 2, active};
      for (auto* w : {&a, &b, &gone}) txn.put(*w);  // no digests: as before migration 11
      return std::nullopt;
    }));
    EXPECT_EQ(store->digest("t1", {{"products", "", ""}}).sum, DigestSum{});
  }
  {
    Connection db(path_);
    db.exec(
        "DROP TABLE digests; DROP TABLE webhooks; DROP TABLE webhook_attempts; DROP TABLE topics; PRAGMA user_version "
        "= 10;");
  }
  auto store = open_store("sqlite:" + path_);
  DigestSum all = record_digest("products", "p1", 3);
  all += record_digest("products", "p2", 1);
  EXPECT_EQ(store->digest("t1", {{"products", "", ""}}).sum, all) << "p3 (deleted) not counted";
  EXPECT_EQ(store->digest("t1", {{"products", "status", "active"}}).sum, record_digest("products", "p2", 1));
  EXPECT_EQ(store->digest("t2", {{"products", "", ""}}).sum, DigestSum{}) << "per tenant";
}

}  // namespace
}  // namespace shelfsync::sqlite
