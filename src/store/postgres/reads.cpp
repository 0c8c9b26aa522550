#include "store/postgres/reads.hpp"

#include <limits>

#include "domain/utf8.hpp"
#include "store/postgres/queries.hpp"
#include "store/replay_scan.hpp"
#include "store/search_path.hpp"

namespace shelfsync::pg {
namespace {

StoredRecord record_of(const Rows& rows, int i, const std::string& tenant, const std::string& entity) {
  return StoredRecord{tenant,
                      entity,
                      rows.text(i, 0),
                      rows.integer(i, 1),
                      rows.boolean(i, 2),
                      rows.integer(i, 3),
                      rows.integer(i, 4),
                      rows.text(i, 5),
                      static_cast<RoleSet>(rows.integer(i, 6))};
}

WebhookRow webhook_of(const Rows& r, int i) {
  return WebhookRow{r.text(i, 0),    r.text(i, 1),    r.text(i, 2),    r.text(i, 3),
                    r.integer(i, 4), r.integer(i, 5), r.integer(i, 6), r.integer(i, 7),
                    r.integer(i, 8), r.integer(i, 9), r.text(i, 10)};
}

TopicRow topic_of(const Rows& r, int i) {
  return TopicRow{r.text(i, 0), r.text(i, 1), static_cast<RoleSet>(r.integer(i, 2)), r.integer(i, 3), r.integer(i, 4)};
}

// A list query: one key join per filter, values bound. Binds: tenant,
// entity, after, limit, then (field, value) per filter, then the pattern.
std::string list_sql(std::size_t filters, SearchPath path) {
  std::string sql = "SELECT r.id, r.version, r.deleted, r.created_at, r.updated_at, r.data, r.seen_by";
  if (path == SearchPath::window) sql += ", r.search";
  sql += " FROM records r";
  int n = 5;
  for (std::size_t i = 0; i < filters; ++i, n += 2) {
    const auto k = "k" + std::to_string(i);
    sql += " JOIN record_keys " + k + " ON " + k + ".tenant = r.tenant AND " + k + ".entity = r.entity AND " + k +
           ".id = r.id AND " + k + ".field = $" + std::to_string(n) + " AND " + k + ".value = $" +
           std::to_string(n + 1);
  }
  sql += " WHERE r.tenant = $1 AND r.entity = $2 AND NOT r.deleted AND r.id > $3";
  // LIKE with a trigram index: a substring test, the pattern's own % _ \ escaped.
  if (path == SearchPath::indexed) sql += " AND r.search LIKE $" + std::to_string(n);
  sql += " ORDER BY r.id LIMIT $4";
  return sql;
}

std::string like_pattern(const std::string& search) {
  std::string out = "%";
  for (char ch : search) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + '%';
}

}  // namespace

bool storable(std::string_view text) { return text.find('\0') == std::string_view::npos && valid_utf8(text); }

std::optional<StoredRecord> read_record(Connection& db, const std::string& tenant, const std::string& entity,
                                        const std::string& id) {
  if (!storable(id)) return std::nullopt;
  auto rows = db.run(sql::kGetRecord, tenant, entity, id);
  if (rows.empty()) return std::nullopt;
  return record_of(rows, 0, tenant, entity);
}

std::optional<Tenant> read_tenant(Connection& db, const std::string& id) {
  if (!storable(id)) return std::nullopt;
  auto r = db.run(sql::kGetTenant, id);
  if (r.empty()) return std::nullopt;
  return Tenant{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.text(0, 3), r.integer(0, 4)};
}

std::int64_t read_head(Connection& db, const std::string& tenant) {
  auto r = db.run(sql::kHead, tenant);
  return r.empty() ? 0 : r.integer(0, 0);
}

std::vector<ChangeEntry> read_changes_after(Connection& db, const std::string& tenant, std::int64_t after,
                                            std::size_t limit) {
  auto r = db.run(sql::kChangesAfter, tenant, after, limit);
  std::vector<ChangeEntry> out;
  out.reserve(static_cast<std::size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i)
    out.push_back({r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3) == "delete", r.integer(i, 4), r.text(i, 5),
                   r.integer(i, 6)});
  return out;
}

ReplayPage read_replay(Connection& db, const std::string& tenant, std::int64_t after,
                       const std::vector<std::string>& entities, std::size_t limit) {
  ReplaySource source{
      [&](std::int64_t from, std::size_t n) { return read_changes_after(db, tenant, from, n); },
      [&](const std::string& entity, const std::string& id) { return read_record(db, tenant, entity, id); }};
  return scan_replay(read_head(db, tenant), after, entities, limit, source);
}

