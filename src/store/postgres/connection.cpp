#include "store/postgres/connection.hpp"

#include <cstdlib>

namespace shelfsync::pg {

std::string Rows::text(int row, int col) const {
  return std::string(PQgetvalue(result_.get(), row, col),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, col)));
}

std::int64_t Rows::integer(int row, int col) const {
  return std::strtoll(PQgetvalue(result_.get(), row, col), nullptr, 10);
}

bool Rows::boolean(int row, int col) const { return PQgetvalue(result_.get(), row, col)[0] == 't'; }

std::int64_t Rows::affected() const { return std::strtoll(PQcmdTuples(result_.get()), nullptr, 10); }

std::string redacted(const std::string& url) {
  // postgres://user:secret@host/... -> postgres://user:***@host/...
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

Connection::Connection(const std::string& url) {
  // Keepalives find a server that vanished without closing the socket; the
  // connect timeout bounds how long a write waits to learn it is down.
  const char* keys[] = {
      "dbname", "connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count", "application_name",
      nullptr};
  const char* values[] = {url.c_str(), "5", "10", "5", "3", "shelfsync", nullptr};
  conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    PQfinish(conn_);
    conn_ = nullptr;
    throw Error("08001", true, "cannot connect to PostgreSQL at " + redacted(url) + ": " + message);
  }
  // Notices ("already exists, skipping") are not for the operator's log.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

void Connection::fail(PGresult* result, const std::string& what) {
  // Copied before PQclear: the field points into the result.
  const char* field = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string state = field ? field : "";
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (result) PQclear(result);
  const bool lost = PQstatus(conn_) != CONNECTION_OK;
  throw Error(!state.empty() ? state : (lost ? "08006" : ""), lost, what + ": " + message);
}

void Connection::exec(const char* sql) {
  PGresult* result = PQexec(conn_, sql);
  const auto status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(result, "PostgreSQL");
  PQclear(result);
}

const std::string& Connection::prepared_name(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return it->second;
  std::string name = "s" + std::to_string(prepared_.size() + 1);
  PGresult* result = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
  if (PQresultStatus(result) != PGRES_COMMAND_OK) fail(result, "PostgreSQL prepare");
  PQclear(result);
  return prepared_.emplace(sql, std::move(name)).first->second;
}

Rows Connection::query(const std::string& sql, const std::vector<Param>& params) {
  const auto& name = prepared_name(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.value().c_str());
  PGresult* result =
      PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0);
  const auto status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(result, "PostgreSQL");
  return Rows(result);
}

}  // namespace shelfsync::pg
