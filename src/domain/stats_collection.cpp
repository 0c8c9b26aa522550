#include "domain/stats_collection.hpp"

#include "domain/product_collection.hpp"

namespace shelfsync {

namespace json = boost::json;

Result<json::object> StatsCollection::normalize(const json::object& input, const json::object*,
                                                const NormalizeContext&) const {
  json::object out = input;
  for (const char* system : {"id", "version", "created_at", "updated_at"}) out.erase(system);
  return out;
}

IndexKeys StatsCollection::index_keys(const json::object& stored) const {
  const auto* next = stored.if_contains(kStatsNextChange);
  if (!next || !next->is_string()) return {};
  const auto at = parse_rfc3339(next->as_string());
  if (!at) return {};
  return {{kTimedKeyField, sale_next_value(*at)}};
}

bool StatsCollection::visible_to(const json::object&, Role role) const {
  return role == Role::admin || role == Role::staff || role == Role::service;
}

void StatsCollection::render(json::object& doc, Projection, Millis) const { doc.erase(kStatsNextChange); }

}  // namespace shelfsync
