#pragma once
// What one reader sees of a collection: the reader's token (role, customer)
// plus an optional filter. Sync, live subscriptions and (later) webhooks all
// decide "does this reader see this record?" and "what does the change look
// like to them?" here.

#include <optional>
#include <set>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "auth/tokens.hpp"
#include "domain/collection.hpp"
#include "store/store.hpp"

namespace shelfsync {

struct RecordFilter {
  std::optional<std::set<std::string>> ids;  // a per-record room
  IndexKeys equals;                          // every (field, value) must hold
};

struct ReaderView {
  Principal who;
  const Collection* collection = nullptr;
  RecordFilter filter;

  // Whether the reader sees this live record (doc: stored canonical form).
  bool sees(const std::string& id, const boost::json::object& doc) const;
};

// Parses `{"ids": [...]}` or `{"field": "value", ...}` for a collection.
// Unknown fields are 400 bad_filter; fields the role may not filter by
// (status for shoppers: they only ever see active records) are 403
// forbidden_filter.
Result<RecordFilter> parse_filter(const boost::json::value& filter, const Collection& c, Role role);

enum class ChangeMode { data, invalidate };

// The change object of SPEC §7, serialized:
// {"entity","op","id","version","origin","data"?}. `data` (the record as
// the role reads it) only for an upsert in data mode.
std::string change_json(const ChangeEntry& change, const StoredRecord* record, const Collection& c,
                        Role role, ChangeMode mode);

}  // namespace shelfsync
