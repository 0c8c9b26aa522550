// A customer's kind decides its projection (a partner reads stock). Tokens
// are read once per connection, so the hub follows kind changes in the log:
// from the change that sets a new kind on, each subscription of that
// customer renders in the new projection, and a subscription made later
// with a token read before the change gets it too.

#include <boost/json/parse.hpp>

#include "feed/hub_impl.hpp"

namespace shelfsync {

namespace {

std::optional<CustomerKind> kind_in(const std::shared_ptr<const std::string>& data) {
  if (!data || data->empty()) return std::nullopt;
  boost::system::error_code ec;
  const auto doc = boost::json::parse(*data, ec);
  if (ec || !doc.is_object()) return std::nullopt;
  const auto* kind = doc.as_object().if_contains("kind");
  return customer_kind_of(kind && kind->is_string() ? std::string_view(kind->get_string()) : "");
}

}  // namespace

void Hub::Impl::follow_customer_kinds(TenantState& t, const std::string& tenant,
                                      const std::vector<CommittedChange>& changes) {
  for (const auto& change : changes) {
    if (change.entry.entity != "customers") continue;
    const auto now = change.entry.deleted ? CustomerKind::retail : kind_in(change.data).value_or(CustomerKind::retail);
    const auto before = kind_in(change.previous_data).value_or(CustomerKind::retail);
    const auto& id = change.entry.id;
    const auto known = t.customer_kinds.find(id);
    if (now == (known != t.customer_kinds.end() ? known->second : before)) continue;
    t.customer_kinds[id] = now;
    // Rare (an admin edits a customer), so a walk over the connections is fine.
    for (auto& [conn_id, conn] : conns)
      for (auto& [name, sub] : conn.subs) {
        Principal& who = sub->reader.view().who;
        if (who.role == Role::customer && who.customer_id == id && who.tenant == tenant) who.kind = now;
      }
  }
}

void Hub::Impl::apply_customer_kind(Principal& who) {
  if (who.role != Role::customer) return;
  const auto t = tenants.find(who.tenant);
  if (t == tenants.end()) return;
  const auto known = t->second.customer_kinds.find(who.customer_id);
  if (known != t->second.customer_kinds.end()) who.kind = known->second;
}

}  // namespace shelfsync
