#include "catalog/record_writes.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>

#include "auth/read_rules.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

RecordWrite write_of(const Collection& c, StoredRecord record, const json::object& doc, const std::string& origin) {
  RecordWrite w;
  w.keys = c.index_keys(doc);
  w.search_text = c.search_text(doc);
  w.origin = origin;
  w.seen_by = readers_of(c, doc);
  record.data = json::serialize(doc);
  w.record = std::move(record);
  return w;
}

}  // namespace

RecordWrite new_record_write(const Collection& c, const std::string& tenant, const std::string& id,
                             const json::object& doc, Millis now, const std::string& origin) {
  StoredRecord r{tenant, std::string(c.name()), id, 1, false, now, now, {}};
  auto w = write_of(c, std::move(r), doc, origin);
  w.previous_keys = IndexKeys{};  // a new record has none: nothing to delete first
  w.figures = figure_changes(c.name(), nullptr, 0, &doc, now);
  w.digests = digest_changes(c, id, nullptr, 0, &doc, 1);
  return w;
}

RecordWrite next_version_write(const Collection& c, const StoredRecord& current, const json::object& previous_doc,
                               const json::object& doc, Millis now, const std::string& origin) {
  StoredRecord next = current;
  next.version += 1;
  next.deleted = false;
  next.updated_at = std::max(now, current.updated_at);
  auto w = write_of(c, std::move(next), doc, origin);
  // The previous keys are those stored with the record (the store reads
  // them), not index_keys(previous_doc) recomputed now: the timed key
  // depends on the clock (a sale's next transition), so a recomputation
  // after a sale started would miss the stored key and leave it behind for
  // the sale timer to find due forever.
  w.previous_data = current.data;
  // What the stored version added (nothing if it is a tombstone) goes; what
  // this one adds comes. Each at its own updated_at, as it was counted.
  w.figures = figure_changes(c.name(), current.deleted ? nullptr : &previous_doc, current.updated_at, &doc,
                             w.record.updated_at);
  w.digests =
      digest_changes(c, current.id, current.deleted ? nullptr : &previous_doc, current.version, &doc, w.record.version);
  return w;
}

RecordWrite tombstone_write(const Collection& c, const StoredRecord& current, const json::object& previous_doc,
                            Millis now, const std::string& origin) {
  StoredRecord next = current;
  next.version += 1;
  next.deleted = true;
  next.updated_at = std::max(now, current.updated_at);
  RecordWrite w;
  w.previous_data = current.data;
  w.record = std::move(next);
  w.origin = origin;
  w.seen_by = 0;  // a tombstone shows nobody anything new
  w.figures = figure_changes(c.name(), &previous_doc, current.updated_at, nullptr, 0);
  w.digests = digest_changes(c, current.id, &previous_doc, current.version, nullptr, 0);
  return w;
}

Result<RecordWrite> new_internal_record(const Collection& c, const std::string& tenant, const std::string& id,
                                        const json::object& input, const NormalizeContext& ctx,
                                        const std::string& origin) {
  auto canonical = c.normalize(input, nullptr, ctx);
  if (!canonical) {
    const Problem& invalid = canonical.problem();
    Problem p =
        Problem::internal("the server built an invalid " + std::string(c.name()) + " record: " + invalid.detail);
    p.errors = invalid.errors;
    return p;
  }
  return new_record_write(c, tenant, id, *canonical, ctx.now, origin);
}

Problem version_mismatch(const StoredRecord& current, const Collection& c, Projection projection,
                         std::int64_t expected) {
  Problem p = Problem::of(ErrorCode::version_mismatch, "If-Match expected version " + std::to_string(expected) +
                                                           " but the record is at " + std::to_string(current.version));
  p.extensions["current"] = render_record(current, c, projection);
  return p;
}

}  // namespace shelfsync
