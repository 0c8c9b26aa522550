#include "store/sqlite/schema.hpp"

#include <string>

#include <boost/json/parse.hpp>

#include "domain/figures.hpp"
#include "store/sqlite/digests.hpp"
#include "store/sqlite/figures.hpp"

namespace shelfsync::sqlite {
namespace {

// The migration that creates the figures table (9): the records already
// stored are counted into it in the same transaction.
constexpr std::int64_t kFiguresMigration = 9;
constexpr std::int64_t kDigestsMigration = 11;

void count_stored_figures(Connection& db) {
  // A statement of its own, not the cache: it stays open while add_figures
  // uses the cached ones.
  Statement rows(db.handle(),
                 "SELECT tenant, entity, data, updated_at FROM records "
                 "WHERE deleted = 0 AND entity IN ('orders', 'bills', 'products')");
  while (rows.step()) {
    boost::system::error_code ec;
    auto doc = boost::json::parse(rows.column_text(2), ec);
    if (ec || !doc.is_object()) continue;
    add_figures(db, rows.column_text(0),
                figure_contributions(rows.column_text(1), doc.as_object(), rows.column_int(3)));
  }
}

constexpr const char* kMigrations[] = {
    // 1: tenants, tokens, records with secondary keys, and the change log.
    R"sql(
CREATE TABLE tenants (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  currency   TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE tokens (
  hash        TEXT PRIMARY KEY,        -- hex SHA-256 of the token
  tenant      TEXT NOT NULL REFERENCES tenants(id),
  role        TEXT NOT NULL,
  customer_id TEXT NOT NULL DEFAULT '',
  revoked     INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE records (
  tenant     TEXT NOT NULL,
  entity     TEXT NOT NULL,
  id         TEXT NOT NULL,
  version    INTEGER NOT NULL,
  deleted    INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  data       TEXT NOT NULL,
  search     TEXT NOT NULL DEFAULT '',
  UNIQUE (tenant, entity, id)
);

-- One row per (field, value) a record can be filtered by; live records only.
CREATE TABLE record_keys (
  tenant TEXT NOT NULL,
  entity TEXT NOT NULL,
  field  TEXT NOT NULL,
  value  TEXT NOT NULL,
  id     TEXT NOT NULL,
  PRIMARY KEY (tenant, entity, field, value, id)
) WITHOUT ROWID;
CREATE INDEX record_keys_by_record ON record_keys (tenant, entity, id);

-- The change log (SPEC §6): seq per tenant, gap-free, in commit order.
CREATE TABLE changes (
  tenant  TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  entity  TEXT NOT NULL,
  id      TEXT NOT NULL,
  op      TEXT NOT NULL,
  version INTEGER NOT NULL,
  origin  TEXT NOT NULL DEFAULT '',
  at      INTEGER NOT NULL,
  PRIMARY KEY (tenant, seq)
) WITHOUT ROWID;
)sql",
    // 2: how far each tenant's change log has been purged.
    R"sql(
CREATE TABLE horizons (
  tenant TEXT PRIMARY KEY,
  seq    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX records_tombstones ON records (updated_at) WHERE deleted = 1;
)sql",
    // 3: answers kept for Idempotency-Key retries, and per-tenant counters
    // (order numbers).
    R"sql(
CREATE TABLE idempotency (
  tenant      TEXT NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,   -- what was asked, so a key reused for another request is refused
  status      INTEGER NOT NULL,
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (tenant, key)
) WITHOUT ROWID;

CREATE TABLE counters (
  tenant TEXT NOT NULL,
  name   TEXT NOT NULL,
  value  INTEGER NOT NULL,
  PRIMARY KEY (tenant, name)
) WITHOUT ROWID;
)sql",
    // 4: timed keys across tenants (the sale timer asks "what is due next";
    // 'sale_next' is kTimedKeyField), partial so other keys cost nothing;
    // kept Idempotency-Key answers by age, for the purge.
    R"sql(
CREATE INDEX record_keys_timed ON record_keys (entity, value) WHERE field = 'sale_next';
CREATE INDEX idempotency_by_age ON idempotency (created_at);
)sql",
    // 5: a trigram index over records.search for `?q=` (substring matching
    // without a scan). search_docs gives each searchable record a stable
    // docid (records has no INTEGER PRIMARY KEY, so VACUUM may renumber its
    // rowids); search_fts is contentless (the text lives in records.search)
    // and kept by triggers in the record's own write transaction. A row is in
    // both exactly while its record's search text is not empty (deleted
    // records have none). Existing databases are indexed here.
    R"sql(
CREATE TABLE search_docs (
  docid  INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  entity TEXT NOT NULL,
  id     TEXT NOT NULL,
  UNIQUE (tenant, entity, id)
);
CREATE VIRTUAL TABLE search_fts USING fts5(text, content = '', tokenize = 'trigram case_sensitive 1');

INSERT INTO search_docs (tenant, entity, id)
  SELECT tenant, entity, id FROM records WHERE search <> '' ORDER BY tenant, entity, id;
INSERT INTO search_fts (rowid, text)
  SELECT d.docid, r.search FROM search_docs d
  JOIN records r ON r.tenant = d.tenant AND r.entity = d.entity AND r.id = d.id;

CREATE TRIGGER records_search_insert AFTER INSERT ON records WHEN new.search <> '' BEGIN
  INSERT INTO search_docs (tenant, entity, id) VALUES (new.tenant, new.entity, new.id);
  INSERT INTO search_fts (rowid, text)
    SELECT docid, new.search FROM search_docs
    WHERE tenant = new.tenant AND entity = new.entity AND id = new.id;
END;

-- A contentless index forgets a row by being told its old text.
CREATE TRIGGER records_search_update AFTER UPDATE OF search ON records
WHEN old.search IS NOT new.search BEGIN
  INSERT INTO search_fts (search_fts, rowid, text)
    SELECT 'delete', docid, old.search FROM search_docs
    WHERE old.search <> '' AND tenant = old.tenant AND entity = old.entity AND id = old.id;
  -- Not OR IGNORE: the upsert that fires this imposes its own conflict policy.
  INSERT INTO search_docs (tenant, entity, id)
    SELECT new.tenant, new.entity, new.id WHERE new.search <> '' AND NOT EXISTS (
      SELECT 1 FROM search_docs WHERE tenant = new.tenant AND entity = new.entity AND id = new.id);
  INSERT INTO search_fts (rowid, text)
    SELECT docid, new.search FROM search_docs
    WHERE new.search <> '' AND tenant = new.tenant AND entity = new.entity AND id = new.id;
  DELETE FROM search_docs
    WHERE new.search = '' AND tenant = old.tenant AND entity = old.entity AND id = old.id;
END;

CREATE TRIGGER records_search_delete AFTER DELETE ON records WHEN old.search <> '' BEGIN
  INSERT INTO search_fts (search_fts, rowid, text)
    SELECT 'delete', docid, old.search FROM search_docs
    WHERE tenant = old.tenant AND entity = old.entity AND id = old.id;
  DELETE FROM search_docs WHERE tenant = old.tenant AND entity = old.entity AND id = old.id;
END;
)sql",
    // 6: the roles that could ever see one of a record's versions (a bit per
    // Role, StoredRecord::seen_by). Records written before it count as seen
    // by every role: a reader may be told of them, never left unaware.
    R"sql(
ALTER TABLE records ADD COLUMN seen_by INTEGER NOT NULL DEFAULT 31;
)sql",
    // 7: each live record's index keys, stored with it (key_list.hpp): a
    // write replaces exactly the keys its record had, so record_keys needs no
    // second index by record, which every key written used to pay for.
    R"sql(
