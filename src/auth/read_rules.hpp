#pragma once
// What a reader may see of a record and how it sees it (SPEC §3). The one
// place for the read side of the role rules: REST reads (catalog/), every
// reader of the change log (feed/) and the writers that record who could
// ever see a record (catalog/record_writes) all ask here. Pure functions of
// the caller and the stored document; thread-safe.

#include <string>

#include <boost/json/object.hpp>

#include "auth/tokens.hpp"
#include "domain/collection.hpp"
#include "domain/role.hpp"
#include "store/store.hpp"

namespace shelfsync {

// Whether `who` may read this live record at all: the role's visibility
// (shoppers: active products only, Collection::visible_to) and, for a
// customer, ownership. `doc` is the stored document.
bool may_see(const Principal& who, const Collection& c, const std::string& id, const boost::json::object& doc);

// Whether the record is `who`'s own or owned by no customer. Ownership never
// changes (an order's or bill's customer, a customer's own record), so a
// record that fails this was never visible to `who`: sync and live leave it
// out entirely instead of reporting it as deleted.
bool owned_by_reader(const Principal& who, const Collection& c, const std::string& id, const boost::json::object& doc);

// The roles that may see this state of a record (ownership aside). The store
// keeps, per record, every role that could ever see one of its versions
// (StoredRecord::seen_by), so that a reader is never told about a record its
// role could never see — a draft never published, for a shopper.
RoleSet readers_of(const Collection& c, const boost::json::object& doc);

// The store query narrowing for what `who` may see of `c`, as index
// filters, so that pages stay full (records still go through may_see).
IndexKeys visible_query_filters(const Principal& who, const Collection& c);

// The same when they describe the view exactly (may_see adds nothing), so a
// digest of the view can be read from the digest sums of one view scope;
// nullopt for a customer's view of `customers` (its own record, by id).
std::optional<IndexKeys> exact_view_filters(const Principal& who, const Collection& c);

// The stored document with its system fields (id, version, created_at,
// updated_at) first, as every reader and every edit sees it.
boost::json::object with_system_fields(boost::json::object doc, const StoredRecord& record);

// The stored document with its system fields, as a reader of `projection`
// sees it (Principal::projection()).
boost::json::object render_record(const StoredRecord& record, const Collection& c, Projection projection);
// The same, for a caller that holds the parsed stored document already.
boost::json::object render_document(boost::json::object stored_doc, const StoredRecord& record, const Collection& c,
                                    Projection projection);

}  // namespace shelfsync
