#include "store/postgres/pg_store.hpp"

#include <chrono>
#include <iostream>
#include <limits>
#include <span>
#include <type_traits>

#include "domain/ids.hpp"
#include "store/group_writer.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/leases.hpp"
#include "store/postgres/log_follower.hpp"
#include "store/postgres/queries.hpp"
#include "store/postgres/reads.hpp"
#include "store/postgres/schema.hpp"
#include "store/postgres/write_txn.hpp"
#include "util/mutex.hpp"

namespace shelfsync {
namespace {

using pg::Connection;

// As on SQLite: enough mutations per transaction to amortise the commit,
// few enough that one batch never holds its callers (or, here, the
// tenants' locks other nodes wait for) long.
constexpr std::size_t kMaxBatch = 256;
// Reader connections open at most at once; a read beyond waits for one.
constexpr std::size_t kMaxReaders = 24;

class PgStore final : public Store {
 public:
  explicit PgStore(std::string url) : url_(std::move(url)), node_(random_hex(8)), leases_(url_) {
    writer_db_ = std::make_unique<Connection>(url_);
    pg::migrate(*writer_db_);
    follower_ = std::make_unique<pg::LogFollower>(
        url_, node_, *writer_db_, [this](const std::string& tenant, const std::vector<CommittedChange>& changes) {
          MutexLock lock(&listener_mu_);
          for (const auto& listener : listeners_) listener(tenant, changes);
        });
    writer_.emplace(kMaxBatch, [this](const std::vector<GroupWriter::Job>& batch) { run_batch(batch); });
  }

  ~PgStore() override {
    writer_->stop();
    follower_.reset();
  }

  std::string backend_name() const override { return "postgres"; }

  void write_async(WriteFn fn, WriteDone done) override { writer_->submit(std::move(fn), std::move(done)); }

  std::optional<StoredRecord> get(const std::string& tenant, const std::string& entity,
                                  const std::string& id) override {
    return read([&](Connection& db) { return pg::read_record(db, tenant, entity, id); });
  }

  ListRows list(const ListQuery& q) override {
    return read([&](Connection& db) { return pg::read_list(db, q); });
  }

  std::vector<ChangeEntry> changes_after(const std::string& tenant, std::int64_t after, std::size_t limit) override {
    return read([&](Connection& db) { return pg::read_changes_after(db, tenant, after, limit); });
  }

  std::optional<Tenant> tenant(const std::string& id) override {
    return read([&](Connection& db) { return pg::read_tenant(db, id); });
  }

  std::optional<TokenRecord> token(const std::string& hash) override {
    if (!pg::storable(hash)) return std::nullopt;
    return read([&](Connection& db) -> std::optional<TokenRecord> {
      auto r = db.run(pg::sql::kGetToken, hash);
      if (r.empty()) return std::nullopt;
      const auto role = parse_role(r.text(0, 1));
      if (!role) return std::nullopt;
      return TokenRecord{r.text(0, 0), *role, r.text(0, 2), r.boolean(0, 3), r.text(0, 4)};
    });
  }

  std::optional<std::string> first_timed_key(const std::string& entity) override {
    return read([&](Connection& db) -> std::optional<std::string> {
      auto r = db.run(pg::sql::kFirstTimedKey, entity);
      if (r.empty()) return std::nullopt;
      return r.text(0, 0);
    });
  }

  std::vector<KeyedRecord> timed_keys_up_to(const std::string& entity, const std::string& up_to,
                                            std::size_t limit) override {
    return read([&](Connection& db) {
      auto r = db.run(pg::sql::kTimedKeysUpTo, entity, up_to, limit);
      std::vector<KeyedRecord> out;
      for (int i = 0; i < r.size(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2)});
      return out;
    });
  }

  void add_commit_listener(CommitListener listener) override {
    MutexLock lock(&listener_mu_);
    listeners_.push_back(std::move(listener));
  }

  std::int64_t head(const std::string& tenant) override {
    return read([&](Connection& db) { return pg::read_head(db, tenant); });
  }

  std::int64_t horizon(const std::string& tenant) override {
    return read([&](Connection& db) {
      auto r = db.run(pg::sql::kHorizon, tenant);
      return r.empty() ? std::int64_t{0} : r.integer(0, 0);
    });
  }

  ReplayPage replay(const std::string& tenant, std::int64_t after, const std::vector<std::string>& entities,
                    std::size_t limit) override {
    return read_snapshot([&](Connection& db) { return pg::read_replay(db, tenant, after, entities, limit); });
  }

  Snapshot snapshot(const ListQuery& query, const std::vector<std::string>& ids) override {
    return read_snapshot([&](Connection& db) {
      Snapshot out;
      out.head = pg::read_head(db, query.tenant);
      if (!ids.empty()) {
        for (const auto& id : ids) {
          auto r = pg::read_record(db, query.tenant, query.entity, id);
          if (r && !r->deleted) out.records.push_back(std::move(*r));
        }
        return out;
      }
      ListQuery page = query;
      if (page.limit == 0) page.limit = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
      out.records = pg::read_list(db, page).records;
      return out;
    });
  }

