#pragma once
// The SQL of a list query, assembled from the fixed fragments in queries.hpp.

#include <cstddef>
#include <string>
#include <string_view>

#include "store/search_path.hpp"

namespace shelfsync::sqlite {

using shelfsync::search_path;
using shelfsync::SearchPath;

// An FTS5 phrase: the trigram tokenizer matches it as a substring.
std::string fts_phrase(const std::string& search);

// One key join per filter; all values bound, in the order list_on binds them.
std::string list_sql(std::size_t filters, SearchPath path);

}  // namespace shelfsync::sqlite
