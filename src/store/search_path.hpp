#pragma once

#include <string>

namespace shelfsync {

// How a list query meets its ?q=, in every backend: none, through a trigram
// index (kIndexedSearchMin code points or more), or (too short for
// trigrams, or not valid UTF-8) by testing a bounded window of records
// (kShortSearchWindow).
enum class SearchPath { none, indexed, window };

SearchPath search_path(const std::string& search);

}  // namespace shelfsync
