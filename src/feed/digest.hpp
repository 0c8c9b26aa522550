#pragma once
// GET /api/sync/digest (SPEC §6), without HTTP: {cursor, count, hash} over
// the (id, version) of every record a reader sees (domain/view_digest.hpp
// says how the hash is made). The whole view is read from the digest sums
// the store keeps per view scope, so its cost does not grow with the
// catalog; a scope (ids, or a filter the reader may use) is summed from its
// records, so it costs what it covers.

#include <vector>

#include <boost/json/object.hpp>

#include "auth/tokens.hpp"
#include "domain/collection.hpp"
#include "feed/view.hpp"
#include "store/store.hpp"

namespace shelfsync {

// The digest of everything `who` sees of `entities`.
boost::json::object view_digest(Store& store, const Principal& who, const std::vector<const Collection*>& entities);

// The digest of what `who` sees of `c` within `scope` (ids or field values).
boost::json::object scoped_digest(Store& store, const Principal& who, const Collection& c, const RecordFilter& scope);

}  // namespace shelfsync
