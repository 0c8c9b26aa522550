#pragma once
// GET /api/sync and /api/sync/digest (SPEC §6), without HTTP: the reader's
// view of the change log since a cursor, a paged full snapshot, and a digest
// of what the reader sees.

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/tokens.hpp"
#include "domain/collection.hpp"
#include "feed/digest_cache.hpp"
#include "feed/cursor.hpp"
#include "store/store.hpp"

namespace shelfsync {

struct SyncRequest {
  std::vector<const Collection*> entities;
  std::optional<std::int64_t> since;         // a cursor
  std::optional<SnapshotPosition> snapshot;  // continuing a full snapshot
  std::size_t limit = 500;                   // records per answer
};

struct SyncAnswer {
  boost::json::object body;
  bool has_changes = false;
  std::int64_t cursor_seq = 0;  // for a long-poll: the seq to wait past
};

// 410 cursor_expired if `since` lies beyond the retention horizon or ahead
// of the log. Blocks on the store.
Result<SyncAnswer> run_sync(Store& store, const Principal& who, const SyncRequest& request);

// {cursor, count, hash}: hash is SHA-256 (hex) over the sorted lines
// "<entity>/<id>:<version>" of every record the reader sees.
boost::json::object run_digest(Store& store, const Principal& who,
                               const std::vector<const Collection*>& entities);

// run_digest, answered from `cache` while the tenant's log has not moved
// since the kept answer was computed.
boost::json::object cached_digest(Store& store, DigestCache& cache, const Principal& who,
                                  const std::vector<const Collection*>& entities);

}  // namespace shelfsync
