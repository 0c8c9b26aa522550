#include <stdexcept>

#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

namespace shelfsync {

std::unique_ptr<Store> open_store(const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    std::string path = url.substr(kSqlite.size());
    if (path.starts_with("//")) path = path.substr(2);  // sqlite://PATH also accepted
    if (path.empty()) throw std::runtime_error("--db sqlite: needs a file path");
    return make_sqlite_store(path);
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) return make_postgres_store(url);
  throw std::runtime_error("unsupported --db URL '" + url + "' (expected sqlite:PATH or postgres://...)");
}

}  // namespace shelfsync
