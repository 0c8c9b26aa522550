#pragma once
// Every SQL statement of the SQLite backend, with bound parameters only.

namespace shelfsync::sqlite::sql {

inline constexpr const char* kGetRecord =
    "SELECT id, version, deleted, created_at, updated_at, data, seen_by FROM records "
    "WHERE tenant = ?1 AND entity = ?2 AND id = ?3";
inline constexpr const char* kGetHead =
    "SELECT version, deleted FROM records WHERE tenant = ?1 AND entity = ?2 AND id = ?3";
inline constexpr const char* kUpsertRecord =
    "INSERT INTO records (tenant, entity, id, version, deleted, created_at, updated_at, data, "
    "search, seen_by, keys) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
    "ON CONFLICT (tenant, entity, id) DO UPDATE SET version = excluded.version, "
    "deleted = excluded.deleted, updated_at = excluded.updated_at, data = excluded.data, "
    "search = excluded.search, seen_by = seen_by | excluded.seen_by, keys = excluded.keys "
    "RETURNING seen_by";
inline constexpr const char* kGetKeys = "SELECT keys FROM records WHERE tenant = ?1 AND entity = ?2 AND id = ?3";
inline constexpr const char* kDeleteKey =
    "DELETE FROM record_keys WHERE tenant = ?1 AND entity = ?2 AND field = ?3 AND value = ?4 "
    "AND id = ?5";
inline constexpr const char* kInsertKey =
    "INSERT OR IGNORE INTO record_keys (tenant, entity, field, value, id) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
inline constexpr const char* kHasKey =
    "SELECT 1 FROM record_keys WHERE tenant = ?1 AND entity = ?2 AND field = ?3 AND value = ?4 AND id = ?5";
// The newest seq: from the log, or the horizon if the log was purged empty.
inline constexpr const char* kMaxSeq =
    "SELECT MAX(COALESCE((SELECT MAX(seq) FROM changes WHERE tenant = ?1), 0), "
    "COALESCE((SELECT seq FROM horizons WHERE tenant = ?1), 0))";
inline constexpr const char* kHorizon = "SELECT seq FROM horizons WHERE tenant = ?1";
inline constexpr const char* kPurgeTargets = "SELECT tenant, MAX(seq) FROM changes WHERE at < ?1 GROUP BY tenant";
inline constexpr const char* kPurgeChanges = "DELETE FROM changes WHERE tenant = ?1 AND seq <= ?2";
inline constexpr const char* kPutHorizon =
    "INSERT INTO horizons (tenant, seq) VALUES (?1, ?2) "
    "ON CONFLICT (tenant) DO UPDATE SET seq = MAX(seq, excluded.seq)";
inline constexpr const char* kPurgeTombstones = "DELETE FROM records WHERE deleted = 1 AND updated_at < ?1";
inline constexpr const char* kPurgeIdempotency = "DELETE FROM idempotency WHERE created_at < ?1";
inline constexpr const char* kInsertChange =
    "INSERT INTO changes (tenant, seq, entity, id, op, version, origin, at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
inline constexpr const char* kChangesAfter =
    "SELECT seq, entity, id, op, version, origin, at FROM changes "
    "WHERE tenant = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3";
inline constexpr const char* kFindByKey =
    "SELECT id FROM record_keys WHERE tenant = ?1 AND entity = ?2 AND field = ?3 AND value = ?4 "
    "ORDER BY id LIMIT ?5";
// The field is a literal so the partial index record_keys_timed applies.
inline constexpr const char* kFirstTimedKey =
    "SELECT value FROM record_keys WHERE field = 'sale_next' AND entity = ?1 ORDER BY value LIMIT 1";
inline constexpr const char* kTimedKeysUpTo =
    "SELECT tenant, id, value FROM record_keys WHERE field = 'sale_next' AND entity = ?1 "
    "AND value <= ?2 ORDER BY value LIMIT ?3";
inline constexpr const char* kGetCounter = "SELECT value FROM counters WHERE tenant = ?1 AND name = ?2";
inline constexpr const char* kPutCounter =
    "INSERT INTO counters (tenant, name, value) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (tenant, name) DO UPDATE SET value = excluded.value";
inline constexpr const char* kGetIdempotent =
    "SELECT fingerprint, status, body FROM idempotency WHERE tenant = ?1 AND key = ?2";
inline constexpr const char* kPutIdempotent =
    "INSERT INTO idempotency (tenant, key, fingerprint, status, body, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
inline constexpr const char* kGetTenant =
    "SELECT id, name, currency, time_zone, large_order_total FROM tenants WHERE id = ?1";
inline constexpr const char* kPutTenant =
    "INSERT INTO tenants (id, name, currency, time_zone, large_order_total, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, currency = excluded.currency, "
    "time_zone = excluded.time_zone, large_order_total = excluded.large_order_total";
// With its tenant's currency: a request's authentication is one read.
inline constexpr const char* kGetToken =
    "SELECT t.tenant, t.role, t.customer_id, t.revoked, n.currency FROM tokens t "
    "JOIN tenants n ON n.id = t.tenant WHERE t.hash = ?1";
inline constexpr const char* kPutToken =
    "INSERT INTO tokens (hash, tenant, role, customer_id, revoked, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
inline constexpr const char* kRevokeToken = "UPDATE tokens SET revoked = 1 WHERE hash = ?1";

// List queries are assembled from these fixed fragments: one key join per
// filter, all values bound.
inline constexpr const char* kListColumns =
    "SELECT r.id, r.version, r.deleted, r.created_at, r.updated_at, r.data, r.seen_by";
inline constexpr const char* kListFrom = " FROM records r";
inline constexpr const char* kListKeyJoin =
    " JOIN record_keys k{N} ON k{N}.tenant = r.tenant AND k{N}.entity = r.entity "
    "AND k{N}.id = r.id AND k{N}.field = ? AND k{N}.value = ?";
inline constexpr const char* kListWhere = " WHERE r.tenant = ? AND r.entity = ? AND r.deleted = 0 AND r.id > ?";
inline constexpr const char* kListOrder = " ORDER BY r.id LIMIT ?";
// An indexed search starts from the trigram index's matches (CROSS JOIN fixes
// that order) and checks each with instr, so it answers exactly what the
// plain substring test would. Binds: filters..., kListWhere's, the match,
// the substring, the limit.
inline constexpr const char* kListSearchFrom =
    " FROM search_fts f CROSS JOIN search_docs d ON d.docid = f.rowid "
    "CROSS JOIN records r ON r.tenant = d.tenant AND r.entity = d.entity AND r.id = d.id";
inline constexpr const char* kListSearchMatch = " AND search_fts MATCH ?";
inline constexpr const char* kListSearch = " AND instr(r.search, ?) > 0";
// A short search reads a bounded window and flags the matches (the column
// after kListColumns'); its substring is bound first.
inline constexpr const char* kListHitColumn = ", instr(r.search, ?) > 0";
inline constexpr int kListHitColumnIndex = 7;

// Figures (migration 9).
inline constexpr const char* kAddFigure =
    "INSERT INTO figures (tenant, series, bucket, key, v0, v1, v2, v3, v4) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
    "ON CONFLICT (tenant, series, bucket, key) DO UPDATE SET v0 = v0 + excluded.v0, "
    "v1 = v1 + excluded.v1, v2 = v2 + excluded.v2, v3 = v3 + excluded.v3, "
    "v4 = v4 + excluded.v4 RETURNING v0 = 0 AND v1 = 0 AND v2 = 0 AND v3 = 0 AND v4 = 0";
// Digest sums per view scope (domain/view_digest.hpp): lanes mod 2^32.
inline constexpr const char* kAddDigest =
    "INSERT INTO digests (tenant, entity, field, value, count, a, b) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT (tenant, entity, field, value) DO UPDATE SET count = count + excluded.count, "
    "a = (a + excluded.a) % 4294967296, b = (b + excluded.b) % 4294967296 "
    "RETURNING count = 0 AND a = 0 AND b = 0";
inline constexpr const char* kDeleteDigest =
    "DELETE FROM digests WHERE tenant = ?1 AND entity = ?2 AND field = ?3 AND value = ?4";
inline constexpr const char* kGetDigest =
    "SELECT count, a, b FROM digests WHERE tenant = ?1 AND entity = ?2 AND field = ?3 AND value = ?4";
inline constexpr const char* kDeleteFigure =
    "DELETE FROM figures WHERE tenant = ?1 AND series = ?2 AND bucket = ?3 AND key = ?4";
// A sum, sums per bucket or sums per key over a bucket range of one series.
inline constexpr const char* kFigureTotal =
    "SELECT 0, '', SUM(v0), SUM(v1), SUM(v2), SUM(v3), SUM(v4) FROM figures "
    "WHERE tenant = ?1 AND series = ?2 AND bucket BETWEEN ?3 AND ?4 LIMIT ?5";
inline constexpr const char* kFigureByBucket =
    "SELECT bucket, '', SUM(v0), SUM(v1), SUM(v2), SUM(v3), SUM(v4) FROM figures "
    "WHERE tenant = ?1 AND series = ?2 AND bucket BETWEEN ?3 AND ?4 "
    "GROUP BY bucket ORDER BY bucket LIMIT ?5";
inline constexpr const char* kFigureByKey =
    "SELECT 0, key, SUM(v0), SUM(v1), SUM(v2), SUM(v3), SUM(v4) FROM figures "
    "WHERE tenant = ?1 AND series = ?2 AND bucket BETWEEN ?3 AND ?4 "
    "GROUP BY key ORDER BY key LIMIT ?5";

}  // namespace shelfsync::sqlite::sql
