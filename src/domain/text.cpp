#include "domain/text.hpp"

namespace shelfsync {

namespace {

bool is_slug_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

}  // namespace

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string slugify(std::string_view text, std::size_t max_len) {
  std::string slug;
  bool pending_dash = false;
  for (char c : ascii_lower(text)) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum) {
      pending_dash = !slug.empty();
      continue;
    }
    if (pending_dash) {
      if (slug.size() + 1 >= max_len) break;
      slug += '-';
      pending_dash = false;
    }
    if (slug.size() >= max_len) break;
    slug += c;
  }
  return slug;
}

bool is_valid_slug(std::string_view slug, std::size_t max_len) {
  if (slug.empty() || slug.size() > max_len) return false;
  for (char c : slug)
    if (!is_slug_char(c)) return false;
  return true;
}

}  // namespace shelfsync
