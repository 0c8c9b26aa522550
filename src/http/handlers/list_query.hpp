#pragma once
// The query of GET /api/{collection}: ?limit, ?after, ?q and the
// collection's filters; anything else is refused.

#include "catalog/record_service.hpp"
#include "domain/collection.hpp"
#include "domain/problem.hpp"
#include "http/message.hpp"

namespace shelfsync {

inline constexpr std::size_t kMaxListLimit = 1000;
inline constexpr std::size_t kMaxSearchLength = 200;

// 400 bad_query for a malformed or unknown parameter, 400 bad_cursor for an
// `after` that is not a page token of ours.
Result<ListRequest> parse_list_query(const Request& req, const Collection& c);

}  // namespace shelfsync
