#pragma once
// Store::replay's rule, the same for every backend: the log after a cursor
// read in chunks and coalesced by record, each record in its state at its
// latest change; a record changed again beyond the consumed log is left for
// the page that reaches that change (ReplayPage::moved_on). The backend
// supplies the reads, all from one snapshot.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace shelfsync {

struct ReplaySource {
  // Change entries with seq > after, ascending, at most `limit`.
  std::function<std::vector<ChangeEntry>(std::int64_t after, std::size_t limit)> changes_after;
  // The record's stored state (a tombstone too); nullopt once purged.
  std::function<std::optional<StoredRecord>(const std::string& entity, const std::string& id)> record;
};

ReplayPage scan_replay(std::int64_t head, std::int64_t after, const std::vector<std::string>& entities,
                       std::size_t limit, const ReplaySource& source);

}  // namespace shelfsync
