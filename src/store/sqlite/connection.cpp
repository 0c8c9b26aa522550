#include "store/sqlite/connection.hpp"

#include "store/sqlite/timed_vfs.hpp"

namespace shelfsync::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  throw Error(rc, std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc =
      sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) fail(db, rc, "prepare");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::string_view text) {
  const int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);
  fail(db_, rc, "step");
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Statement::column_text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}

bool Statement::column_is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Connection::Connection(const std::string& path, bool read_only) {
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
  // Connections that write go through the VFS that times each fsync.
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, read_only ? nullptr : timed_vfs_name());
  if (rc != SQLITE_OK) {
    std::string msg = "cannot open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close(db_);
    throw Error(rc, msg);
  }
  sqlite3_busy_timeout(db_, 10000);
  sqlite3_extended_result_codes(db_, 1);
  if (!read_only) {
    exec("PRAGMA journal_mode=WAL");
    // FULL: the WAL is fsynced at every commit, so acknowledged = durable.
    exec("PRAGMA synchronous=FULL");
    // Every mutation runs in a savepoint, whose undo journal records each
    // page it first touches; kept in memory that costs a copy, not a write
    // to a temp file (it was a third of the writer's time with orders).
    exec("PRAGMA temp_store=MEMORY");
  }
  exec("PRAGMA foreign_keys=ON");
  // Pages are read through a memory map rather than read() calls, and each
  // connection keeps a larger page cache: reads dominate, and the WAL keeps
  // readers' caches valid across commits that touch other pages.
  exec("PRAGMA mmap_size=1073741824");
  exec("PRAGMA cache_size=-16384");
}

Connection::~Connection() {
  cache_.clear();
  assembled_.clear();
  sqlite3_close(db_);
}

void Connection::exec(const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = std::string(sql) + ": " + (err ? err : sqlite3_errstr(rc));
    sqlite3_free(err);
    throw Error(rc, msg);
  }
}

Statement& Connection::prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) it = cache_.emplace(sql, std::make_unique<Statement>(db_, sql)).first;
  it->second->reset();
  return *it->second;
}

Statement& Connection::prepare_assembled(const std::string& sql) {
  auto it = assembled_.find(sql);
  if (it == assembled_.end()) it = assembled_.emplace(sql, std::make_unique<Statement>(db_, sql)).first;
  it->second->reset();
  return *it->second;
}

}  // namespace shelfsync::sqlite
