#pragma once
// Index keys follow the record: a write removes the keys the stored version
// has and the new one lacks, and adds the new ones; most edits change no
// filterable field, so most writes touch no key row. One rule, every backend.

#include <algorithm>

#include "domain/collection.hpp"

namespace shelfsync {

template <typename Remove, typename Add>
void for_each_key_change(const IndexKeys& before, const IndexKeys& after, Remove remove, Add add) {
  for (const auto& key : before)
    if (std::find(after.begin(), after.end(), key) == after.end()) remove(key.first, key.second);
  for (const auto& key : after)
    if (std::find(before.begin(), before.end(), key) == before.end()) add(key.first, key.second);
}

}  // namespace shelfsync
