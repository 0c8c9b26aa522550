#pragma once

#include "store/postgres/connection.hpp"

namespace shelfsync::pg {

// Brings the database's schema up to date. Several nodes may start at once:
// migrations run under an advisory lock, each once.
void migrate(Connection& db);

}  // namespace shelfsync::pg