ALTER TABLE records ADD COLUMN keys TEXT NOT NULL DEFAULT '';
UPDATE records SET keys = (
  SELECT COALESCE(group_concat(length(CAST(k.field AS BLOB)) || ':' || k.field ||
                               length(CAST(k.value AS BLOB)) || ':' || k.value, ''), '')
  FROM record_keys k WHERE k.tenant = records.tenant AND k.entity = records.entity AND k.id = records.id)
WHERE deleted = 0;
DROP INDEX record_keys_by_record;
)sql",
    // 8: each shop's time zone (IANA), whose days the figures count in.
    R"sql(
ALTER TABLE tenants ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
)sql",
    // 9: the shop's figures as sums per (series, bucket, key), kept by every
    // record write in its own transaction (domain/figures.hpp says what the
    // numbers mean); rows that come to zero are deleted. The records stored
    // before it are counted in by count_stored_figures.
    R"sql(
CREATE TABLE figures (
  tenant TEXT NOT NULL,
  series TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  key    TEXT NOT NULL,
  v0 INTEGER NOT NULL, v1 INTEGER NOT NULL, v2 INTEGER NOT NULL,
  v3 INTEGER NOT NULL, v4 INTEGER NOT NULL,
  PRIMARY KEY (tenant, series, bucket, key)
) WITHOUT ROWID;
)sql",
    // 10: the order total from which the dashboard makes an order stand out
    // (minor units; 0: none).
    R"sql(
