#pragma once
// String helpers shared by the demo catalog's builders.

#include <string>
#include <string_view>

namespace shelfsync::demo {

// n zero-padded to at least `width` digits: pad(7, 4) == "0007".
std::string pad(int n, int width);
// A-Z to a-z.
std::string lower(std::string_view s);
// Lowercase [a-z0-9-] form of a name, as the server derives slugs.
std::string slugify(std::string_view name);
std::string replace_all(std::string s, std::string_view from, std::string_view to);

}  // namespace shelfsync::demo
