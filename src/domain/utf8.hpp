#pragma once
// UTF-8 checks for text that reaches a client verbatim: incoming WebSocket
// text and the strings the server echoes into live frames.

#include <cstddef>
#include <string_view>

namespace shelfsync {

// Whether `text` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool valid_utf8(std::string_view text);

// Whether `text` is at most `max_bytes` of well-formed UTF-8 without control
// characters (C0, DEL): a short label such as a change's origin.
bool printable_text(std::string_view text, std::size_t max_bytes);

}  // namespace shelfsync
