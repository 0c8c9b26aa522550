#pragma once
// Reads shared by the reader connections and the writer's transaction.

#include <optional>
#include <string>
#include <vector>

#include "store/postgres/connection.hpp"
#include "store/store.hpp"

namespace shelfsync::pg {

// True if PostgreSQL can hold `text` (valid UTF-8 without NUL). Stored keys,
// ids and search texts always are; a value that is not matches none of them.
bool storable(std::string_view text);

std::optional<StoredRecord> read_record(Connection& db, const std::string& tenant, const std::string& entity,
                                        const std::string& id);
std::optional<Tenant> read_tenant(Connection& db, const std::string& id);
std::int64_t read_head(Connection& db, const std::string& tenant);
std::vector<ChangeEntry> read_changes_after(Connection& db, const std::string& tenant, std::int64_t after,
                                            std::size_t limit);
// Store::replay; the caller holds a read transaction (one snapshot).
ReplayPage read_replay(Connection& db, const std::string& tenant, std::int64_t after,
                       const std::vector<std::string>& entities, std::size_t limit);
ListRows read_list(Connection& db, const ListQuery& query);
std::vector<FigureSum> read_figure_sums(Connection& db, const std::string& tenant, const FigureQuery& query);
DigestSum read_digest(Connection& db, const std::string& tenant, const DigestScope& scope);

std::optional<WebhookRow> read_webhook(Connection& db, const std::string& tenant, const std::string& id);
std::vector<WebhookRow> read_webhooks(Connection& db, const std::string& tenant);
std::vector<WebhookAttempt> read_webhook_attempts(Connection& db, const std::string& tenant, const std::string& id,
                                                  std::size_t limit);
std::optional<TopicRow> read_topic(Connection& db, const std::string& tenant, const std::string& name);
std::vector<TopicRow> read_topics(Connection& db, const std::string& tenant);

}  // namespace shelfsync::pg
