#pragma once

#include "store/sqlite/connection.hpp"

namespace shelfsync::sqlite {

// Brings the database to the newest schema. Migrations are numbered by their
// position; PRAGMA user_version records how many have been applied, and each
// one runs in its own transaction, so a crash mid-migration leaves the last
// complete version.
void migrate(Connection& db);

}  // namespace shelfsync::sqlite
