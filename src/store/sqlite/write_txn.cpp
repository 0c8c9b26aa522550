#include "store/sqlite/write_txn.hpp"

#include "store/key_changes.hpp"
#include "store/key_list.hpp"
#include "store/sqlite/digests.hpp"
#include "store/sqlite/figures.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/webhooks.hpp"

namespace shelfsync::sqlite {

std::optional<Tenant> read_tenant(Connection& db, const std::string& id) {
  auto& st = db.prepare(sql::kGetTenant);
  st.bind(1, id);
  std::optional<Tenant> out;
  if (st.step())
    out = Tenant{st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3), st.column_int(4)};
  st.reset();
  return out;
}

StoredRecord read_record(const Statement& st, const std::string& tenant, const std::string& entity) {
  return StoredRecord{tenant,
                      entity,
                      st.column_text(0),
                      st.column_int(1),
                      st.column_int(2) != 0,
                      st.column_int(3),
                      st.column_int(4),
                      st.column_text(5),
                      static_cast<RoleSet>(st.column_int(6))};
}

std::optional<StoredRecord> get_record(Connection& db, const std::string& tenant, const std::string& entity,
                                       const std::string& id) {
  auto& st = db.prepare(sql::kGetRecord);
  st.bind(1, tenant).bind(2, entity).bind(3, id);
  std::optional<StoredRecord> out;
  if (st.step()) out = read_record(st, tenant, entity);
  st.reset();
  return out;
}

std::optional<StoredRecord> SqliteWriteTxn::get(const std::string& tenant, const std::string& entity,
                                                const std::string& id) {
  return get_record(db_, tenant, entity, id);
}

std::optional<RecordHead> SqliteWriteTxn::head(const std::string& tenant, const std::string& entity,
                                               const std::string& id) {
  auto& st = db_.prepare(sql::kGetHead);
  st.bind(1, tenant).bind(2, entity).bind(3, id);
  std::optional<RecordHead> out;
  if (st.step()) out = RecordHead{st.column_int(0), st.column_int(1) != 0};
  st.reset();
  return out;
}

void SqliteWriteTxn::key_statement(const char* sql, const StoredRecord& r, const std::string& field,
                                   const std::string& value) {
  auto& st = db_.prepare(sql);
  st.bind(1, r.tenant).bind(2, r.entity).bind(3, field).bind(4, value).bind(5, r.id);
  st.run();
  st.reset();
}

IndexKeys SqliteWriteTxn::stored_keys(const StoredRecord& r) {
  auto& st = db_.prepare(sql::kGetKeys);
  st.bind(1, r.tenant).bind(2, r.entity).bind(3, r.id);
  std::optional<IndexKeys> keys = IndexKeys{};
  if (st.step()) keys = decode_keys(st.column_text(0));
  st.reset();
  if (!keys) throw Error(SQLITE_CORRUPT, "the stored index keys of " + r.entity + " '" + r.id + "' are unreadable");
  return std::move(*keys);
}

void SqliteWriteTxn::write_keys(const StoredRecord& r, const IndexKeys& before, const IndexKeys& after) {
  for_each_key_change(
      before, after,
      [&](const std::string& field, const std::string& value) { key_statement(sql::kDeleteKey, r, field, value); },
      [&](const std::string& field, const std::string& value) { key_statement(sql::kInsertKey, r, field, value); });
}