  std::vector<std::vector<FigureSum>> figures(const std::string& tenant,
                                              const std::vector<FigureQuery>& queries) override {
    return read_snapshot([&](Connection& db) {
      std::vector<std::vector<FigureSum>> out;
      for (const auto& q : queries) out.push_back(pg::read_figure_sums(db, tenant, q));
      return out;
    });
  }

  ScopedDigest digest(const std::string& tenant, const std::vector<DigestScope>& scopes) override {
    return read_snapshot([&](Connection& db) {
      ScopedDigest out{pg::read_head(db, tenant), {}};
      for (const auto& scope : scopes) out.sum += pg::read_digest(db, tenant, scope);
      return out;
    });
  }

  std::vector<TopicRow> topics(const std::string& tenant) override {
    return read([&](Connection& db) { return pg::read_topics(db, tenant); });
  }

  std::vector<WebhookRow> webhooks(const std::string& tenant) override {
    return read([&](Connection& db) { return pg::read_webhooks(db, tenant); });
  }

  std::vector<WebhookAttempt> webhook_attempts(const std::string& tenant, const std::string& id,
                                               std::size_t limit) override {
    return read([&](Connection& db) { return pg::read_webhook_attempts(db, tenant, id, limit); });
  }

  WriterFigures writer_figures() const override {
    return {writer_->depth(), commit_seconds_.snapshot(), group_size_.snapshot(), Histogram::Snapshot{}};
  }

  bool holds_lease(const std::string& duty) override { return leases_.holds(duty); }

  std::size_t purge(Millis before) override {
    return read([&](Connection& db) {
      db.exec("BEGIN");
      try {
        const auto purged = pg::purge_log(db, before);
        db.exec("COMMIT");
        return purged;
      } catch (...) {
        if (db.ok()) db.exec("ROLLBACK");
        throw;
      }
    });
  }

 private:
  using Job = GroupWriter::Job;

  // Runs `fn` on a pooled reader connection; a broken connection is dropped,
  // not pooled again. A pooled connection may have died while idle (the
  // database restarted): a read is tried once more on a new one.
  template <typename Fn>
  auto read(Fn&& fn) -> std::invoke_result_t<Fn&, Connection&> {
    for (int attempt = 1;; ++attempt) {
      try {
        return read_once(fn);
      } catch (const pg::Error& e) {
        if (!e.connection_lost()) throw;
        if (attempt == 2) throw StoreUnavailable(e.what());
      }
    }
  }

  template <typename Fn>
  auto read_once(Fn& fn) -> std::invoke_result_t<Fn&, Connection&> {
    auto conn = take_reader();
    try {
      auto out = fn(*conn);
      return_reader(std::move(conn));
      return out;
    } catch (...) {
      if (conn->ok() && PQtransactionStatus(conn->handle()) == PQTRANS_IDLE)
        return_reader(std::move(conn));
      else
        release_slot();
      throw;
    }
  }

  // The same in one REPEATABLE READ transaction: every statement sees one snapshot.
  template <typename Fn>
  auto read_snapshot(Fn&& fn) -> std::invoke_result_t<Fn&, Connection&> {
    return read([&](Connection& db) -> std::invoke_result_t<Fn&, Connection&> {
      db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      try {
        auto out = fn(db);
        db.exec("COMMIT");
        return out;
      } catch (...) {
        if (db.ok()) db.exec("ROLLBACK");
        throw;
      }
    });
  }

  std::unique_ptr<Connection> take_reader() {
    {
      MutexLock lock(&readers_mu_);
      while (idle_readers_.empty() && open_readers_ >= kMaxReaders) readers_cv_.wait(lock);
      if (!idle_readers_.empty()) {
        auto conn = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return conn;
      }
      ++open_readers_;
    }
    try {
      return std::make_unique<Connection>(url_);
    } catch (...) {
      release_slot();
      throw;
    }
  }

  void return_reader(std::unique_ptr<Connection> conn) {
    {
      MutexLock lock(&readers_mu_);
      idle_readers_.push_back(std::move(conn));
    }
    readers_cv_.notify_one();
  }

  void release_slot() {
    {
      MutexLock lock(&readers_mu_);
      --open_readers_;
    }
    readers_cv_.notify_one();
  }

  // Group commit, as on SQLite: the jobs of a batch in one transaction, each
  // in its own savepoint; one notification for the other nodes, sent by
  // PostgreSQL with the commit. A job that would wait for a tenant's lock
  // while the transaction holds others' (write_txn.hpp) ends the
  // transaction before it; it starts the next one.
  void run_batch(const std::vector<Job>& batch) {
    std::span<const Job> rest(batch);
    while (!rest.empty()) rest = rest.subspan(run_transaction(rest));
  }

