#include "store/sqlite/list_sql.hpp"

#include "store/sqlite/queries.hpp"
#include "store/store.hpp"

namespace shelfsync::sqlite {
namespace {

// UTF-8 code points in `text`, or 0 if it is not valid UTF-8 or holds a NUL
// (such a search takes the window path, which compares bytes).
std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++n) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t len = b == 0 ? 0 : b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3
                                                    : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > text.size()) return 0;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 2) return 0;
    i += len;
  }
  return n;
}

}  // namespace

SearchPath search_path(const std::string& search) {
  if (search.empty()) return SearchPath::none;
  return code_points(search) >= kIndexedSearchMin ? SearchPath::indexed : SearchPath::window;
}

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
