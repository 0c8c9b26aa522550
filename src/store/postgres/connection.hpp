#pragma once
// A thin RAII layer over libpq: one Connection per thread at a time, every
// statement prepared once per connection (keyed by its text) and run with
// text parameters, so no value is ever spliced into SQL.

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <libpq-fe.h>

namespace shelfsync::pg {

class Error : public std::runtime_error {
 public:
  Error(std::string sqlstate, bool connection_lost, const std::string& what)
      : std::runtime_error(what), sqlstate_(std::move(sqlstate)), connection_lost_(connection_lost) {}
  const std::string& sqlstate() const { return sqlstate_; }
  // The connection is gone: nothing more can be done on it.
  bool connection_lost() const { return connection_lost_; }

 private:
  std::string sqlstate_;
  bool connection_lost_;
};

// A tenant's lock is held by another transaction, and waiting for it could
// deadlock (write_txn.hpp): the job runs again in a transaction of its own.
class LockBusy : public std::runtime_error {
 public:
  LockBusy() : std::runtime_error("a tenant's lock is busy") {}
};

// A statement's rows. Values are text; a NULL reads as "" or 0.
class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result, &PQclear) {}
  int size() const { return PQntuples(result_.get()); }
  bool empty() const { return size() == 0; }
  std::string text(int row, int col) const;
  std::int64_t integer(int row, int col) const;
  bool boolean(int row, int col) const;
  // Rows a statement without rows changed (UPDATE, DELETE, INSERT).
  std::int64_t affected() const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

// One statement parameter: text, a whole number or a flag.
class Param {
 public:
  Param(std::string_view text) : value_(text) {}
  Param(const std::string& text) : value_(text) {}
  Param(const char* text) : value_(text) {}
  Param(std::int64_t n) : value_(std::to_string(n)) {}
  Param(int n) : value_(std::to_string(n)) {}
  Param(std::size_t n) : value_(std::to_string(n)) {}
  Param(bool flag) : value_(flag ? "t" : "f") {}
  const std::string& value() const { return value_; }

 private:
  std::string value_;
};

class Connection {
 public:
  // Connects; throws Error if the server cannot be reached.
  explicit Connection(const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL text without parameters (several statements allowed).
  void exec(const char* sql);
  // Runs a statement with parameters ($1, $2, ...), prepared on first use.
  Rows query(const std::string& sql, const std::vector<Param>& params = {});
  template <typename... Args>
  Rows run(const std::string& sql, const Args&... args) {
    return query(sql, {Param(args)...});
  }

  // false once the connection is broken: drop it and open another.
  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }
  PGconn* handle() const { return conn_; }

 private:
  [[noreturn]] void fail(PGresult* result, const std::string& what);
  const std::string& prepared_name(const std::string& sql);

  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

// A connection URL without its password, for messages.
std::string redacted(const std::string& url);

}  // namespace shelfsync::pg