  // Runs the first jobs of `jobs` in one transaction; returns how many.
  std::size_t run_transaction(std::span<const Job> jobs) {
    std::vector<std::optional<Problem>> results(jobs.size());
    std::size_t ran = 0;
    std::optional<pg::PgWriteTxn> txn;
    const auto began = std::chrono::steady_clock::now();
    try {
      begin();
      txn.emplace(*writer_db_);
      for (; ran < jobs.size(); ++ran) {
        auto end = run_job(*txn, jobs[ran]);
        if (end.next_transaction) break;
        results[ran] = std::move(end.problem);
      }
      txn->flush();
      if (!txn->committed_changes().empty())
        writer_db_->run("SELECT pg_notify($1, $2)", pg::kLogChannel, follower_->payload(txn->committed_changes()));
    } catch (const std::exception& e) {
      return abandon(e, jobs, results);
    }
    MutexLock gate(&follower_->gate());  // until the changes are handed over
    try {
      writer_db_->exec("COMMIT");
    } catch (const std::exception& e) {
      gate.unlock();
      return abandon(e, jobs, results);
    }
    commit_seconds_.observe(std::chrono::steady_clock::now() - began);
    group_size_.observe(static_cast<double>(ran));
    GroupWriter::finish(jobs.first(ran), std::span(results).first(ran));
    follower_->committed(txn->committed_changes(), *writer_db_);
    return ran;
  }

  // The transaction failed (the database is unreachable, or the commit
  // failed): nothing of it is claimed done (a commit whose answer was lost
  // may still have happened; its callers then retry, as with any 503).
  // Answers every job; returns how many.
  std::size_t abandon(const std::exception& e, std::span<const Job> jobs,
                      std::vector<std::optional<Problem>>& results) {
    std::cerr << "store: transaction failed: " << e.what() << "\n";
    try {
      if (writer_db_ && writer_db_->ok()) writer_db_->exec("ROLLBACK");
    } catch (...) {
    }
    if (writer_db_ && !writer_db_->ok()) writer_db_.reset();
    for (auto& r : results)
      if (!r) r = Problem::unavailable("the database is unavailable; nothing was changed");
    GroupWriter::finish(jobs, results);
    return jobs.size();
  }

  // BEGIN on the writer's connection, opening one if there is none. One that
  // died while idle (the database restarted) is replaced once: nothing was
  // sent on it yet.
  void begin() {
    for (int attempt = 1;; ++attempt) {
      try {
        if (!writer_db_ || !writer_db_->ok()) {
          writer_db_.reset();
          writer_db_ = std::make_unique<Connection>(url_);
        }
        writer_db_->exec("BEGIN");
        return;
      } catch (const pg::Error& e) {
        if (!e.connection_lost() || attempt == 2) throw;
        writer_db_.reset();
      }
    }
  }

  struct JobEnd {
    std::optional<Problem> problem;
    bool next_transaction = false;  // undone: to run first in the next transaction
  };

  JobEnd run_job(pg::PgWriteTxn& txn, const Job& job) {
    writer_db_->exec("SAVEPOINT job");
    txn.begin_job();
    std::optional<Problem> problem;
    try {
      problem = job.fn(txn);
    } catch (const pg::LockBusy&) {
      writer_db_->exec("ROLLBACK TO SAVEPOINT job");
      txn.abort_job();
      return {std::nullopt, true};
    } catch (const pg::Error& e) {
      if (e.connection_lost()) throw;  // the transaction is lost with it
      problem = GroupWriter::failed_job(e, true);
    } catch (const std::exception& e) {
      problem = GroupWriter::failed_job(e, false);
    }
    if (problem) {
      writer_db_->exec("ROLLBACK TO SAVEPOINT job");
      txn.abort_job();
    }
    writer_db_->exec("RELEASE SAVEPOINT job");
    return {std::move(problem), false};
  }

  const std::string url_;
  const std::string node_;                 // names this process in the log's notifications
  std::unique_ptr<Connection> writer_db_;  // the writer thread's (and the constructor's)
  std::unique_ptr<pg::LogFollower> follower_;
  pg::Leases leases_;

  Histogram commit_seconds_{Histogram::seconds_bounds()};
  Histogram group_size_{{1, 2, 4, 8, 16, 32, 64, 128, 256}};

  Mutex readers_mu_;
  CondVar readers_cv_;
  std::vector<std::unique_ptr<Connection>> idle_readers_ GUARDED_BY(readers_mu_);
  std::size_t open_readers_ GUARDED_BY(readers_mu_) = 0;  // idle and leased

  Mutex listener_mu_;
  std::vector<CommitListener> listeners_ GUARDED_BY(listener_mu_);

  std::optional<GroupWriter> writer_;  // last: its thread uses everything above
};

}  // namespace

std::unique_ptr<Store> make_postgres_store(const std::string& url) {
  try {
    return std::make_unique<PgStore>(url);
  } catch (const pg::Error& e) {
    throw std::runtime_error(e.what());
  }
}

}  // namespace shelfsync
