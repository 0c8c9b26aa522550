#include "store/sqlite/schema.hpp"

#include <string>

namespace shelfsync::sqlite {
namespace {

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
      db.exec(("PRAGMA user_version=" + std::to_string(current + 1)).c_str());
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
  }
}

}  // namespace shelfsync::sqlite
