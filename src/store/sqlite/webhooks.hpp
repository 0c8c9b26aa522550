#pragma once
// The integrations' tables: webhooks and their last attempts (migration
// 12), publish topics (migration 13).

#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace shelfsync::sqlite {

std::optional<WebhookRow> read_webhook(Connection& db, const std::string& tenant, const std::string& id);
std::vector<WebhookRow> read_webhooks(Connection& db, const std::string& tenant);
void write_webhook(Connection& db, const WebhookRow& hook);
bool erase_webhook(Connection& db, const std::string& tenant, const std::string& id);
void write_webhook_attempt(Connection& db, const std::string& tenant, const std::string& id,
                           const WebhookAttempt& attempt, std::size_t keep);
std::vector<WebhookAttempt> read_webhook_attempts(Connection& db, const std::string& tenant, const std::string& id,
                                                  std::size_t limit);

std::optional<TopicRow> read_topic(Connection& db, const std::string& tenant, const std::string& name);
std::vector<TopicRow> read_topics(Connection& db, const std::string& tenant);
void write_topic(Connection& db, const TopicRow& topic);

}  // namespace shelfsync::sqlite
