#include "store/search_path.hpp"

#include <string_view>

#include "store/store.hpp"

namespace shelfsync {
namespace {

// UTF-8 code points in `text`, or 0 if it is not valid UTF-8 or holds a NUL
// (such a search takes the window path, which compares bytes).
std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++n) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t len = b == 0 ? 0 : b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
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

}  // namespace shelfsync
