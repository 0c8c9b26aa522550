#include "feed/cursor.hpp"

#include <charconv>

#include "domain/ids.hpp"

namespace shelfsync {
namespace {

// Decimal digits as encode_cursor writes them: no sign, no leading zero,
// so a position has one spelling ("c-0" and "c007" are not cursors).
std::optional<std::int64_t> parse_seq(std::string_view digits) {
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  if (digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  if (digits.size() > 1 && digits.front() == '0') return std::nullopt;
  std::int64_t seq = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
  if (ec != std::errc() || end != digits.data() + digits.size() || seq < 0) return std::nullopt;
  return seq;
}

}  // namespace

std::string encode_cursor(std::int64_t seq) { return "c" + std::to_string(seq); }

std::optional<std::int64_t> decode_cursor(std::string_view cursor) {
  if (!cursor.starts_with('c')) return std::nullopt;
  return parse_seq(cursor.substr(1));
}

std::string encode_snapshot_position(const SnapshotPosition& p) {
  return "s" + std::to_string(p.seq) + "." + p.entity + "." + p.after_id;
}

std::optional<SnapshotPosition> decode_snapshot_position(std::string_view token) {
  if (!token.starts_with('s')) return std::nullopt;
  const auto dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return std::nullopt;
  const auto dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return std::nullopt;
  auto seq = parse_seq(token.substr(1, dot1 - 1));
  auto entity = token.substr(dot1 + 1, dot2 - dot1 - 1);
  auto id = token.substr(dot2 + 1);
  if (!seq || !is_valid_id(entity) || (!id.empty() && !is_valid_id(id))) return std::nullopt;
  return SnapshotPosition{*seq, std::string(entity), std::string(id)};
}

}  // namespace shelfsync
