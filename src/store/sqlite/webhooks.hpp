#pragma once
// The webhooks tables (migration 12): a hook's row and its last attempts.

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
std::vector<WebhookAttempt> read_webhook_attempts(Connection& db, const std::string& tenant,
                                                  const std::string& id, std::size_t limit);

}  // namespace shelfsync::sqlite
