#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"

namespace shelfsync {

// The embedded backend: one SQLite file in WAL mode. Opens and migrates the
// file; throws std::runtime_error if that fails.
std::unique_ptr<Store> make_sqlite_store(const std::string& path);

}  // namespace shelfsync
