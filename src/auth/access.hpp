#pragma once
// What each role may do with each collection (SPEC §3). The one place that
// answers "may this caller ...?"; handlers ask, never decide.

#include <string_view>

#include "domain/collection.hpp"
#include "domain/role.hpp"

namespace shelfsync {

bool is_catalog_collection(std::string_view collection);
bool may_read(Role role, std::string_view collection);
// The same for a collection or a publish topic (its declared readers).
bool may_read(Role role, const Collection& collection);
bool may_write(Role role, std::string_view collection);

}  // namespace shelfsync
