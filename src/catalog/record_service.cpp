#include "catalog/record_service.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/read_rules.hpp"
#include "catalog/record_writes.hpp"
#include "domain/ids.hpp"
#include "domain/json_util.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

json::object parse_stored(const StoredRecord& r) { return json::parse(r.data).as_object(); }

bool readable(const Principal& who, const Collection& c, const StoredRecord& r, const json::object& doc) {
  return !r.deleted && may_see(who, c, r.id, doc);
}

Problem not_found(const Collection& c, const std::string& id) {
  return Problem::not_found(std::string(c.name()) + " '" + id + "' does not exist");
}

}  // namespace

void RecordService::add_side_writes(std::string entity, SideWrites fn) {
  side_writes_.emplace_back(std::move(entity), std::move(fn));
}

Result<std::vector<RecordWrite>> RecordService::side_writes(const Principal& who, const Collection& c,
                                                            const RecordWrite& written, const json::object* before,
                                                            const json::object& after, Millis now) const {
  std::vector<RecordWrite> out;
  for (const auto& [entity, fn] : side_writes_) {
    if (entity != c.name()) continue;
    auto more = fn(who, written, before, after, now);
    if (!more) return more.problem();
    for (auto& w : *more) out.push_back(std::move(w));
  }
  return out;
}

Result<json::object> RecordService::get(const Principal& who, const Collection& c, const std::string& id) {
  const auto r = store_.get(who.tenant, std::string(c.name()), id);
  if (!r) return not_found(c, id);
  auto doc = parse_stored(*r);
  if (!readable(who, c, *r, doc)) return not_found(c, id);
  return render_document(std::move(doc), *r, c, who.projection());
}

// A customer's list of customers is its own record, if the query matches it.
ListPage RecordService::own_customer_page(const Principal& who, const Collection& c, const ListQuery& q) {
  ListPage page;
  if (who.customer_id.empty() || who.customer_id <= q.after_id) return page;
  const auto own = store_.get(who.tenant, "customers", who.customer_id);
  if (!own || own->deleted) return page;
  const auto doc = parse_stored(*own);
  const auto keys = c.index_keys(doc);
  for (const auto& filter : q.filters)
    if (std::find(keys.begin(), keys.end(), filter) == keys.end()) return page;
  if (!q.search.empty() && c.search_text(doc).find(q.search) == std::string::npos) return page;
  page.data.push_back(render_record(*own, c, who.projection()));
  return page;
}

Result<ListPage> RecordService::list(const Principal& who, const Collection& c, ListRequest req) {
  ListQuery q{who.tenant,       std::string(c.name()),   std::move(req.filters),
              std::move(req.q), std::move(req.after_id), req.limit};
  // A customer asking for another customer's records is refused, not shown
  // an empty list that reads as "that customer has none".
  if (who.role == Role::customer)
    for (const auto& [field, value] : q.filters)
      if (field == "customer_id" && value != who.customer_id)
        return Problem::forbidden("a customer token reads its own records only: customer_id must be '" +
                                  who.customer_id + "' or absent");
  // Narrow in the query what the role may see, so pages stay full.
  for (auto& f : visible_query_filters(who, c)) q.filters.push_back(std::move(f));
  if (who.role == Role::customer && c.name() == "customers") return own_customer_page(who, c, q);
  const auto rows = store_.list(q);
  ListPage page;
  for (const auto& r : rows.records) {
    auto doc = parse_stored(r);
    if (!may_see(who, c, r.id, doc)) continue;
    page.data.push_back(render_document(std::move(doc), r, c, who.projection()));
  }
  if (!rows.next_after_id.empty()) page.next_after_id = rows.next_after_id;
  return page;
}

Result<json::object> RecordService::create(const Principal& who, const Collection& c, json::object body,
                                           const MutationMeta& meta) {
  std::string id;
  if (auto it = body.find("id"); it != body.end()) {
    if (!it->value().is_string() || !is_valid_id(it->value().as_string()))
      return Problem::validation({{"id", "must be a string matching ^[A-Za-z0-9_-]{1,64}$"}});
    id = std::string(it->value().as_string());
  } else {
    id = new_id(c.id_prefix());
  }
  const Millis now = now_ms();
  auto canonical = c.normalize(body, nullptr, {now, who.currency});
  if (!canonical) return canonical.problem();

  const auto w = new_record_write(c, who.tenant, id, *canonical, now, meta.origin);
  auto extra = side_writes(who, c, w, nullptr, *canonical, now);
  if (!extra) return extra.problem();
  return write_answer(
      store_, meta.idempotency, [&](WriteTxn& txn, std::optional<json::object>& out) -> std::optional<Problem> {
        if (txn.get(who.tenant, std::string(c.name()), id))
          return Problem::of(ErrorCode::already_exists, std::string(c.name()) + " '" + id + "' already exists");
        txn.put(w);
        for (const auto& e : *extra) txn.put(e);
        out = render_document(*canonical, w.record, c, who.projection());
        return std::nullopt;
      });
}

namespace {

Result<DocumentEdit> merge_patch_edit(const json::value& patch) {
  if (!patch.is_object()) return Problem::of(ErrorCode::malformed_json, "a merge patch must be a JSON object");
  return DocumentEdit([&patch](json::object& doc) -> std::optional<Problem> {
    json::value target = std::move(doc);
    merge_patch(target, patch);
    doc = std::move(target.as_object());
    return std::nullopt;
  });
}

}  // namespace