void SqliteWriteTxn::put(const RecordWrite& w) {
  const auto& r = w.record;
  // The keys the stored version has: the caller's, or those kept with it.
  IndexKeys stored;
  const IndexKeys& before = w.previous_keys ? *w.previous_keys : (stored = stored_keys(r));
  static const IndexKeys kNone;
  const IndexKeys& after = r.deleted ? kNone : w.keys;

  auto& up = db_.prepare(sql::kUpsertRecord);
  up.bind(1, r.tenant).bind(2, r.entity).bind(3, r.id).bind(4, r.version);
  up.bind(5, std::int64_t{r.deleted}).bind(6, r.created_at).bind(7, r.updated_at);
  up.bind(8, r.data).bind(9, r.deleted ? std::string() : w.search_text);
  up.bind(10, std::int64_t{w.seen_by}).bind(11, encode_keys(after));
  up.step();
  const auto seen_by = static_cast<RoleSet>(up.column_int(0));
  up.reset();

  write_keys(r, before, after);
  add_figures(db_, r.tenant, w.figures);
  add_digests(db_, r.tenant, w.digests);

  ChangeEntry change{next_seq(r.tenant), r.entity, r.id, r.deleted, r.version, w.origin, r.updated_at};
  auto& log = db_.prepare(sql::kInsertChange);
  log.bind(1, r.tenant).bind(2, change.seq).bind(3, change.entity).bind(4, change.id);
  log.bind(5, change.deleted ? "delete" : "upsert").bind(6, change.version);
  log.bind(7, change.origin).bind(8, change.at);
  log.run();
  log.reset();
  CommittedChange committed{std::move(change), r.created_at, std::make_shared<const std::string>(r.data), nullptr,
                            seen_by};
  if (!w.previous_data.empty()) committed.previous_data = std::make_shared<const std::string>(w.previous_data);
  journal_.changes[r.tenant].push_back(std::move(committed));
}

std::int64_t read_max_seq(Connection& db, const std::string& tenant) {
  auto& st = db.prepare(sql::kMaxSeq);
  st.bind(1, tenant);
  st.step();
  const auto seq = st.column_int(0);
  st.reset();
  return seq;
}

std::int64_t SqliteWriteTxn::next_seq(const std::string& tenant) {
  auto it = journal_.last_seq.find(tenant);
  // Read under the write lock, so appends by another process are seen.
  if (it == journal_.last_seq.end()) it = journal_.last_seq.emplace(tenant, read_max_seq(db_, tenant)).first;
  return ++it->second;
}

std::size_t SqliteWriteTxn::purge(Millis before) {
  std::vector<std::pair<std::string, std::int64_t>> targets;
  auto& find = db_.prepare(sql::kPurgeTargets);
  find.bind(1, before);
  while (find.step()) targets.emplace_back(find.column_text(0), find.column_int(1));
  find.reset();
  std::size_t purged = 0;
  for (const auto& [tenant, seq] : targets) {
    auto& del = db_.prepare(sql::kPurgeChanges);
    del.bind(1, tenant).bind(2, seq);
    del.run();
    del.reset();
    purged += static_cast<std::size_t>(sqlite3_changes(db_.handle()));
    auto& hz = db_.prepare(sql::kPutHorizon);
    hz.bind(1, tenant).bind(2, seq);
    hz.run();
    hz.reset();
  }
  auto& tomb = db_.prepare(sql::kPurgeTombstones);
  tomb.bind(1, before);
  tomb.run();
  tomb.reset();
  // Idempotency-Key answers are kept as long as the change log: a retry
  // later than that is a new request.
  auto& keys = db_.prepare(sql::kPurgeIdempotency);
  keys.bind(1, before);
  keys.run();
  keys.reset();
  return purged;
}

std::optional<Tenant> SqliteWriteTxn::tenant(const std::string& id) { return read_tenant(db_, id); }

std::vector<std::string> SqliteWriteTxn::find_ids(const std::string& tenant, const std::string& entity,
                                                  const std::string& field, const std::string& value,
                                                  std::size_t limit) {
  auto& st = db_.prepare(sql::kFindByKey);
  st.bind(1, tenant).bind(2, entity).bind(3, field).bind(4, value);
  st.bind(5, static_cast<std::int64_t>(limit));
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.column_text(0));
  st.reset();
  return out;
}

