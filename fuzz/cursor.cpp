// Cursors and page tokens as clients hand them back: `since` of a sync or a
// subscription (feed/cursor.hpp, change-log cursors and snapshot
// positions) and `after` of a list (http/page_token.hpp). Checks: what
// decodes names a position in bounds and encodes back to the same text (a
// cursor has one spelling), or at least to a token naming the same id; and
// every valid id survives a page token's round trip.

#include "feed/cursor.hpp"

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/ids.hpp"
#include "fuzz_check.hpp"
#include "http/page_token.hpp"

using namespace shelfsync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (const auto seq = decode_cursor(text)) {
    FUZZ_CHECK(*seq >= 0);
    FUZZ_CHECK(encode_cursor(*seq) == text);
  }

  if (const auto position = decode_snapshot_position(text)) {
    FUZZ_CHECK(position->seq >= 0);
    FUZZ_CHECK(is_valid_id(position->entity));
    FUZZ_CHECK(position->after_id.empty() || is_valid_id(position->after_id));
    FUZZ_CHECK(encode_snapshot_position(*position) == text);
  }

  if (const auto id = decode_page_token(text)) {
    FUZZ_CHECK(is_valid_id(*id));
    FUZZ_CHECK(decode_page_token(encode_page_token(*id)) == *id);
  }

  if (is_valid_id(text)) {
    const std::string id(text);
    FUZZ_CHECK(decode_page_token(encode_page_token(id)) == id);
    const SnapshotPosition position{static_cast<std::int64_t>(size) * 1'000'003, id, id};
    const auto back = decode_snapshot_position(encode_snapshot_position(position));
    FUZZ_CHECK(back && back->seq == position.seq && back->entity == id && back->after_id == id);
  }
  return 0;
}