ALTER TABLE tenants ADD COLUMN large_order_total INTEGER NOT NULL DEFAULT 0;
)sql",
    // 11: the sync digest's sums per view scope (domain/view_digest.hpp),
    // kept by every record write in its own transaction; the records stored
    // before it are counted in by count_stored_digests.
    R"sql(
CREATE TABLE digests (
  tenant TEXT NOT NULL,
  entity TEXT NOT NULL,
  field  TEXT NOT NULL,
  value  TEXT NOT NULL,
  count  INTEGER NOT NULL,
  a      INTEGER NOT NULL,
  b      INTEGER NOT NULL,
  PRIMARY KEY (tenant, entity, field, value)
) WITHOUT ROWID;
)sql",
    // 12: webhooks (SPEC §8): settings, secret and delivery state (the seq
    // the receiver acknowledged, failures in a row, paused), and each hook's
    // last attempts (n: 1, 2, ... per hook).
    R"sql(
CREATE TABLE webhooks (
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  settings TEXT NOT NULL,
  secret TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  cursor INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  paused_at INTEGER NOT NULL,
  paused_reason TEXT NOT NULL,
  PRIMARY KEY (tenant, id)
) WITHOUT ROWID;
CREATE TABLE webhook_attempts (
  tenant TEXT NOT NULL,
  webhook TEXT NOT NULL,
  n INTEGER NOT NULL,
  at INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  cursor INTEGER NOT NULL,
  changes INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  status INTEGER NOT NULL,
  answer TEXT NOT NULL,
  error TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (tenant, webhook, n)
) WITHOUT ROWID;
)sql",
    // 13: publish topics (SPEC §8): a shop's declared topics and the roles
    // (bits of Role) that read them; their records are ordinary records.
    R"sql(
CREATE TABLE topics (
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  readers INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, name)
) WITHOUT ROWID;
)sql",
};

}  // namespace

void migrate(Connection& db) {
  const auto total = static_cast<std::int64_t>(std::size(kMigrations));
  while (true) {
    // The version is read under the write lock, so two processes opening a
    // new file at once apply each migration once.
    db.exec("BEGIN IMMEDIATE");
    try {
      auto& get = db.prepare("PRAGMA user_version");
      get.step();
      const auto current = get.column_int(0);
      get.reset();
      if (current >= total) {
        db.exec("COMMIT");
        return;
      }
      db.exec(kMigrations[current]);
      if (current + 1 == kFiguresMigration) count_stored_figures(db);
      if (current + 1 == kDigestsMigration) count_stored_digests(db);
      db.exec(("PRAGMA user_version=" + std::to_string(current + 1)).c_str());
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
  }
}

}  // namespace shelfsync::sqlite
