#include "store/postgres/schema.hpp"

#include <iterator>
#include <string>

namespace shelfsync::pg {
namespace {

// Taken by every node that migrates; any constant no other user of the
// database takes.
constexpr const char* kMigrationLock = "SELECT pg_advisory_lock(7313000001)";
constexpr const char* kMigrationUnlock = "SELECT pg_advisory_unlock(7313000001)";

// The same tables as the SQLite backend's migrations 1-13 end with (see
// store/sqlite/schema.cpp for what each holds), but for what PostgreSQL does
// differently: ids and key values compare byte-wise (COLLATE "C", as
// SQLite's do, so pagination by id agrees across backends); `log_heads`
// holds each tenant's newest seq and horizon, and its row is the tenant's
// write lock (docs/architecture.md, "Several nodes"); a change carries the
// record's state at that change, so other nodes can hand it to their live
// readers; search is a trigram index over records.search.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE tenants (
  id                TEXT COLLATE "C" PRIMARY KEY,
  name              TEXT NOT NULL,
  currency          TEXT NOT NULL,
  time_zone         TEXT NOT NULL DEFAULT 'UTC',
  large_order_total BIGINT NOT NULL DEFAULT 0,
  created_at        BIGINT NOT NULL
);

CREATE TABLE tokens (
  hash        TEXT COLLATE "C" PRIMARY KEY,
  tenant      TEXT COLLATE "C" NOT NULL REFERENCES tenants(id),
  role        TEXT NOT NULL,
  customer_id TEXT NOT NULL DEFAULT '',
  revoked     BOOLEAN NOT NULL DEFAULT false,
  created_at  BIGINT NOT NULL
);

CREATE TABLE records (
  tenant     TEXT COLLATE "C" NOT NULL,
  entity     TEXT COLLATE "C" NOT NULL,
  id         TEXT COLLATE "C" NOT NULL,
  version    BIGINT NOT NULL,
  deleted    BOOLEAN NOT NULL DEFAULT false,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  data       TEXT NOT NULL,
  search     TEXT NOT NULL DEFAULT '',
  seen_by    BIGINT NOT NULL DEFAULT 31,
  keys       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant, entity, id)
);
CREATE INDEX records_tombstones ON records (updated_at) WHERE deleted;
CREATE INDEX records_search ON records USING gin (search gin_trgm_ops);

CREATE TABLE record_keys (
  tenant TEXT COLLATE "C" NOT NULL,
  entity TEXT COLLATE "C" NOT NULL,
  field  TEXT COLLATE "C" NOT NULL,
  value  TEXT COLLATE "C" NOT NULL,
  id     TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant, entity, field, value, id)
);
CREATE INDEX record_keys_timed ON record_keys (entity, value) WHERE field = 'sale_next';

CREATE TABLE changes (
  tenant     TEXT COLLATE "C" NOT NULL,
  seq        BIGINT NOT NULL,
  entity     TEXT COLLATE "C" NOT NULL,
  id         TEXT COLLATE "C" NOT NULL,
  op         TEXT NOT NULL,
  version    BIGINT NOT NULL,
  origin     TEXT NOT NULL DEFAULT '',
  at         BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  seen_by    BIGINT NOT NULL,
  data       TEXT NOT NULL,
  PRIMARY KEY (tenant, seq)
);
CREATE INDEX changes_by_age ON changes (at);

CREATE TABLE log_heads (
  tenant  TEXT COLLATE "C" PRIMARY KEY,
  seq     BIGINT NOT NULL,
  horizon BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE idempotency (
  tenant      TEXT COLLATE "C" NOT NULL,
  key         TEXT COLLATE "C" NOT NULL,
  fingerprint TEXT NOT NULL,
  status      INTEGER NOT NULL,
  body        TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (tenant, key)
);
CREATE INDEX idempotency_by_age ON idempotency (created_at);

CREATE TABLE counters (
  tenant TEXT COLLATE "C" NOT NULL,
  name   TEXT COLLATE "C" NOT NULL,
  value  BIGINT NOT NULL,
  PRIMARY KEY (tenant, name)
);

CREATE TABLE figures (
  tenant TEXT COLLATE "C" NOT NULL,
  series TEXT COLLATE "C" NOT NULL,
  bucket BIGINT NOT NULL,
  key    TEXT COLLATE "C" NOT NULL,
  v0 BIGINT NOT NULL, v1 BIGINT NOT NULL, v2 BIGINT NOT NULL,
  v3 BIGINT NOT NULL, v4 BIGINT NOT NULL,
  PRIMARY KEY (tenant, series, bucket, key)
);

CREATE TABLE digests (
  tenant TEXT COLLATE "C" NOT NULL,
  entity TEXT COLLATE "C" NOT NULL,
  field  TEXT COLLATE "C" NOT NULL,
  value  TEXT COLLATE "C" NOT NULL,
  count  BIGINT NOT NULL,
  a      BIGINT NOT NULL,
  b      BIGINT NOT NULL,
  PRIMARY KEY (tenant, entity, field, value)
);

CREATE TABLE webhooks (
  tenant        TEXT COLLATE "C" NOT NULL,
  id            TEXT COLLATE "C" NOT NULL,
  settings      TEXT NOT NULL,
  secret        TEXT NOT NULL,
  version       BIGINT NOT NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  cursor        BIGINT NOT NULL,
  failures      BIGINT NOT NULL,
  paused_at     BIGINT NOT NULL,
  paused_reason TEXT NOT NULL,
  PRIMARY KEY (tenant, id)
);

CREATE TABLE webhook_attempts (
  tenant      TEXT COLLATE "C" NOT NULL,
  webhook     TEXT COLLATE "C" NOT NULL,
  n           BIGINT NOT NULL,
  at          BIGINT NOT NULL,
  message_id  TEXT NOT NULL,
  cursor      BIGINT NOT NULL,
  changes     BIGINT NOT NULL,
  attempt     BIGINT NOT NULL,
  status      BIGINT NOT NULL,
  answer      TEXT NOT NULL,
  error       TEXT NOT NULL,
  duration_ms BIGINT NOT NULL,
  PRIMARY KEY (tenant, webhook, n)
);

CREATE TABLE topics (
  tenant     TEXT COLLATE "C" NOT NULL,
  name       TEXT COLLATE "C" NOT NULL,
  readers    BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant, name)
);
)sql",
};

}  // namespace

void migrate(Connection& db) {
  db.exec(kMigrationLock);
  try {
    db.exec("CREATE TABLE IF NOT EXISTS shelfsync_schema (version INTEGER NOT NULL)");
    auto rows = db.run("SELECT version FROM shelfsync_schema");
    std::int64_t current = rows.empty() ? 0 : rows.integer(0, 0);
    if (rows.empty()) db.exec("INSERT INTO shelfsync_schema (version) VALUES (0)");
    const auto total = static_cast<std::int64_t>(std::size(kMigrations));
    for (; current < total; ++current) {
      db.exec("BEGIN");
      try {
        db.exec(kMigrations[current]);
        db.run("UPDATE shelfsync_schema SET version = $1", current + 1);
        db.exec("COMMIT");
      } catch (...) {
        db.exec("ROLLBACK");
        throw;
      }
    }
  } catch (...) {
    try {
      db.exec(kMigrationUnlock);
    } catch (...) {
    }
    throw;
  }
  db.exec(kMigrationUnlock);
}

}  // namespace shelfsync::pg
