#include "store/sqlite/sqlite_store.hpp"

#include <chrono>
#include <iostream>
#include <limits>
#include <map>

#include "store/group_writer.hpp"
#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/digests.hpp"
#include "store/sqlite/figures.hpp"
#include "store/sqlite/list_sql.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/replay.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/timed_vfs.hpp"
#include "store/sqlite/webhooks.hpp"
#include "store/sqlite/write_txn.hpp"
#include "util/mutex.hpp"

namespace shelfsync {
namespace {

using sqlite::Connection;
using sqlite::fts_phrase;
using sqlite::list_sql;
using sqlite::search_path;
using sqlite::SearchPath;
using sqlite::Statement;

// Upper bound of mutations per transaction: large enough to amortise the
// fsync under load, small enough that one batch never holds callers long.
constexpr std::size_t kMaxBatch = 512;

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::string path) : path_(std::move(path)), checkpointer_(path_) {
    writer_db_ = std::make_unique<Connection>(path_);
    sqlite::migrate(*writer_db_);
    checkpointer_.attach(*writer_db_);
    writer_.emplace(kMaxBatch, [this](const std::vector<GroupWriter::Job>& batch) { run_batch(batch); });
  }

  ~SqliteStore() override { writer_->stop(); }

  std::string backend_name() const override { return "sqlite"; }

  // A read snapshot spanning several statements on one connection.
  class ReadTransaction {
   public:
    explicit ReadTransaction(Connection& db) : db_(db) { db_.exec("BEGIN"); }
    ~ReadTransaction() {
      try {
        db_.exec("COMMIT");
      } catch (...) {
      }
    }

   private:
    Connection& db_;
  };

  void write_async(WriteFn fn, WriteDone done) override { writer_->submit(std::move(fn), std::move(done)); }

  std::optional<StoredRecord> get(const std::string& tenant, const std::string& entity,
                                  const std::string& id) override {
    auto lease = lease_reader();
    return sqlite::get_record(*lease, tenant, entity, id);
  }

  ListRows list(const ListQuery& q) override {
    auto lease = lease_reader();
    return list_on(*lease, q);
  }

  static ListRows list_on(Connection& db, const ListQuery& q) {
    const auto path = search_path(q.search);
    auto& st = db.prepare_assembled(list_sql(q.filters.size(), path));
    int i = 0;
    if (path == SearchPath::window) st.bind(++i, q.search);
    for (const auto& [field, value] : q.filters) {
      st.bind(++i, field);
      st.bind(++i, value);
    }
    st.bind(++i, q.tenant);
    st.bind(++i, q.entity);
    st.bind(++i, q.after_id);
    if (path == SearchPath::indexed) {
      st.bind(++i, fts_phrase(q.search));
      st.bind(++i, q.search);
    }
    const std::size_t rows = path == SearchPath::window ? kShortSearchWindow : q.limit;
    st.bind(++i, static_cast<std::int64_t>(rows));
    ListRows out;
    std::size_t seen = 0;
    std::string last_seen;
    while (out.records.size() < q.limit && st.step()) {
      ++seen;
      if (path == SearchPath::window) {
        last_seen = st.column_text(0);
        if (st.column_int(sqlite::sql::kListHitColumnIndex) == 0) continue;
      }
      out.records.push_back(sqlite::read_record(st, q.tenant, q.entity));
    }
    st.reset();
    if (out.records.size() == q.limit && !out.records.empty())
      out.next_after_id = out.records.back().id;
    else if (path == SearchPath::window && seen == rows)
      out.next_after_id = last_seen;  // the window ended before the page filled
    return out;
  }

  std::vector<ChangeEntry> changes_after(const std::string& tenant, std::int64_t after, std::size_t limit) override {
    auto lease = lease_reader();
    return sqlite::read_changes_after(*lease, tenant, after, limit);
  }

  std::optional<Tenant> tenant(const std::string& id) override {
    auto lease = lease_reader();
    return sqlite::read_tenant(*lease, id);
  }

  std::optional<std::string> first_timed_key(const std::string& entity) override {
    auto lease = lease_reader();
    auto& st = lease->prepare(sqlite::sql::kFirstTimedKey);
    st.bind(1, entity);
    std::optional<std::string> out;
    if (st.step()) out = st.column_text(0);
    st.reset();
    return out;
  }

