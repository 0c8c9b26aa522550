#pragma once
// The writer's view of one group-commit transaction on PostgreSQL.
//
// Several nodes write one database, so the seq counter cannot live in one
// process: each tenant's row in log_heads is its write lock. A transaction
// takes it (kLockLogHead) before it reads or writes anything of the tenant
// and holds it to COMMIT, so the writing transactions of a tenant run one
// after another across the cluster, each seeing the one before: seqs are
// handed out in commit order without gaps, and an order checks stock that
// no other node can change under it. Seqs of a job that rolls back are
// handed out again, as on SQLite.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/postgres/connection.hpp"
#include "store/store.hpp"
#include "store/txn_journal.hpp"

namespace shelfsync::pg {

class PgWriteTxn final : public WriteTxn {
 public:
  explicit PgWriteTxn(Connection& db) : db_(db) {}

  std::optional<StoredRecord> get(const std::string& tenant, const std::string& entity, const std::string& id) override;
  std::optional<RecordHead> head(const std::string& tenant, const std::string& entity, const std::string& id) override;
  void put(const RecordWrite& write) override;
  std::vector<std::string> find_ids(const std::string& tenant, const std::string& entity, const std::string& field,
                                    const std::string& value, std::size_t limit) override;
  bool has_key(const std::string& tenant, const std::string& entity, const std::string& id, const std::string& field,
               const std::string& value) override;
  std::int64_t next_counter(const std::string& tenant, const std::string& name) override;
  std::optional<IdempotentAnswer> idempotent(const std::string& tenant, const std::string& key) override;
  void put_idempotent(const std::string& tenant, const std::string& key, const IdempotentAnswer& answer) override;
  std::optional<Tenant> tenant(const std::string& id) override;
  void put_tenant(const Tenant& tenant) override;
  void put_token(const std::string& hash, const TokenRecord& token) override;
  bool revoke_token(const std::string& hash) override;
  std::optional<WebhookRow> webhook(const std::string& tenant, const std::string& id) override;
  void put_webhook(const WebhookRow& hook) override;
  bool delete_webhook(const std::string& tenant, const std::string& id) override;
  std::optional<TopicRow> topic(const std::string& tenant, const std::string& name) override;
  void put_topic(const TopicRow& topic) override;
  void add_webhook_attempt(const std::string& tenant, const std::string& id, const WebhookAttempt& attempt,
                           std::size_t keep) override;

  // Job boundaries inside the batch: abort_job forgets what the job did,
  // locks included (PostgreSQL drops a rolled-back savepoint's row locks).
  void begin_job() {
    journal_.begin_job();
    job_calls_ = 0;
  }
  void abort_job() { journal_.abort_job(); }
  // Before COMMIT: writes the new log heads and counters.
  void flush();

  const std::map<std::string, std::vector<CommittedChange>>& committed_changes() const { return journal_.changes; }

 private:
  // The tenant's write lock; returns its newest seq (of this transaction).
  // Throws LockBusy at a job's first call if another transaction holds it
  // and this one holds other tenants' locks.
  std::int64_t& lock(const std::string& tenant);

  Connection& db_;
  TxnJournal journal_;  // last_seq: the tenants locked (a rolled-back job's are not)
  int job_calls_ = 0;   // calls the running job has made
};

// Drops log entries and tombstones older than `before` (Store::purge), in the
// caller's transaction. Not a writer's job: it touches every tenant's head,
// which would make a group commit wait for every other node's.
std::size_t purge_log(Connection& db, Millis before);

}  // namespace shelfsync::pg
