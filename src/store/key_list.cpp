#include "store/key_list.hpp"

#include <charconv>

namespace shelfsync {
namespace {

void put_part(std::string& out, std::string_view part) {
  out += std::to_string(part.size());
  out += ':';
  out += part;
}

// Reads one "<bytes>:<text>" from the front of `text`.
std::optional<std::string> take_part(std::string_view& text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::size_t size = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + colon, size);
  if (ec != std::errc{} || end != text.data() + colon || size > text.size() - colon - 1) return std::nullopt;
  std::string part(text.substr(colon + 1, size));
  text.remove_prefix(colon + 1 + size);
  return part;
}

}  // namespace

std::string encode_keys(const IndexKeys& keys) {
  std::string out;
  for (const auto& [field, value] : keys) {
    put_part(out, field);
    put_part(out, value);
  }
  return out;
}

std::optional<IndexKeys> decode_keys(std::string_view text) {
  IndexKeys keys;
  while (!text.empty()) {
    auto field = take_part(text);
    if (!field) return std::nullopt;
    auto value = take_part(text);
    if (!value) return std::nullopt;
    keys.emplace_back(std::move(*field), std::move(*value));
  }
  return keys;
}

}  // namespace shelfsync