  std::vector<KeyedRecord> timed_keys_up_to(const std::string& entity, const std::string& up_to,
                                            std::size_t limit) override {
    auto lease = lease_reader();
    auto& st = lease->prepare(sqlite::sql::kTimedKeysUpTo);
    st.bind(1, entity).bind(2, up_to).bind(3, static_cast<std::int64_t>(limit));
    std::vector<KeyedRecord> out;
    while (st.step()) out.push_back({st.column_text(0), st.column_text(1), st.column_text(2)});
    st.reset();
    return out;
  }

  std::optional<TokenRecord> token(const std::string& hash) override {
    auto lease = lease_reader();
    auto& st = lease->prepare(sqlite::sql::kGetToken);
    st.bind(1, hash);
    std::optional<TokenRecord> out;
    if (st.step()) {
      const auto role = parse_role(st.column_text(1));
      if (role)
        out = TokenRecord{st.column_text(0), *role, st.column_text(2), st.column_int(3) != 0, st.column_text(4)};
    }
    st.reset();
    return out;
  }

  void add_commit_listener(CommitListener listener) override {
    MutexLock lock(&listener_mu_);
    listeners_.push_back(std::move(listener));
  }

  std::int64_t head(const std::string& tenant) override {
    auto lease = lease_reader();
    return sqlite::read_max_seq(*lease, tenant);
  }

  std::int64_t horizon(const std::string& tenant) override {
    auto lease = lease_reader();
    auto& st = lease->prepare(sqlite::sql::kHorizon);
    st.bind(1, tenant);
    const std::int64_t seq = st.step() ? st.column_int(0) : 0;
    st.reset();
    return seq;
  }

  ReplayPage replay(const std::string& tenant, std::int64_t after, const std::vector<std::string>& entities,
                    std::size_t limit) override {
    auto lease = lease_reader();
    ReadTransaction txn(*lease);
    return sqlite::read_replay(*lease, tenant, after, entities, limit);
  }

  Snapshot snapshot(const ListQuery& query, const std::vector<std::string>& ids) override {
    auto lease = lease_reader();
    ReadTransaction txn(*lease);
    Snapshot out;
    out.head = sqlite::read_max_seq(*lease, query.tenant);
    if (!ids.empty()) {
      for (const auto& id : ids) {
        auto r = sqlite::get_record(*lease, query.tenant, query.entity, id);
        if (r && !r->deleted) out.records.push_back(std::move(*r));
      }
      return out;
    }
    ListQuery page = query;
    if (page.limit == 0) page.limit = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    out.records = list_on(*lease, page).records;
    return out;
  }

  std::vector<std::vector<FigureSum>> figures(const std::string& tenant,
                                              const std::vector<FigureQuery>& queries) override {
    auto lease = lease_reader();
    ReadTransaction txn(*lease);
    std::vector<std::vector<FigureSum>> out;
    for (const auto& q : queries) out.push_back(sqlite::read_figure_sums(*lease, tenant, q));
    return out;
  }

  ScopedDigest digest(const std::string& tenant, const std::vector<DigestScope>& scopes) override {
    auto lease = lease_reader();
    ReadTransaction txn(*lease);
    ScopedDigest out{sqlite::read_max_seq(*lease, tenant), {}};
    for (const auto& scope : scopes) out.sum += sqlite::read_digest(*lease, tenant, scope);
    return out;
  }

  std::vector<TopicRow> topics(const std::string& tenant) override {
    auto lease = lease_reader();
    return sqlite::read_topics(*lease, tenant);
  }

  std::vector<WebhookRow> webhooks(const std::string& tenant) override {
    auto lease = lease_reader();
    return sqlite::read_webhooks(*lease, tenant);
  }

  std::vector<WebhookAttempt> webhook_attempts(const std::string& tenant, const std::string& id,
                                               std::size_t limit) override {
    auto lease = lease_reader();
    return sqlite::read_webhook_attempts(*lease, tenant, id, limit);
  }

  WriterFigures writer_figures() const override {
    return {writer_->depth(), commit_seconds_.snapshot(), group_size_.snapshot(), sqlite::sync_seconds().snapshot()};
  }

