#pragma once

#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace shelfsync::sqlite {

// Store::replay on one connection; the caller holds a read transaction so
// that the log and the records are read from one snapshot.
// Change entries with seq > after, ascending, at most `limit`.
std::vector<ChangeEntry> read_changes_after(Connection& db, const std::string& tenant, std::int64_t after,
                                            std::size_t limit);

ReplayPage read_replay(Connection& db, const std::string& tenant, std::int64_t after,
                       const std::vector<std::string>& entities, std::size_t limit);

}  // namespace shelfsync::sqlite
