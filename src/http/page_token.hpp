#pragma once
// The opaque `next` / `after` token of list pagination. It names the last id
// of a page; encoding it keeps clients from building their own.

#include <optional>
#include <string>
#include <string_view>

namespace shelfsync {

std::string encode_page_token(std::string_view last_id);
// nullopt if the token is not one we made (400 bad_cursor).
std::optional<std::string> decode_page_token(std::string_view token);

}  // namespace shelfsync
