#include "store/postgres/write_txn.hpp"

#include "store/key_changes.hpp"
#include "store/key_list.hpp"
#include "store/postgres/queries.hpp"
#include "store/postgres/reads.hpp"

namespace shelfsync::pg {

std::int64_t& PgWriteTxn::lock(const std::string& tenant) {
  const bool first_call = job_calls_++ == 0;
  auto it = journal_.last_seq.find(tenant);
  if (it != journal_.last_seq.end()) return it->second;
  std::optional<std::int64_t> seq;
  if (!journal_.last_seq.empty() && first_call) {
    // Holding other tenants' locks, a wait could close a cycle with another
    // node's transaction. The job has done nothing yet: it can run again,
    // first in a transaction of its own, where it waits holding nothing.
    try {
      auto rows = db_.run(sql::kTryLockLogHead, tenant);
      if (!rows.empty()) seq = rows.integer(0, 0);
    } catch (const Error& e) {
      if (e.sqlstate() == "55P03") throw LockBusy();
      throw;
    }
  }
  // A job that already holds its first tenant's lock and asks for another
  // waits (the sale timer's: a batch of due products of several shops); a
  // deadlock then fails that job alone, and it is tried again.
  if (!seq) seq = db_.run(sql::kLockLogHead, tenant).integer(0, 0);
  return journal_.last_seq.emplace(tenant, *seq).first->second;
}

std::optional<StoredRecord> PgWriteTxn::get(const std::string& tenant, const std::string& entity,
                                            const std::string& id) {
  lock(tenant);
  return read_record(db_, tenant, entity, id);
}

std::optional<RecordHead> PgWriteTxn::head(const std::string& tenant, const std::string& entity,
                                           const std::string& id) {
  lock(tenant);
  if (!storable(id)) return std::nullopt;
  auto r = db_.run(sql::kGetHead, tenant, entity, id);
  if (r.empty()) return std::nullopt;
  return RecordHead{r.integer(0, 0), r.boolean(0, 1)};
}

void PgWriteTxn::put(const RecordWrite& w) {
  const auto& r = w.record;
  auto& seq = lock(r.tenant);
  // The keys the stored version has: the caller's, or those kept with it.
  IndexKeys stored;
  if (!w.previous_keys) {
    auto rows = db_.run(sql::kGetKeys, r.tenant, r.entity, r.id);
    auto keys = rows.empty() ? std::optional<IndexKeys>(IndexKeys{}) : decode_keys(rows.text(0, 0));
    if (!keys) throw Error("XX001", false, "the stored index keys of " + r.entity + " '" + r.id + "' are unreadable");
    stored = std::move(*keys);
  }
  const IndexKeys& before = w.previous_keys ? *w.previous_keys : stored;
  static const IndexKeys kNone;
  const IndexKeys& after = r.deleted ? kNone : w.keys;

  auto up =
      db_.run(sql::kUpsertRecord, r.tenant, r.entity, r.id, r.version, r.deleted, r.created_at, r.updated_at, r.data,
              r.deleted ? std::string() : w.search_text, static_cast<std::int64_t>(w.seen_by), encode_keys(after));
  const auto seen_by = static_cast<RoleSet>(up.integer(0, 0));

  for_each_key_change(
      before, after,
      [&](const std::string& field, const std::string& value) {
        db_.run(sql::kDeleteKey, r.tenant, r.entity, field, value, r.id);
      },
      [&](const std::string& field, const std::string& value) {
        db_.run(sql::kInsertKey, r.tenant, r.entity, field, value, r.id);
      });
  for (const auto& d : w.figures) {
    auto zero = db_.run(sql::kAddFigure, r.tenant, d.series, d.bucket, d.key, d.values[0], d.values[1], d.values[2],
                        d.values[3], d.values[4]);
    // Nothing left in the row: keep the table as small as what it counts.
    if (zero.boolean(0, 0)) db_.run(sql::kDeleteFigure, r.tenant, d.series, d.bucket, d.key);
  }
  for (const auto& d : w.digests) {
    auto zero = db_.run(sql::kAddDigest, r.tenant, d.entity, d.field, d.value, d.sum.count, std::int64_t{d.sum.a},
                        std::int64_t{d.sum.b});
    if (zero.boolean(0, 0)) db_.run(sql::kDeleteDigest, r.tenant, d.entity, d.field, d.value);
  }

  ChangeEntry change{++seq, r.entity, r.id, r.deleted, r.version, w.origin, r.updated_at};
  db_.run(sql::kInsertChange, r.tenant, change.seq, change.entity, change.id, change.deleted ? "delete" : "upsert",
          change.version, change.origin, change.at, r.created_at, static_cast<std::int64_t>(seen_by), r.data);
  CommittedChange committed{std::move(change), r.created_at, std::make_shared<const std::string>(r.data), nullptr,
                            seen_by};
  if (!w.previous_data.empty()) committed.previous_data = std::make_shared<const std::string>(w.previous_data);
  journal_.changes[r.tenant].push_back(std::move(committed));
}

std::vector<std::string> PgWriteTxn::find_ids(const std::string& tenant, const std::string& entity,
                                              const std::string& field, const std::string& value, std::size_t limit) {
  lock(tenant);
  if (!storable(value)) return {};
  auto r = db_.run(sql::kFindByKey, tenant, entity, field, value, limit);
  std::vector<std::string> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(r.text(i, 0));
  return out;
}

bool PgWriteTxn::has_key(const std::string& tenant, const std::string& entity, const std::string& id,
                         const std::string& field, const std::string& value) {
  lock(tenant);
  if (!storable(id) || !storable(value)) return false;
  return !db_.run(sql::kHasKey, tenant, entity, field, value, id).empty();
}

std::int64_t PgWriteTxn::next_counter(const std::string& tenant, const std::string& name) {
  lock(tenant);
  auto it = journal_.counters.find({tenant, name});
  if (it == journal_.counters.end()) {
    auto r = db_.run(sql::kGetCounter, tenant, name);
    it = journal_.counters.emplace(std::pair{tenant, name}, r.empty() ? 0 : r.integer(0, 0)).first;
  }
  return ++it->second;
}

std::optional<IdempotentAnswer> PgWriteTxn::idempotent(const std::string& tenant, const std::string& key) {
  lock(tenant);
  if (!storable(key)) return std::nullopt;
  auto r = db_.run(sql::kGetIdempotent, tenant, key);
  if (r.empty()) return std::nullopt;
  return IdempotentAnswer{r.text(0, 0), static_cast<int>(r.integer(0, 1)), r.text(0, 2)};
}

void PgWriteTxn::put_idempotent(const std::string& tenant, const std::string& key, const IdempotentAnswer& a) {
  lock(tenant);
  db_.run(sql::kPutIdempotent, tenant, key, a.fingerprint, a.status, a.body, now_ms());
}

std::optional<Tenant> PgWriteTxn::tenant(const std::string& id) {
  if (!storable(id)) return std::nullopt;
  lock(id);
  return read_tenant(db_, id);
}

void PgWriteTxn::put_tenant(const Tenant& t) {
  lock(t.id);
  db_.run(sql::kPutTenant, t.id, t.name, t.currency, t.time_zone, t.large_order_total, now_ms());
}

void PgWriteTxn::put_token(const std::string& hash, const TokenRecord& t) {
  lock(t.tenant);
  db_.run(sql::kPutToken, hash, t.tenant, to_string(t.role), t.customer_id, t.revoked, now_ms());
}

bool PgWriteTxn::revoke_token(const std::string& hash) {
  if (!storable(hash)) return false;
  return db_.run(sql::kRevokeToken, hash).affected() > 0;
}

std::optional<WebhookRow> PgWriteTxn::webhook(const std::string& tenant, const std::string& id) {
  lock(tenant);
  return read_webhook(db_, tenant, id);
}

void PgWriteTxn::put_webhook(const WebhookRow& h) {
  lock(h.tenant);
  db_.run(sql::kPutWebhook, h.tenant, h.id, h.settings, h.secret, h.version, h.created_at, h.updated_at, h.cursor,
          h.failures, h.paused_at, h.paused_reason);
}

bool PgWriteTxn::delete_webhook(const std::string& tenant, const std::string& id) {
  lock(tenant);
  if (!storable(id)) return false;
  db_.run(sql::kDeleteAttempts, tenant, id);
  return db_.run(sql::kDeleteWebhook, tenant, id).affected() > 0;
}

std::optional<TopicRow> PgWriteTxn::topic(const std::string& tenant, const std::string& name) {
  lock(tenant);
  return read_topic(db_, tenant, name);
}

void PgWriteTxn::put_topic(const TopicRow& t) {
  lock(t.tenant);
  db_.run(sql::kPutTopic, t.tenant, t.name, static_cast<std::int64_t>(t.readers), t.created_at, t.updated_at);
}

void PgWriteTxn::add_webhook_attempt(const std::string& tenant, const std::string& id, const WebhookAttempt& a,
                                     std::size_t keep) {
  lock(tenant);
  db_.run(sql::kAddAttempt, tenant, id, a.at, a.message_id, a.cursor, a.changes, a.attempt, a.status, a.answer, a.error,
          a.duration_ms);
  db_.run(sql::kTrimAttempts, tenant, id, keep);
}

void PgWriteTxn::flush() {
  for (const auto& [tenant, changes] : journal_.changes)
    if (!changes.empty()) db_.run(sql::kPutLogHead, tenant, changes.back().entry.seq);
  for (const auto& [key, value] : journal_.counters) db_.run(sql::kPutCounter, key.first, key.second, value);
}

std::size_t purge_log(Connection& db, Millis before) {
  auto targets = db.run(sql::kPurgeTargets, before);
  std::size_t purged = 0;
  for (int i = 0; i < targets.size(); ++i) {
    const auto tenant = targets.text(i, 0);
    const auto seq = targets.integer(i, 1);
    purged += static_cast<std::size_t>(db.run(sql::kPurgeChanges, tenant, seq).affected());
    db.run(sql::kPutHorizon, tenant, seq);
  }
  db.run(sql::kPurgeTombstones, before);
  // Idempotency-Key answers are kept as long as the change log: a retry
  // later than that is a new request.
  db.run(sql::kPurgeIdempotency, before);
  return purged;
}

}  // namespace shelfsync::pg
