#pragma once
// Building the RecordWrite of a new record or of a record's next version from
// a canonical document. Shared by the generic record service and the
// commerce code, which writes several records in one transaction.

#include <string>

#include <boost/json/object.hpp>

#include "domain/collection.hpp"
#include "domain/problem.hpp"
#include "domain/role.hpp"
#include "domain/time.hpp"
#include "store/store.hpp"

namespace shelfsync {

// Version 1 of record `id` of `c`, created at `now`.
RecordWrite new_record_write(const Collection& c, const std::string& tenant, const std::string& id,
                             const boost::json::object& doc, Millis now, const std::string& origin);

// The version after `current` (whose parsed document is `previous_doc`) with
// document `doc`; index keys are written as a difference to those stored
// with `current`.
RecordWrite next_version_write(const Collection& c, const StoredRecord& current,
                               const boost::json::object& previous_doc, const boost::json::object& doc, Millis now,
                               const std::string& origin);

// The tombstone after the live record `current` (document `previous_doc`).
RecordWrite tombstone_write(const Collection& c, const StoredRecord& current, const boost::json::object& previous_doc,
                            Millis now, const std::string& origin);

// Validates a document the server itself builds (orders, movements, ...)
// through the collection's codec and writes it as a new record. A failure
// is a bug in the caller: it comes back as a 500 Problem, which rolls back.
Result<RecordWrite> new_internal_record(const Collection& c, const std::string& tenant, const std::string& id,
                                        const boost::json::object& input, const NormalizeContext& ctx,
                                        const std::string& origin);

// 412 version_mismatch: an If-Match of `expected` met `current`, which the
// Problem carries as `current`, as the caller's projection reads it.
Problem version_mismatch(const StoredRecord& current, const Collection& c, Projection projection,
                         std::int64_t expected);

}  // namespace shelfsync
