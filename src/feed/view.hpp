#pragma once
// What one reader sees of a topic: the reader's token (role, customer) plus
// an optional filter, and the one rule for what a reader gets of a change
// (judge). feed/reader.hpp applies it for every way out of the log.

#include <optional>
#include <set>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "auth/tokens.hpp"
#include "domain/collection.hpp"
#include "store/store.hpp"

namespace shelfsync {

// The most ids a filter may name when parsed; the hub may allow fewer
// (HubOptions::max_filter_ids, `serve --max-filter-ids`).
inline constexpr std::size_t kMaxFilterIds = 10000;

struct RecordFilter {
  std::optional<std::set<std::string>> ids;  // a per-record room
  IndexKeys equals;                          // every (field, value) must hold
};

struct ReaderView {
  Principal who;
  const Collection* collection = nullptr;
  RecordFilter filter;

  std::string_view topic() const { return collection->name(); }

  // Whether the ids filter, if any, names this record.
  bool follows(const std::string& id) const { return !filter.ids || filter.ids->count(id); }
  // Whether the reader sees this live record (doc: stored canonical form).
  bool sees(const std::string& id, const boost::json::object& doc) const;
  // The same without the ids filter: what the role and the field filter allow.
  bool matches(const std::string& id, const boost::json::object& doc) const;
};

// How one change reaches one reader.
enum class Delivery { upsert, remove, skip };

// What is known of one change of one record when judging it for a reader.
struct ChangeFacts {
  const std::string& id;
  bool deleted = false;                         // the record is a tombstone now
  const boost::json::object* now = nullptr;     // its state (a tombstone: its last), if known
  const boost::json::object* before = nullptr;  // the state the reader may hold, if known
  RoleSet seen_by = kEveryRole;                 // every role that could ever see it
  bool born_after_cursor = false;               // created after the reader's cursor
};

// The rule (SPEC §7): upsert if the reader sees the record now; delete if it
// may hold it (it saw the state before, or that state is unknown and the
// record is its own and its role could ever see it); else nothing. So a
// reader is never told of a record it could never see.
Delivery judge(const ReaderView& view, const ChangeFacts& change);

// Parses `{"ids": [...]}` or `{"field": "value", ...}` for a collection.
// Unknown fields are 400 bad_filter; filters the reader may not use are 403
// forbidden_filter: status for shoppers (they only ever see active records)
// and, for a customer, a customer_id other than its own (refused rather than
// answered with nothing, which would look like "no such records").
Result<RecordFilter> parse_filter(const boost::json::value& filter, const Collection& c, const Principal& who);

enum class ChangeMode { data, invalidate };

// The longest origin (X-Client-Id) a change object carries.
inline constexpr std::size_t kMaxOriginBytes = 200;

// The change object of SPEC §7, serialized:
// {"entity","op","id","version","origin","data"?}. `data` (the record as
// a reader of `projection` reads it) only for an upsert in data mode. An
// origin that is not printable UTF-8 of at most kMaxOriginBytes is sent empty.
std::string change_json(const ChangeEntry& change, const StoredRecord* record, const Collection& c,
                        Projection projection, ChangeMode mode);

}  // namespace shelfsync
