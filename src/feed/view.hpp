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

  // Whether the reader sees this live record (doc: stored canonical form).
  bool sees(const std::string& id, const boost::json::object& doc) const;
  // The same without the ids filter: what the role and the field filter allow.
  bool matches(const std::string& id, const boost::json::object& doc) const;
};

// Parses `{"ids": [...]}` or `{"field": "value", ...}` for a collection.
// Unknown fields are 400 bad_filter; filters the reader may not use are 403
// forbidden_filter: status for shoppers (they only ever see active records)
// and, for a customer, a customer_id other than its own (refused rather than
// answered with nothing, which would look like "no such records").
Result<RecordFilter> parse_filter(const boost::json::value& filter, const Collection& c,
                                  const Principal& who);

enum class ChangeMode { data, invalidate };

// The longest origin (X-Client-Id) a change object carries.
inline constexpr std::size_t kMaxOriginBytes = 200;

// The change object of SPEC §7, serialized:
// {"entity","op","id","version","origin","data"?}. `data` (the record as
// the role reads it) only for an upsert in data mode. An origin that is not
// printable UTF-8 of at most kMaxOriginBytes is sent empty.
std::string change_json(const ChangeEntry& change, const StoredRecord* record, const Collection& c,
                        Role role, ChangeMode mode);

}  // namespace shelfsync
