#pragma once
// A batch of changes for a reader that is not a live connection: a webhook
// (hooks/dispatcher.hpp). The same readers as GET /api/sync (one per topic,
// feed/reader.hpp) over one page of the store's log after `since`, their
// change objects merged in seq order — the objects the live protocol sends.
// Each record comes once, in its state at its latest change in the page.
// Blocks on the store.

#include <cstdint>
#include <string>
#include <vector>

#include "auth/tokens.hpp"
#include "domain/collection.hpp"
#include "domain/problem.hpp"
#include "feed/view.hpp"
#include "store/store.hpp"

namespace shelfsync {

struct ChangeBatch {
  std::vector<std::string> changes;  // serialized change objects, in seq order
  std::int64_t cursor = 0;           // the log is consumed up to here
  bool has_more = false;
};

// 410 cursor_expired if `since` lies beyond the retention horizon or ahead
// of the log. `filter` applies to every topic (the caller checked it fits).
Result<ChangeBatch> read_change_batch(Store& store, const Principal& who, const std::vector<const Collection*>& topics,
                                      const RecordFilter& filter, std::int64_t since, std::size_t limit);

}  // namespace shelfsync