bool lost_race(const std::optional<Problem>& write_result) {
  return write_result && write_result->code == ErrorCode::raced;
}

Result<json::object> RecordService::patch(const Principal& who, const Collection& c, const std::string& id,
                                          const json::value& patch, const MutationMeta& meta) {
  auto edit = merge_patch_edit(patch);
  if (!edit) return edit.problem();
  return update(who, c, id, meta, std::move(*edit));
}

Result<UpdateAttempt> RecordService::try_patch(const Principal& who, const Collection& c, const std::string& id,
                                               const json::value& patch, const MutationMeta& meta) {
  auto edit = merge_patch_edit(patch);
  if (!edit) return edit.problem();
  return try_update(who, c, id, meta, *edit);
}

// What an update will write, computed from one version of the record.
struct RecordService::PreparedUpdate {
  std::optional<RecordWrite> write;  // empty: the edit changes nothing
  std::vector<RecordWrite> side;     // records the write brings along
  json::object out;                  // the answer for the caller

  void put(WriteTxn& txn) const {
    if (!write) return;
    txn.put(*write);
    for (const auto& w : side) txn.put(w);
  }
};

Result<RecordService::PreparedUpdate> RecordService::prepare_update(const Principal& who, const Collection& c,
                                                                    const StoredRecord& current,
                                                                    const MutationMeta& meta,
                                                                    const DocumentEdit& edit) {
  if (current.deleted) return not_found(c, current.id);
  auto previous = parse_stored(current);
  if (meta.if_match && *meta.if_match != current.version)
    return version_mismatch(current, c, who.projection(), *meta.if_match);
  auto doc = with_system_fields(previous, current);
  if (auto p = edit(doc)) return *p;
  const Millis now = now_ms();
  auto canonical = c.normalize(doc, &previous, {now, who.currency});
  if (!canonical) return canonical.problem();
  if (*canonical == previous)  // nothing changed: no new version, no event
    return PreparedUpdate{std::nullopt, {}, render_record(current, c, who.projection())};
  auto w = next_version_write(c, current, previous, *canonical, now, meta.origin);
  auto side = side_writes(who, c, w, &previous, *canonical, now);
  if (!side) return side.problem();
  auto out = render_document(std::move(*canonical), w.record, c, who.projection());  // its last use
  return PreparedUpdate{std::move(w), std::move(*side), std::move(out)};
}

// Optimistic: read, edit and validate on the calling thread, then let the
// writer commit only if the record is still at the version read. The writer
// thread is the one serial resource, so it does SQL and nothing else.
Result<UpdateAttempt> RecordService::try_update(const Principal& who, const Collection& c, const std::string& id,
                                                const MutationMeta& meta, const DocumentEdit& edit) {
  const std::string entity(c.name());
  const auto current = store_.get(who.tenant, entity, id);
  if (!current) return not_found(c, id);
  auto prepared = prepare_update(who, c, *current, meta, edit);
  if (!prepared) return prepared.problem();
  UpdateAttempt attempt{std::move(prepared->out), {}};
  if (!prepared->write) return attempt;
  auto writes = std::make_shared<PreparedUpdate>(std::move(*prepared));
  attempt.write = [writes, tenant = who.tenant, entity, id,
                   version = current->version](WriteTxn& txn) -> std::optional<Problem> {
    const auto head = txn.head(tenant, entity, id);
    if (!head || head->version != version || head->deleted)
      return Problem::of(ErrorCode::raced, "the record changed meanwhile");
    writes->put(txn);
    return std::nullopt;
  };
  return attempt;
}

// After a few lost races on a hot record the whole update runs in the writer.
Result<json::object> RecordService::update(const Principal& who, const Collection& c, const std::string& id,
                                           const MutationMeta& meta, DocumentEdit edit) {
  constexpr int kOptimisticAttempts = 3;
  // A keyed request (a POST) runs in the writer at once: its kept answer is
  // looked up there, before anything about the record is decided.
  const bool keyed = meta.idempotency && !meta.idempotency->key.empty();
  for (int attempt = 0; !keyed && attempt < kOptimisticAttempts; ++attempt) {
    auto tried = try_update(who, c, id, meta, edit);
    if (!tried) return tried.problem();
    if (!tried->write) return std::move(tried->answer);
    auto problem = store_.write(std::move(tried->write));
    if (lost_race(problem)) continue;
    if (problem) return *problem;
    return std::move(tried->answer);
  }
  const std::string entity(c.name());
  return write_answer(store_, meta.idempotency,
                      [&](WriteTxn& txn, std::optional<json::object>& out) -> std::optional<Problem> {
                        const auto current = txn.get(who.tenant, entity, id);
                        if (!current) return not_found(c, id);
                        auto prepared = prepare_update(who, c, *current, meta, edit);
                        if (!prepared) return prepared.problem();
                        prepared->put(txn);
                        out = std::move(prepared->out);
                        return std::nullopt;
                      });
}

std::optional<Problem> RecordService::remove(const Principal& who, const Collection& c, const std::string& id,
                                             const MutationMeta& meta) {
  return store_.write([&](WriteTxn& txn) -> std::optional<Problem> {
    auto current = txn.get(who.tenant, std::string(c.name()), id);
    if (!current || current->deleted) return not_found(c, id);
    if (meta.if_match && *meta.if_match != current->version)
      return version_mismatch(*current, c, who.projection(), *meta.if_match);
    txn.put(tombstone_write(c, *current, parse_stored(*current), now_ms(), meta.origin));
    return std::nullopt;
  });
}

}  // namespace shelfsync
