#include "store/sqlite/webhooks.hpp"

namespace shelfsync::sqlite {
namespace {

// Statements are cached by address (Connection::prepare): named constants.
constexpr const char* kGetWebhook =
    "SELECT tenant, id, settings, secret, version, created_at, updated_at, cursor, failures, paused_at, "
    "paused_reason FROM webhooks WHERE tenant = ?1 AND id = ?2";
constexpr const char* kListWebhooks =
    "SELECT tenant, id, settings, secret, version, created_at, updated_at, cursor, failures, paused_at, "
    "paused_reason FROM webhooks WHERE ?1 = '' OR tenant = ?1 ORDER BY tenant, id";
constexpr const char* kPutWebhook =
    "INSERT OR REPLACE INTO webhooks (tenant, id, settings, secret, version, created_at, updated_at, cursor, "
    "failures, paused_at, paused_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
constexpr const char* kDeleteAttempts = "DELETE FROM webhook_attempts WHERE tenant = ?1 AND webhook = ?2";
constexpr const char* kDeleteWebhook = "DELETE FROM webhooks WHERE tenant = ?1 AND id = ?2";
constexpr const char* kAddAttempt =
    "INSERT INTO webhook_attempts (tenant, webhook, n, at, message_id, cursor, changes, attempt, status, "
    "answer, error, duration_ms) VALUES (?1, ?2, (SELECT COALESCE(MAX(n), 0) + 1 FROM webhook_attempts "
    "WHERE tenant = ?1 AND webhook = ?2), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
constexpr const char* kTrimAttempts =
    "DELETE FROM webhook_attempts WHERE tenant = ?1 AND webhook = ?2 AND n <= "
    "(SELECT MAX(n) FROM webhook_attempts WHERE tenant = ?1 AND webhook = ?2) - ?3";
constexpr const char* kListAttempts =
    "SELECT at, message_id, cursor, changes, attempt, status, answer, error, duration_ms FROM webhook_attempts "
    "WHERE tenant = ?1 AND webhook = ?2 ORDER BY n DESC LIMIT ?3";

constexpr const char* kGetTopic =
    "SELECT tenant, name, readers, created_at, updated_at FROM topics WHERE tenant = ?1 AND name = ?2";
constexpr const char* kListTopics =
    "SELECT tenant, name, readers, created_at, updated_at FROM topics WHERE ?1 = '' OR tenant = ?1 "
    "ORDER BY tenant, name";
constexpr const char* kPutTopic =
    "INSERT OR REPLACE INTO topics (tenant, name, readers, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)";

TopicRow topic_of(Statement& st) {
  return TopicRow{st.column_text(0), st.column_text(1), static_cast<RoleSet>(st.column_int(2)), st.column_int(3),
                  st.column_int(4)};
}

WebhookRow row_of(Statement& st) {
  return WebhookRow{st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3),
                    st.column_int(4),  st.column_int(5),  st.column_int(6),  st.column_int(7),
                    st.column_int(8),  st.column_int(9),  st.column_text(10)};
}

}  // namespace

std::optional<WebhookRow> read_webhook(Connection& db, const std::string& tenant, const std::string& id) {
  auto& st = db.prepare(kGetWebhook);
  st.bind(1, tenant).bind(2, id);
  std::optional<WebhookRow> out;
  if (st.step()) out = row_of(st);
  st.reset();
  return out;
}

std::vector<WebhookRow> read_webhooks(Connection& db, const std::string& tenant) {
  auto& st = db.prepare(kListWebhooks);
  st.bind(1, tenant);
  std::vector<WebhookRow> out;
  while (st.step()) out.push_back(row_of(st));
  st.reset();
  return out;
}

void write_webhook(Connection& db, const WebhookRow& h) {
  auto& st = db.prepare(kPutWebhook);
  st.bind(1, h.tenant).bind(2, h.id).bind(3, h.settings).bind(4, h.secret).bind(5, h.version);
  st.bind(6, h.created_at).bind(7, h.updated_at).bind(8, h.cursor).bind(9, h.failures);
  st.bind(10, h.paused_at).bind(11, h.paused_reason);
  st.run();
  st.reset();
}

bool erase_webhook(Connection& db, const std::string& tenant, const std::string& id) {
  auto& attempts = db.prepare(kDeleteAttempts);
  attempts.bind(1, tenant).bind(2, id);
  attempts.run();
  attempts.reset();
  auto& st = db.prepare(kDeleteWebhook);
  st.bind(1, tenant).bind(2, id);
  st.run();
  st.reset();
  return sqlite3_changes(db.handle()) > 0;
}

void write_webhook_attempt(Connection& db, const std::string& tenant, const std::string& id, const WebhookAttempt& a,
                           std::size_t keep) {
  auto& st = db.prepare(kAddAttempt);
  st.bind(1, tenant).bind(2, id).bind(3, a.at).bind(4, a.message_id).bind(5, a.cursor).bind(6, a.changes);
  st.bind(7, a.attempt).bind(8, a.status).bind(9, a.answer).bind(10, a.error).bind(11, a.duration_ms);
  st.run();
  st.reset();
  auto& trim = db.prepare(kTrimAttempts);
  trim.bind(1, tenant).bind(2, id).bind(3, static_cast<std::int64_t>(keep));
  trim.run();
  trim.reset();
}

std::vector<WebhookAttempt> read_webhook_attempts(Connection& db, const std::string& tenant, const std::string& id,
                                                  std::size_t limit) {
  auto& st = db.prepare(kListAttempts);
  st.bind(1, tenant).bind(2, id).bind(3, static_cast<std::int64_t>(limit));
  std::vector<WebhookAttempt> out;
  while (st.step())
    out.push_back({st.column_int(0), st.column_text(1), st.column_int(2), st.column_int(3), st.column_int(4),
                   st.column_int(5), st.column_text(6), st.column_text(7), st.column_int(8)});
  st.reset();
  return out;
}

std::optional<TopicRow> read_topic(Connection& db, const std::string& tenant, const std::string& name) {
  auto& st = db.prepare(kGetTopic);
  st.bind(1, tenant).bind(2, name);
  std::optional<TopicRow> out;
  if (st.step()) out = topic_of(st);
  st.reset();
  return out;
}

std::vector<TopicRow> read_topics(Connection& db, const std::string& tenant) {
  auto& st = db.prepare(kListTopics);
  st.bind(1, tenant);
  std::vector<TopicRow> out;
  while (st.step()) out.push_back(topic_of(st));
  st.reset();
  return out;
}

void write_topic(Connection& db, const TopicRow& t) {
  auto& st = db.prepare(kPutTopic);
  st.bind(1, t.tenant).bind(2, t.name).bind(3, std::int64_t{t.readers}).bind(4, t.created_at).bind(5, t.updated_at);
  st.run();
  st.reset();
}

}  // namespace shelfsync::sqlite
