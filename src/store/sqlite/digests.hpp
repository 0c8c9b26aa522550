#pragma once
// The digests table (migration 11): adding a write's digest deltas, reading
// a scope's sums, and counting in the records stored before it existed.

#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace shelfsync::sqlite {

void add_digests(Connection& db, const std::string& tenant, const std::vector<DigestDelta>& deltas);
DigestSum read_digest(Connection& db, const std::string& tenant, const DigestScope& scope);
void count_stored_digests(Connection& db);

}  // namespace shelfsync::sqlite
