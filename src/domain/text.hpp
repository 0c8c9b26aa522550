#pragma once
// Small text helpers for search and slugs. ASCII only on purpose: search is a
// lowercased substring match and slugs are [a-z0-9-].

#include <string>
#include <string_view>

namespace shelfsync {

// A-Z to a-z; every other byte (including UTF-8) unchanged.
std::string ascii_lower(std::string_view text);

// "Summer Shoes & Boots!" -> "summer-shoes-boots": ASCII letters and digits
// lowercased, every other run of characters one '-', none at either end, at
// most `max_len` characters. Empty if the text has no ASCII letter or digit.
std::string slugify(std::string_view text, std::size_t max_len = 200);

// Whether `slug` is 1..max_len characters of [a-z0-9-].
bool is_valid_slug(std::string_view slug, std::size_t max_len = 200);

}  // namespace shelfsync
