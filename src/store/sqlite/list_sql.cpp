#include "store/sqlite/list_sql.hpp"

#include "store/sqlite/queries.hpp"

namespace shelfsync::sqlite {

std::string fts_phrase(const std::string& search) {
  std::string out = "\"";
  for (char ch : search) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + '"';
}

std::string list_sql(std::size_t filters, SearchPath path) {
  const bool indexed = path == SearchPath::indexed;
  std::string out = sql::kListColumns;
  if (path == SearchPath::window) out += sql::kListHitColumn;
  out += indexed ? sql::kListSearchFrom : sql::kListFrom;
  for (std::size_t i = 0; i < filters; ++i) {
    std::string join = sql::kListKeyJoin;
    for (auto pos = join.find("{N}"); pos != std::string::npos; pos = join.find("{N}"))
      join.replace(pos, 3, std::to_string(i));
    // Keys are probed per match, never scanned ahead of the index.
    if (indexed) out += " CROSS";
    out += join;
  }
  out += sql::kListWhere;
  if (indexed) out += sql::kListSearchMatch;
  if (indexed) out += sql::kListSearch;
  out += sql::kListOrder;
  return out;
}

}  // namespace shelfsync::sqlite
