#pragma once
// Every SQL statement of the PostgreSQL backend, with parameters only.

namespace shelfsync::pg::sql {

inline constexpr const char* kGetRecord =
    "SELECT id, version, deleted, created_at, updated_at, data, seen_by FROM records "
    "WHERE tenant = $1 AND entity = $2 AND id = $3";
inline constexpr const char* kGetHead =
    "SELECT version, deleted FROM records WHERE tenant = $1 AND entity = $2 AND id = $3";
inline constexpr const char* kUpsertRecord =
    "INSERT INTO records AS r (tenant, entity, id, version, deleted, created_at, updated_at, data, "
    "search, seen_by, keys) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
    "ON CONFLICT (tenant, entity, id) DO UPDATE SET version = excluded.version, "
    "deleted = excluded.deleted, updated_at = excluded.updated_at, data = excluded.data, "
    "search = excluded.search, seen_by = r.seen_by | excluded.seen_by, keys = excluded.keys "
    "RETURNING seen_by";
inline constexpr const char* kGetKeys = "SELECT keys FROM records WHERE tenant = $1 AND entity = $2 AND id = $3";
inline constexpr const char* kDeleteKey =
    "DELETE FROM record_keys WHERE tenant = $1 AND entity = $2 AND field = $3 AND value = $4 AND id = $5";
inline constexpr const char* kInsertKey =
    "INSERT INTO record_keys (tenant, entity, field, value, id) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT DO NOTHING";
inline constexpr const char* kHasKey =
    "SELECT 1 FROM record_keys WHERE tenant = $1 AND entity = $2 AND field = $3 AND value = $4 AND id = $5";

// The tenant's write lock: its log head row, taken (created if new) before
// anything else the transaction does for the tenant; it yields the newest seq.
inline constexpr const char* kLockLogHead =
    "INSERT INTO log_heads AS h (tenant, seq) VALUES ($1, 0) "
    "ON CONFLICT (tenant) DO UPDATE SET seq = h.seq RETURNING seq";
// The same without waiting: no row if the tenant is new, 55P03 if it is held.
inline constexpr const char* kTryLockLogHead = "SELECT seq FROM log_heads WHERE tenant = $1 FOR UPDATE NOWAIT";
inline constexpr const char* kPutLogHead = "UPDATE log_heads SET seq = $2 WHERE tenant = $1";
inline constexpr const char* kHead = "SELECT seq FROM log_heads WHERE tenant = $1";
inline constexpr const char* kHorizon = "SELECT horizon FROM log_heads WHERE tenant = $1";
inline constexpr const char* kAllHeads = "SELECT tenant, seq FROM log_heads";

inline constexpr const char* kInsertChange =
    "INSERT INTO changes (tenant, seq, entity, id, op, version, origin, at, created_at, seen_by, data) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
inline constexpr const char* kChangesAfter =
    "SELECT seq, entity, id, op, version, origin, at FROM changes "
    "WHERE tenant = $1 AND seq > $2 ORDER BY seq LIMIT $3";
// A range of the log with each change's record state, for the live readers
// of nodes that did not write it.
inline constexpr const char* kCommittedRange =
    "SELECT seq, entity, id, op, version, origin, at, created_at, seen_by, data FROM changes "
    "WHERE tenant = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4";

inline constexpr const char* kPurgeTargets = "SELECT tenant, MAX(seq) FROM changes WHERE at < $1 GROUP BY tenant";
inline constexpr const char* kPurgeChanges = "DELETE FROM changes WHERE tenant = $1 AND seq <= $2";
inline constexpr const char* kPutHorizon = "UPDATE log_heads SET horizon = GREATEST(horizon, $2) WHERE tenant = $1";
inline constexpr const char* kPurgeTombstones = "DELETE FROM records WHERE deleted AND updated_at < $1";
inline constexpr const char* kPurgeIdempotency = "DELETE FROM idempotency WHERE created_at < $1";

inline constexpr const char* kFindByKey =
    "SELECT id FROM record_keys WHERE tenant = $1 AND entity = $2 AND field = $3 AND value = $4 "
    "ORDER BY id LIMIT $5";
// The field is a literal so the partial index record_keys_timed applies.
inline constexpr const char* kFirstTimedKey =
    "SELECT value FROM record_keys WHERE field = 'sale_next' AND entity = $1 ORDER BY value LIMIT 1";
inline constexpr const char* kTimedKeysUpTo =
    "SELECT tenant, id, value FROM record_keys WHERE field = 'sale_next' AND entity = $1 "
    "AND value <= $2 ORDER BY value LIMIT $3";

inline constexpr const char* kGetCounter = "SELECT value FROM counters WHERE tenant = $1 AND name = $2";
inline constexpr const char* kPutCounter =
    "INSERT INTO counters (tenant, name, value) VALUES ($1, $2, $3) "
    "ON CONFLICT (tenant, name) DO UPDATE SET value = excluded.value";
inline constexpr const char* kGetIdempotent =
    "SELECT fingerprint, status, body FROM idempotency WHERE tenant = $1 AND key = $2";
inline constexpr const char* kPutIdempotent =
    "INSERT INTO idempotency (tenant, key, fingerprint, status, body, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
inline constexpr const char* kGetTenant =
    "SELECT id, name, currency, time_zone, large_order_total FROM tenants WHERE id = $1";
inline constexpr const char* kPutTenant =
    "INSERT INTO tenants (id, name, currency, time_zone, large_order_total, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, currency = excluded.currency, "
    "time_zone = excluded.time_zone, large_order_total = excluded.large_order_total";
inline constexpr const char* kGetToken =
    "SELECT t.tenant, t.role, t.customer_id, t.revoked, n.currency FROM tokens t "
    "JOIN tenants n ON n.id = t.tenant WHERE t.hash = $1";
inline constexpr const char* kPutToken =
    "INSERT INTO tokens (hash, tenant, role, customer_id, revoked, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
inline constexpr const char* kRevokeToken = "UPDATE tokens SET revoked = true WHERE hash = $1";

inline constexpr const char* kAddFigure =
    "INSERT INTO figures AS f (tenant, series, bucket, key, v0, v1, v2, v3, v4) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
    "ON CONFLICT (tenant, series, bucket, key) DO UPDATE SET v0 = f.v0 + excluded.v0, "
    "v1 = f.v1 + excluded.v1, v2 = f.v2 + excluded.v2, v3 = f.v3 + excluded.v3, "
    "v4 = f.v4 + excluded.v4 RETURNING v0 = 0 AND v1 = 0 AND v2 = 0 AND v3 = 0 AND v4 = 0";
inline constexpr const char* kDeleteFigure =
    "DELETE FROM figures WHERE tenant = $1 AND series = $2 AND bucket = $3 AND key = $4";
inline constexpr const char* kFigureTotal =
    "SELECT 0, '', COALESCE(SUM(v0), 0), COALESCE(SUM(v1), 0), COALESCE(SUM(v2), 0), "
    "COALESCE(SUM(v3), 0), COALESCE(SUM(v4), 0) FROM figures "
    "WHERE tenant = $1 AND series = $2 AND bucket BETWEEN $3 AND $4 LIMIT $5";
inline constexpr const char* kFigureByBucket =
    "SELECT bucket, '', SUM(v0), SUM(v1), SUM(v2), SUM(v3), SUM(v4) FROM figures "
    "WHERE tenant = $1 AND series = $2 AND bucket BETWEEN $3 AND $4 "
    "GROUP BY bucket ORDER BY bucket LIMIT $5";
inline constexpr const char* kFigureByKey =
    "SELECT 0, key, SUM(v0), SUM(v1), SUM(v2), SUM(v3), SUM(v4) FROM figures "
    "WHERE tenant = $1 AND series = $2 AND bucket BETWEEN $3 AND $4 "
    "GROUP BY key ORDER BY key LIMIT $5";

inline constexpr const char* kAddDigest =
    "INSERT INTO digests AS d (tenant, entity, field, value, count, a, b) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) "
    "ON CONFLICT (tenant, entity, field, value) DO UPDATE SET count = d.count + excluded.count, "
    "a = (d.a + excluded.a) % 4294967296, b = (d.b + excluded.b) % 4294967296 "
    "RETURNING count = 0 AND a = 0 AND b = 0";
inline constexpr const char* kDeleteDigest =
    "DELETE FROM digests WHERE tenant = $1 AND entity = $2 AND field = $3 AND value = $4";
inline constexpr const char* kGetDigest =
    "SELECT count, a, b FROM digests WHERE tenant = $1 AND entity = $2 AND field = $3 AND value = $4";

inline constexpr const char* kGetWebhook =
    "SELECT tenant, id, settings, secret, version, created_at, updated_at, cursor, failures, paused_at, "
    "paused_reason FROM webhooks WHERE tenant = $1 AND id = $2";
inline constexpr const char* kListWebhooks =
    "SELECT tenant, id, settings, secret, version, created_at, updated_at, cursor, failures, paused_at, "
    "paused_reason FROM webhooks WHERE $1 = '' OR tenant = $1 ORDER BY tenant, id";
inline constexpr const char* kPutWebhook =
    "INSERT INTO webhooks (tenant, id, settings, secret, version, created_at, updated_at, cursor, failures, "
    "paused_at, paused_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
    "ON CONFLICT (tenant, id) DO UPDATE SET settings = excluded.settings, secret = excluded.secret, "
    "version = excluded.version, created_at = excluded.created_at, updated_at = excluded.updated_at, "
    "cursor = excluded.cursor, failures = excluded.failures, paused_at = excluded.paused_at, "
    "paused_reason = excluded.paused_reason";
inline constexpr const char* kDeleteAttempts = "DELETE FROM webhook_attempts WHERE tenant = $1 AND webhook = $2";
inline constexpr const char* kDeleteWebhook = "DELETE FROM webhooks WHERE tenant = $1 AND id = $2";
inline constexpr const char* kAddAttempt =
    "INSERT INTO webhook_attempts (tenant, webhook, n, at, message_id, cursor, changes, attempt, status, "
    "answer, error, duration_ms) VALUES ($1, $2, (SELECT COALESCE(MAX(n), 0) + 1 FROM webhook_attempts "
    "WHERE tenant = $1 AND webhook = $2), $3, $4, $5, $6, $7, $8, $9, $10, $11)";
inline constexpr const char* kTrimAttempts =
    "DELETE FROM webhook_attempts WHERE tenant = $1 AND webhook = $2 AND n <= "
    "(SELECT MAX(n) FROM webhook_attempts WHERE tenant = $1 AND webhook = $2) - $3";
inline constexpr const char* kListAttempts =
    "SELECT at, message_id, cursor, changes, attempt, status, answer, error, duration_ms FROM webhook_attempts "
    "WHERE tenant = $1 AND webhook = $2 ORDER BY n DESC LIMIT $3";

inline constexpr const char* kGetTopic =
    "SELECT tenant, name, readers, created_at, updated_at FROM topics WHERE tenant = $1 AND name = $2";
inline constexpr const char* kListTopics =
    "SELECT tenant, name, readers, created_at, updated_at FROM topics WHERE $1 = '' OR tenant = $1 "
    "ORDER BY tenant, name";
inline constexpr const char* kPutTopic =
    "INSERT INTO topics (tenant, name, readers, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (tenant, name) DO UPDATE SET readers = excluded.readers, created_at = excluded.created_at, "
    "updated_at = excluded.updated_at";

}  // namespace shelfsync::pg::sql
