#pragma once
// For tests: a fresh database on the PostgreSQL server SHELFSYNC_TEST_PG
// names (scripts/pg-sandbox.sh starts one), dropped when it goes.

#include <cstdlib>
#include <string>

#include "domain/ids.hpp"
#include "store/postgres/connection.hpp"

namespace shelfsync::pg {

inline const char* test_server() { return std::getenv("SHELFSYNC_TEST_PG"); }

class TestDatabase {
 public:
  TestDatabase() : server_(test_server()), name_("shelfsync_t_" + random_hex(6)) {
    Connection(server_).exec(("CREATE DATABASE " + name_).c_str());
  }
  ~TestDatabase() {
    try {
      Connection(server_).exec(("DROP DATABASE " + name_ + " WITH (FORCE)").c_str());
    } catch (...) {  // the server went away: nothing left to clean
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // The server's URL naming this database.
  std::string url() const {
    const auto query = server_.find('?');
    const auto slash = server_.rfind('/', query);
    return server_.substr(0, slash + 1) + name_ + (query == std::string::npos ? "" : server_.substr(query));
  }

 private:
  std::string server_;
  std::string name_;
};

}  // namespace shelfsync::pg
