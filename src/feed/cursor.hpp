#pragma once
// Cursors: opaque strings naming a position in a tenant's change log.
// "c<seq>" today; clients must treat them as opaque.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shelfsync {

std::string encode_cursor(std::int64_t seq);
// nullopt if malformed (400 bad_cursor).
std::optional<std::int64_t> decode_cursor(std::string_view cursor);

// A page of a full sync snapshot: the seq the snapshot started at and the
// last id handed out.
struct SnapshotPosition {
  std::int64_t seq = 0;
  std::string entity;    // the collection being paged
  std::string after_id;  // last id handed out of it
};
std::string encode_snapshot_position(const SnapshotPosition& p);
std::optional<SnapshotPosition> decode_snapshot_position(std::string_view token);

}  // namespace shelfsync
