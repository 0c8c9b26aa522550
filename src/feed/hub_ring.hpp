#pragma once
// The hub's memory of recent changes: per tenant, a ring of the last N
// committed changes with their documents parsed at most once (when a reader
// of their topic first looks) and their change objects serialized at most
// once per (projection, mode), shared by every subscriber that receives
// them. Hub thread only; no locking.

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "feed/live_connection.hpp"
#include "feed/view.hpp"
#include "store/store.hpp"

namespace shelfsync {

struct RingEntry {
  explicit RingEntry(CommittedChange change) : change(std::move(change)) {}

  CommittedChange change;
  // The state after (a tombstone: its last), and the state before when
  // known; null if absent. Parsed on first use: a change no reader of its
  // topic looks at costs no parse.
  const boost::json::object* doc() { return parsed(doc_, change.data); }
  const boost::json::object* previous() { return parsed(previous_, change.previous_data); }

  // The change object as `delivery` for a reader of `projection` in `mode`;
  // serialized on first use and cached.
  Frame frame(const Collection& c, Projection projection, ChangeMode mode, Delivery delivery);

 private:
  struct Parsed {
    bool done = false;
    std::optional<boost::json::object> doc;
  };
  static const boost::json::object* parsed(Parsed& slot, const std::shared_ptr<const std::string>& text);

  Parsed doc_;
  Parsed previous_;
  // [0] delete, [1] invalidate upsert, [2 + projection] data upsert for it.
  std::array<Frame, 2 + kProjectionCount> cache_;
};

class TenantRing {
 public:
  explicit TenantRing(std::size_t capacity) : capacity_(capacity) {}

  // Appends a committed change. Seqs must follow on; a gap (a write the hub
  // did not see) or a repeat empties the ring first, so covers() stays true
  // to the log.
  void append(const CommittedChange& change);

  bool empty() const { return entries_.empty(); }
  std::int64_t first_seq() const { return entries_.front().change.entry.seq; }
  std::int64_t last_seq() const { return entries_.back().change.entry.seq; }
  std::size_t size() const { return entries_.size(); }
  // Whether the entry `seq` is in the ring.
  bool covers(std::int64_t seq) const { return !empty() && seq >= first_seq() && seq <= last_seq(); }
  RingEntry& at(std::int64_t seq) { return entries_[static_cast<std::size_t>(seq - first_seq())]; }

 private:
  std::size_t capacity_;
  std::deque<RingEntry> entries_;
};

}  // namespace shelfsync
