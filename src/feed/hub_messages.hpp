#pragma once
// Encoded `changes` messages the hub shares among connections (hub thread
// only). A change fanned out to N readers of one transport with the same sub
// id and cursor is encoded once and the same bytes are queued N times. The
// cache is small and bounded: it only has to hold what one fan-out round
// reuses.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "feed/live_connection.hpp"

namespace shelfsync {

class MessageCache {
 public:
  // Messages larger than this are not kept (a catch-up batch, a snapshot
  // chunk): they are rarely shared and would pin memory.
  static constexpr std::size_t kMaxShared = 64u << 10;
  static constexpr std::size_t kSlots = 32;

  // The message `conn` would write for these changes: a cached one, or
  // encoded by `conn` now (and kept). Null if the transport does not share.
  Message get(const LiveConnection& conn, const std::string& sub, std::optional<std::int64_t> cursor,
              std::span<const Frame> changes);

 private:
  struct Slot {
    std::string_view transport;  // transport() names are literals
    std::string sub;
    std::optional<std::int64_t> cursor;
    std::vector<Frame> changes;  // held, so no address is reused while the slot lives
    Message message;
  };
  std::array<Slot, kSlots> slots_;
  std::size_t next_ = 0;  // the slot replaced next (round robin)
};

}  // namespace shelfsync
