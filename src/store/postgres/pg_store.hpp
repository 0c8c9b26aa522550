#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"

namespace shelfsync {

// The backend for several nodes: one PostgreSQL database (a postgres:// or
// postgresql:// URL) shared by every `serve`. Connects and migrates; throws
// std::runtime_error if that fails.
std::unique_ptr<Store> make_postgres_store(const std::string& url);

}  // namespace shelfsync
