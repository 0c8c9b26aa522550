#pragma once
// A thin RAII layer over the SQLite C API: one Connection per thread at a
// time, prepared statements cached per connection (the SQL text is the key,
// so statements must be named constants with bound parameters).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include <sqlite3.h>

namespace shelfsync::sqlite {

class Error : public std::runtime_error {
 public:
  Error(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// A prepared statement, reset on destruction of the Binding that uses it.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind_null(int index);
  // true while a row is available; throws Error on failure.
  bool step();
  void run() {
    while (step()) {
    }
  }
  void reset();

  std::int64_t column_int(int col) const;
  std::string column_text(int col) const;
  bool column_is_null(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Connection {
 public:
  // Opens (creating if needed) the database file with WAL, FULL sync and a
  // busy timeout, so that an acknowledged commit survives power loss.
  explicit Connection(const std::string& path, bool read_only = false);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(const char* sql);
  // exec for a fixed statement run often (BEGIN, SAVEPOINT, ...): prepared once.
  void run(const char* sql) { prepare(sql).run(); }
  // A cached statement, reset and with bindings cleared, ready to bind.
  // `sql` must outlive the connection (a named constant or a literal): the
  // cache is keyed by its address, so a lookup neither copies nor compares
  // the text (it showed in the writer's profile).
  Statement& prepare(const char* sql);
  // The same for SQL assembled at run time, keyed by its text.
  Statement& prepare_assembled(const std::string& sql);
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, std::unique_ptr<Statement>> cache_;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> assembled_;
};

}  // namespace shelfsync::sqlite
