#include "feed/digest.hpp"

#include <boost/json/parse.hpp>

#include "auth/read_rules.hpp"
#include "domain/view_digest.hpp"
#include "feed/cursor.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

json::object answer(std::int64_t head, const DigestSum& sum) {
  return {{"cursor", encode_cursor(head)}, {"count", sum.count}, {"hash", digest_hex(sum)}};
}

// Sums what `view` sees of the records `query` (and `ids`, if any) finds.
std::int64_t add_seen(Store& store, const ReaderView& view, const ListQuery& query, const std::vector<std::string>& ids,
                      DigestSum& sum) {
  const auto snap = store.snapshot(query, ids);
  const std::string entity(view.collection->name());
  for (const auto& r : snap.records)
    if (view.sees(r.id, json::parse(r.data).as_object())) sum += record_digest(entity, r.id, r.version);
  return snap.head;
}

ListQuery everything_visible(const Principal& who, const Collection& c) {
  return ListQuery{who.tenant, std::string(c.name()), visible_query_filters(who, c), "", "", 0};
}

}  // namespace

json::object view_digest(Store& store, const Principal& who, const std::vector<const Collection*>& entities) {
  std::vector<DigestScope> scopes;
  DigestSum computed;
  for (const auto* c : entities) {
    const auto filters = exact_view_filters(who, *c);
    if (filters && filters->size() <= 1) {
      const auto [field, value] = filters->empty() ? std::pair<std::string, std::string>{} : filters->front();
      scopes.push_back({std::string(c->name()), field, value});
    } else {
      // Not one scope (a customer's own customer record): a few records.
      add_seen(store, ReaderView{who, c, {}}, everything_visible(who, *c), {}, computed);
    }
  }
  auto read = store.digest(who.tenant, scopes);
  read.sum += computed;
  return answer(read.head, read.sum);
}

json::object scoped_digest(Store& store, const Principal& who, const Collection& c, const RecordFilter& scope) {
  const ReaderView view{who, &c, scope};
  auto query = everything_visible(who, c);
  std::vector<std::string> ids;
  if (scope.ids) ids.assign(scope.ids->begin(), scope.ids->end());
  query.filters.insert(query.filters.end(), scope.equals.begin(), scope.equals.end());
  DigestSum sum;
  const auto head = add_seen(store, view, query, ids, sum);
  return answer(head, sum);
}

}  // namespace shelfsync