  std::size_t purge(Millis before) override {
    std::size_t purged = 0;
    write([&](WriteTxn& txn) -> std::optional<Problem> {
      purged = static_cast<sqlite::SqliteWriteTxn&>(txn).purge(before);
      return std::nullopt;
    });
    return purged;
  }

 private:
  using Job = GroupWriter::Job;

  // A reader connection borrowed from the pool for the length of one call.
  class ReaderLease {
   public:
    ReaderLease(SqliteStore& store, std::unique_ptr<Connection> conn) : store_(store), conn_(std::move(conn)) {}
    ~ReaderLease() { store_.return_reader(std::move(conn_)); }
    Connection* operator->() { return conn_.get(); }
    Connection& operator*() { return *conn_; }

   private:
    SqliteStore& store_;
    std::unique_ptr<Connection> conn_;
  };

  ReaderLease lease_reader() {
    {
      MutexLock lock(&readers_mu_);
      if (!idle_readers_.empty()) {
        auto conn = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return ReaderLease(*this, std::move(conn));
      }
    }
    return ReaderLease(*this, std::make_unique<Connection>(path_, /*read_only=*/true));
  }

  void return_reader(std::unique_ptr<Connection> conn) {
    MutexLock lock(&readers_mu_);
    idle_readers_.push_back(std::move(conn));
  }

  // Group commit: every job of the batch in one transaction, each inside its
  // own savepoint so that a job's Problem undoes only that job.
  void run_batch(const std::vector<Job>& batch) {
    std::vector<std::optional<Problem>> results(batch.size());
    sqlite::SqliteWriteTxn txn(*writer_db_);
    const auto began = std::chrono::steady_clock::now();
    try {
      writer_db_->run("BEGIN IMMEDIATE");
      for (std::size_t i = 0; i < batch.size(); ++i) results[i] = run_job(txn, batch[i]);
      txn.flush();
      writer_db_->run("COMMIT");
      commit_seconds_.observe(std::chrono::steady_clock::now() - began);
      group_size_.observe(static_cast<double>(batch.size()));
    } catch (const std::exception& e) {
      std::cerr << "store: transaction failed: " << e.what() << "\n";
      try {
        writer_db_->exec("ROLLBACK");
      } catch (...) {
      }
      for (auto& r : results) {
        if (!r) r = Problem::unavailable("the write could not be committed; nothing was changed");
      }
      GroupWriter::finish(batch, results);
      return;
    }
    GroupWriter::finish(batch, results);
    notify(txn.committed_changes());
  }

  std::optional<Problem> run_job(sqlite::SqliteWriteTxn& txn, const Job& job) {
    writer_db_->run("SAVEPOINT job");
    txn.begin_job();
    std::optional<Problem> problem;
    try {
      problem = job.fn(txn);
    } catch (const sqlite::Error& e) {
      // If the connection itself is broken the COMMIT fails and the batch is failed.
      problem = GroupWriter::failed_job(e, true);
    } catch (const std::exception& e) {
      problem = GroupWriter::failed_job(e, false);
    }
    if (problem) {
      writer_db_->run("ROLLBACK TO job");
      txn.abort_job();
    }
    writer_db_->run("RELEASE job");
    return problem;
  }

  void notify(const std::map<std::string, std::vector<CommittedChange>>& changes) {
    MutexLock lock(&listener_mu_);
    for (const auto& listener : listeners_)
      for (const auto& [tenant, list] : changes) listener(tenant, list);
  }

  const std::string path_;
  sqlite::Checkpointer checkpointer_;      // outlives writer_db_, whose WAL hook it is
  std::unique_ptr<Connection> writer_db_;  // used by the writer thread only

  Histogram commit_seconds_{Histogram::seconds_bounds()};
  Histogram group_size_{{1, 2, 4, 8, 16, 32, 64, 128, 256, 512}};

  Mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_ GUARDED_BY(readers_mu_);

  Mutex listener_mu_;
  std::vector<CommitListener> listeners_ GUARDED_BY(listener_mu_);

  std::optional<GroupWriter> writer_;  // last: its thread uses everything above
};

}  // namespace

std::unique_ptr<Store> make_sqlite_store(const std::string& path) { return std::make_unique<SqliteStore>(path); }

}  // namespace shelfsync
