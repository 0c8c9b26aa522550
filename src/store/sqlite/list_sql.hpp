#pragma once
// The SQL of a list query, assembled from the fixed fragments in queries.hpp.

#include <cstddef>
#include <string>
#include <string_view>

namespace shelfsync::sqlite {

// How a list query meets its ?q=: none, through the trigram index, or (too
// short for trigrams) by testing a bounded window of records.
enum class SearchPath { none, indexed, window };

SearchPath search_path(const std::string& search);

// An FTS5 phrase: the trigram tokenizer matches it as a substring.
std::string fts_phrase(const std::string& search);

// One key join per filter; all values bound, in the order list_on binds them.
std::string list_sql(std::size_t filters, SearchPath path);

}  // namespace shelfsync::sqlite
