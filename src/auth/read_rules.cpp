#include "auth/read_rules.hpp"

#include <boost/json/parse.hpp>

#include "domain/time.hpp"

namespace shelfsync {

namespace json = boost::json;

// System fields first: they are what a reader looks for.
json::object with_system_fields(json::object doc, const StoredRecord& r) {
  json::object out;
  out.reserve(doc.size() + 4);
  out["id"] = r.id;
  out["version"] = r.version;
  out["created_at"] = format_rfc3339(r.created_at);
  out["updated_at"] = format_rfc3339(r.updated_at);
  for (auto& kv : doc) out[kv.key()] = std::move(kv.value());
  return out;
}

bool owned_by_reader(const Principal& who, const Collection& c, const std::string& id, const json::object& doc) {
  // A customer reads only its own customer record, and of orders and bills
  // only those that name it.
  if (who.role != Role::customer) return true;
  if (c.name() == "customers") return id == who.customer_id;
  if (auto owner = c.owner_customer(doc)) return !who.customer_id.empty() && *owner == who.customer_id;
  return true;
}

bool may_see(const Principal& who, const Collection& c, const std::string& id, const json::object& doc) {
  return owned_by_reader(who, c, id, doc) && c.visible_to(doc, who.role);
}

RoleSet readers_of(const Collection& c, const json::object& doc) {
  RoleSet out = 0;
  for (const Role role : kRoles)
    if (c.visible_to(doc, role)) out |= role_bit(role);
  return out;
}

IndexKeys visible_query_filters(const Principal& who, const Collection& c) {
  auto out = c.visible_filters(who.role);
  if (who.role != Role::customer) return out;
  if (auto field = c.owner_field()) out.emplace_back(std::string(*field), who.customer_id);
  return out;
}

std::optional<IndexKeys> exact_view_filters(const Principal& who, const Collection& c) {
  if (who.role == Role::customer && c.name() == "customers") return std::nullopt;
  return visible_query_filters(who, c);
}

json::object render_record(const StoredRecord& r, const Collection& c, Projection projection) {
  return render_document(json::parse(r.data).as_object(), r, c, projection);
}

json::object render_document(json::object stored_doc, const StoredRecord& r, const Collection& c,
                             Projection projection) {
  auto doc = with_system_fields(std::move(stored_doc), r);
  c.render(doc, projection, now_ms());
  return doc;
}

}  // namespace shelfsync