bool SqliteWriteTxn::has_key(const std::string& tenant, const std::string& entity, const std::string& id,
                             const std::string& field, const std::string& value) {
  auto& st = db_.prepare(sql::kHasKey);
  st.bind(1, tenant).bind(2, entity).bind(3, field).bind(4, value).bind(5, id);
  const bool found = st.step();
  st.reset();
  return found;
}

std::int64_t SqliteWriteTxn::next_counter(const std::string& tenant, const std::string& name) {
  auto it = journal_.counters.find({tenant, name});
  if (it == journal_.counters.end()) {
    auto& st = db_.prepare(sql::kGetCounter);
    st.bind(1, tenant).bind(2, name);
    const std::int64_t value = st.step() ? st.column_int(0) : 0;
    st.reset();
    it = journal_.counters.emplace(std::pair{tenant, name}, value).first;
  }
  return ++it->second;
}

void SqliteWriteTxn::flush() {
  for (const auto& [key, value] : journal_.counters) {
    auto& st = db_.prepare(sql::kPutCounter);
    st.bind(1, key.first).bind(2, key.second).bind(3, value);
    st.run();
    st.reset();
  }
}

std::optional<IdempotentAnswer> SqliteWriteTxn::idempotent(const std::string& tenant, const std::string& key) {
  auto& st = db_.prepare(sql::kGetIdempotent);
  st.bind(1, tenant).bind(2, key);
  std::optional<IdempotentAnswer> out;
  if (st.step()) out = IdempotentAnswer{st.column_text(0), static_cast<int>(st.column_int(1)), st.column_text(2)};
  st.reset();
  return out;
}

void SqliteWriteTxn::put_idempotent(const std::string& tenant, const std::string& key, const IdempotentAnswer& a) {
  auto& st = db_.prepare(sql::kPutIdempotent);
  st.bind(1, tenant).bind(2, key).bind(3, a.fingerprint).bind(4, std::int64_t{a.status});
  st.bind(5, a.body).bind(6, now_ms());
  st.run();
  st.reset();
}

void SqliteWriteTxn::put_tenant(const Tenant& t) {
  auto& st = db_.prepare(sql::kPutTenant);
  st.bind(1, t.id).bind(2, t.name).bind(3, t.currency).bind(4, t.time_zone);
  st.bind(5, t.large_order_total).bind(6, now_ms());
  st.run();
  st.reset();
}

void SqliteWriteTxn::put_token(const std::string& hash, const TokenRecord& t) {
  auto& st = db_.prepare(sql::kPutToken);
  st.bind(1, hash).bind(2, t.tenant).bind(3, to_string(t.role)).bind(4, t.customer_id);
  st.bind(5, std::int64_t{t.revoked}).bind(6, now_ms());
  st.run();
  st.reset();
}

bool SqliteWriteTxn::revoke_token(const std::string& hash) {
  auto& st = db_.prepare(sql::kRevokeToken);
  st.bind(1, hash);
  st.run();
  st.reset();
  return sqlite3_changes(db_.handle()) > 0;
}

std::optional<WebhookRow> SqliteWriteTxn::webhook(const std::string& tenant, const std::string& id) {
  return read_webhook(db_, tenant, id);
}

void SqliteWriteTxn::put_webhook(const WebhookRow& hook) { write_webhook(db_, hook); }

std::optional<TopicRow> SqliteWriteTxn::topic(const std::string& tenant, const std::string& name) {
  return read_topic(db_, tenant, name);
}

void SqliteWriteTxn::put_topic(const TopicRow& topic) { write_topic(db_, topic); }

bool SqliteWriteTxn::delete_webhook(const std::string& tenant, const std::string& id) {
  return erase_webhook(db_, tenant, id);
}

void SqliteWriteTxn::add_webhook_attempt(const std::string& tenant, const std::string& id,
                                         const WebhookAttempt& attempt, std::size_t keep) {
  write_webhook_attempt(db_, tenant, id, attempt, keep);
}

}  // namespace shelfsync::sqlite
