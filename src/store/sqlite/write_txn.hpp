#pragma once
// The writer's view of one group-commit transaction. Assigns change-log seqs:
// the writer is the only one appending, it holds SQLite's write lock for the
// whole transaction, and seqs of a job that rolls back are handed out again,
// so per tenant the committed seqs are strictly increasing without gaps.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"
#include "store/txn_journal.hpp"

namespace shelfsync::sqlite {

std::optional<Tenant> read_tenant(Connection& db, const std::string& id);
std::int64_t read_max_seq(Connection& db, const std::string& tenant);
// A row of sql::kGetRecord's columns.
StoredRecord read_record(const Statement& st, const std::string& tenant, const std::string& entity);
// One record's stored state (a tombstone too), if any.
std::optional<StoredRecord> get_record(Connection& db, const std::string& tenant, const std::string& entity,
                                       const std::string& id);

class SqliteWriteTxn final : public WriteTxn {
 public:
  explicit SqliteWriteTxn(Connection& db) : db_(db) {}

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
  std::optional<TopicRow> topic(const std::string& tenant, const std::string& name) override;
  void put_topic(const TopicRow& topic) override;
  bool delete_webhook(const std::string& tenant, const std::string& id) override;
  void add_webhook_attempt(const std::string& tenant, const std::string& id, const WebhookAttempt& attempt,
                           std::size_t keep) override;

  // Job boundaries inside the batch: abort_job forgets what the job appended.
  void begin_job() { journal_.begin_job(); }
  void abort_job() { journal_.abort_job(); }
  // Before COMMIT: writes what the transaction keeps in memory (counters).
  void flush();

  const std::map<std::string, std::vector<CommittedChange>>& committed_changes() const { return journal_.changes; }

  // Drops log entries and tombstones older than `before`; see Store::purge.
  std::size_t purge(Millis before);

 private:
  IndexKeys stored_keys(const StoredRecord& r);
  void write_keys(const StoredRecord& r, const IndexKeys& before, const IndexKeys& after);
  void key_statement(const char* sql, const StoredRecord& r, const std::string& field, const std::string& value);
  std::int64_t next_seq(const std::string& tenant);

  Connection& db_;
  TxnJournal journal_;
};

}  // namespace shelfsync::sqlite