ListRows read_list(Connection& db, const ListQuery& q) {
  ListRows out;
  for (const auto& [field, value] : q.filters)
    if (!storable(field) || !storable(value)) return out;  // no stored key is such a value
  if (!storable(q.after_id)) return out;
  const auto path = search_path(q.search);
  std::vector<Param> params{q.tenant, q.entity, q.after_id};
  const std::size_t rows = path == SearchPath::window ? kShortSearchWindow : q.limit;
  params.emplace_back(rows > static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max())
                          ? std::numeric_limits<std::int64_t>::max()
                          : static_cast<std::int64_t>(rows));
  for (const auto& [field, value] : q.filters) {
    params.emplace_back(field);
    params.emplace_back(value);
  }
  if (path == SearchPath::indexed) params.emplace_back(like_pattern(q.search));
  auto r = db.query(list_sql(q.filters.size(), path), params);
  std::string last_seen;
  for (int i = 0; i < r.size() && out.records.size() < q.limit; ++i) {
    if (path == SearchPath::window) {
      // Tested here, byte for byte: a short search may be any bytes.
      last_seen = r.text(i, 0);
      if (r.text(i, 7).find(q.search) == std::string::npos) continue;
    }
    out.records.push_back(record_of(r, i, q.tenant, q.entity));
  }
  if (out.records.size() == q.limit && !out.records.empty())
    out.next_after_id = out.records.back().id;
  else if (path == SearchPath::window && static_cast<std::size_t>(r.size()) == rows)
    out.next_after_id = last_seen;  // the window ended before the page filled
  return out;
}

std::vector<FigureSum> read_figure_sums(Connection& db, const std::string& tenant, const FigureQuery& q) {
  const char* text = q.group == FigureQuery::Group::total       ? sql::kFigureTotal
                     : q.group == FigureQuery::Group::by_bucket ? sql::kFigureByBucket
                                                                : sql::kFigureByKey;
  const auto limit = q.limit == 0 ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(q.limit);
  auto r = db.run(text, tenant, q.series, q.from, q.to, limit);
  std::vector<FigureSum> out;
  for (int i = 0; i < r.size(); ++i) {
    FigureSum sum{r.integer(i, 0), r.text(i, 1), {}};
    for (std::size_t v = 0; v < kFigureWidth; ++v) sum.values[v] = r.integer(i, static_cast<int>(2 + v));
    out.push_back(std::move(sum));
  }
  return out;
}

DigestSum read_digest(Connection& db, const std::string& tenant, const DigestScope& scope) {
  if (!storable(scope.value)) return {};
  auto r = db.run(sql::kGetDigest, tenant, scope.entity, scope.field, scope.value);
  if (r.empty()) return {};
  return {r.integer(0, 0), static_cast<std::uint32_t>(r.integer(0, 1)), static_cast<std::uint32_t>(r.integer(0, 2))};
}

std::optional<WebhookRow> read_webhook(Connection& db, const std::string& tenant, const std::string& id) {
  if (!storable(id)) return std::nullopt;
  auto r = db.run(sql::kGetWebhook, tenant, id);
  if (r.empty()) return std::nullopt;
  return webhook_of(r, 0);
}

std::vector<WebhookRow> read_webhooks(Connection& db, const std::string& tenant) {
  auto r = db.run(sql::kListWebhooks, tenant);
  std::vector<WebhookRow> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(webhook_of(r, i));
  return out;
}

std::vector<WebhookAttempt> read_webhook_attempts(Connection& db, const std::string& tenant, const std::string& id,
                                                  std::size_t limit) {
  if (!storable(id)) return {};
  auto r = db.run(sql::kListAttempts, tenant, id, limit);
  std::vector<WebhookAttempt> out;
  for (int i = 0; i < r.size(); ++i)
    out.push_back({r.integer(i, 0), r.text(i, 1), r.integer(i, 2), r.integer(i, 3), r.integer(i, 4), r.integer(i, 5),
                   r.text(i, 6), r.text(i, 7), r.integer(i, 8)});
  return out;
}

std::optional<TopicRow> read_topic(Connection& db, const std::string& tenant, const std::string& name) {
  if (!storable(name)) return std::nullopt;
  auto r = db.run(sql::kGetTopic, tenant, name);
  if (r.empty()) return std::nullopt;
  return topic_of(r, 0);
}

std::vector<TopicRow> read_topics(Connection& db, const std::string& tenant) {
  auto r = db.run(sql::kListTopics, tenant);
  std::vector<TopicRow> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(topic_of(r, i));
  return out;
}

}  // namespace shelfsync::pg
