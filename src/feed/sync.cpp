#include "feed/sync.hpp"

#include <algorithm>
#include <map>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "auth/read_rules.hpp"
#include "feed/reader.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

struct EntityOut {
  json::array added, updated, deleted;
};

json::object assemble(std::map<std::string, EntityOut>& out, const std::vector<const Collection*>& entities) {
  json::object data;
  for (const auto* c : entities) {
    auto& e = out[std::string(c->name())];
    json::object counts{{"added", e.added.size()}, {"updated", e.updated.size()}, {"deleted", e.deleted.size()}};
    data[c->name()] = json::object{{"added", std::move(e.added)},
                                   {"updated", std::move(e.updated)},
                                   {"deleted", std::move(e.deleted)},
                                   {"count", std::move(counts)}};
  }
  return data;
}

// The store query for what `who` may see of `c`, after `after_id`.
ListQuery view_query(const Principal& who, const Collection& c, std::string after_id, std::size_t limit) {
  return ListQuery{who.tenant, std::string(c.name()), visible_query_filters(who, c), "", std::move(after_id), limit};
}

Result<SyncAnswer> since_cursor(Store& store, const Principal& who, const SyncRequest& req) {
  const auto since = *req.since;
  if (auto p = check_resume_cursor(store, who.tenant, since)) return *p;
  std::vector<std::string> names;
  for (const auto* c : req.entities) names.emplace_back(c->name());
  const auto page = store.replay(who.tenant, since, names, req.limit);
  // One reader per entity, each from `since` over the same page: what each
  // gets is decided there (feed/reader.hpp), as for a live subscription.
  std::map<std::string, EntityOut> out;
  std::size_t changes = 0;
  for (const auto* c : req.entities) {
    Reader reader(ReaderView{who, c, {}}, ChangeMode::data, since);
    auto& e = out[std::string(c->name())];
    for (const auto& d : reader.read_replay(page)) {
      const auto& item = *d.item;
      if (d.delivery == Delivery::remove)
        e.deleted.push_back(json::value(item.record.id));
      else
        (item.created_in_window ? e.added : e.updated).push_back(render_record(item.record, *c, who.projection()));
      ++changes;
    }
  }
  SyncAnswer a;
  a.has_changes = changes > 0;
  a.cursor_seq = page.cursor;
  a.body = {{"cursor", encode_cursor(page.cursor)},
            {"has_more", page.has_more},
            {"has_changes", a.has_changes},
            {"data", assemble(out, req.entities)}};
  return a;
}

// A full snapshot, paged by id through the entities in order. Its final
// cursor is the head when paging began, so a since-sync afterwards brings
// whatever changed meanwhile.
Result<SyncAnswer> snapshot_page(Store& store, const Principal& who, const SyncRequest& req) {
  SnapshotPosition pos = req.snapshot
                             ? *req.snapshot
                             : SnapshotPosition{store.head(who.tenant), std::string(req.entities.front()->name()), ""};
  if (pos.seq < store.horizon(who.tenant))
    return Problem::of(ErrorCode::cursor_expired, "the snapshot is too old: start it again");
  auto it = std::find_if(req.entities.begin(), req.entities.end(),
                         [&](const Collection* c) { return c->name() == pos.entity; });
  if (it == req.entities.end())
    return Problem::of(ErrorCode::bad_cursor, "the cursor belongs to a sync of other entities");

  std::map<std::string, EntityOut> out;
  std::size_t room = req.limit, records_out = 0;
  bool has_more = false;
  for (; it != req.entities.end(); ++it) {
    const auto* c = *it;
    if (c->name() != pos.entity) pos = {pos.seq, std::string(c->name()), ""};
    const auto rows = store.list(view_query(who, *c, pos.after_id, room));
    auto& e = out[std::string(c->name())];
    for (const auto& r : rows.records) {
      auto doc = json::parse(r.data).as_object();
      if (!may_see(who, *c, r.id, doc)) continue;
      e.added.push_back(render_document(std::move(doc), r, *c, who.projection()));
      ++records_out;
    }
    room -= rows.records.size();
    if (!rows.next_after_id.empty()) {
      pos.after_id = rows.next_after_id;
      has_more = true;
      break;
    }
    if (room == 0 && std::next(it) != req.entities.end()) {
      pos = {pos.seq, std::string((*std::next(it))->name()), ""};
      has_more = true;
      break;
    }
  }
  SyncAnswer a;
  a.has_changes = records_out > 0;
  a.cursor_seq = pos.seq;
  a.body = {{"cursor", has_more ? encode_snapshot_position(pos) : encode_cursor(pos.seq)},
            {"has_more", has_more},
            {"has_changes", a.has_changes},
            {"data", assemble(out, req.entities)}};
  return a;
}

}  // namespace

std::optional<Problem> check_resume_cursor(Store& store, const std::string& tenant, std::int64_t since) {
  if (since >= store.horizon(tenant) && since <= store.head(tenant)) return std::nullopt;
  return Problem::of(ErrorCode::cursor_expired,
                     "the cursor is older than the change log keeps (or from another database): "
                     "start again from a fresh snapshot or a newer cursor");
}

Result<SyncAnswer> run_sync(Store& store, const Principal& who, const SyncRequest& req) {
  if (req.since) return since_cursor(store, who, req);
  return snapshot_page(store, who, req);
}

}  // namespace shelfsync
