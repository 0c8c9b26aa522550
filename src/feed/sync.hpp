#pragma once
// GET /api/sync (SPEC §6), without HTTP: the reader's view of the change log
// since a cursor, and a paged full snapshot (the digest: feed/digest.hpp).

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/tokens.hpp"
#include "domain/collection.hpp"
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

// The one rule for resuming a reader of the log from a cursor (sync,
// webhooks and their replay): 410 cursor_expired if `since` lies beyond the
// retention horizon or ahead of the log (another database). Blocks on the
// store.
std::optional<Problem> check_resume_cursor(Store& store, const std::string& tenant, std::int64_t since);

// 410 cursor_expired if `since` lies beyond the retention horizon or ahead
// of the log. Blocks on the store.
Result<SyncAnswer> run_sync(Store& store, const Principal& who, const SyncRequest& request);

}  // namespace shelfsync
