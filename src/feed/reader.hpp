#pragma once
// A reader: one view of one tenant's change log and how far it has read it
// (docs/architecture.md "One reader"). Every way out of the log drives one:
// a live subscription over WebSocket or SSE (the hub's pump), GET /api/sync
// and its long-poll, and each webhook; a publish topic is one more view.
//
// What the reader gets next is decided here and nowhere else. It reads the
// hub's ring while the ring holds the range (next: change by change, each
// version) and the store otherwise (read_replay: each record once, in its
// latest state, ordered by that change); it judges each change with the
// view's rule (feed/view.hpp judge), skips what it already handed out (a
// snapshot page that reflects the change, a watch's initial state), keeps
// what it judged in a pending batch that collapses a record's versions when
// asked, and moves its cursor. A topic is a name in the log: the view says
// who sees which of its records and how they are rendered, so a topic that
// is not a collection (stats, publish topics) is one more view.
//
// Not thread-safe: it has one owner (the hub thread for a subscription, the
// request's worker for a sync).

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "feed/hub_ring.hpp"
#include "feed/snapshot_pages.hpp"
#include "feed/view.hpp"
#include "store/store.hpp"

namespace shelfsync {

// One record of a store replay as this reader gets it.
struct ReplayDelivery {
  const ReplayItem* item;
  Delivery delivery;  // upsert or remove
};

class Reader {
 public:
  Reader(ReaderView view, ChangeMode mode, std::int64_t cursor = 0)
      : cursor_(cursor), mode_(mode), view_(std::move(view)) {}

  const ReaderView& view() const { return view_; }
  ReaderView& view() { return view_; }  // a watch changes the ids filter in place
  ChangeMode mode() const { return mode_; }

  // The log is consumed up to here.
  std::int64_t cursor() const { return cursor_; }
  // Moves the cursor to `seq` without reading: the caller knows the log up
  // to there holds nothing for this reader (a subscription's `since`, an
  // idle subscription's commits of other topics, a settled snapshot).
  void seek(std::int64_t seq) { cursor_ = seq; }

  // The ring entry after the cursor (the ring must cover cursor()+1): judged,
  // and the cursor moved past it. Null: nothing for this reader.
  Frame next(TenantRing& ring);

  // A page the store read after the cursor (Store::replay, this reader's
  // topic among others): what the reader gets of it, in seq order; the
  // cursor moves to the page's end.
  std::vector<ReplayDelivery> read_replay(const ReplayPage& page);
  // The change object of one of them.
  Frame frame(const ReplayDelivery& d) const;

  // A record of a snapshot page: its upsert if the reader sees it, else null.
  Frame snapshot_frame(const StoredRecord& r) const;
  // A record a watch removed from the ids filter: its delete if the reader
  // could see it (role and field filter), else null — an answer for any
  // other id would tell which ids exist.
  Frame removal_frame(const StoredRecord& r) const;

  // Notes a record version handed out outside the log (a watch's initial
  // state): the log's changes up to it are not handed out again.
  void note_sent(const std::string& id, std::int64_t version) { sent_version_[id] = version; }

  // --- the pending batch: judged, not yet handed out, in the order of each
  // record's latest change.
  // Adds a change; with `coalesce`, replaces the record's pending one (and
  // returns true). Bounded by the caller (pending_size()).
  bool add_pending(const std::string& id, Frame frame, bool coalesce);
  void drop_pending(const std::string& id);
  bool has_pending() const { return pending_count_ > 0; }
  std::size_t pending_size() const { return pending_count_; }
  std::vector<Frame> take_pending();

 private:
  // Drops the replaced versions from pending_, so a hot record coalesced for
  // a stalled socket does not grow it without bound.
  void compact_pending();
  // Whether the change of `id` to `version` at `seq` was handed out already.
  bool already_out(const std::string& id, std::int64_t seq, std::int64_t version);

  // What every change reads first comes first: a fan-out walks thousands of
  // readers per commit, so these share cache lines.
  std::int64_t cursor_;
  ChangeMode mode_;
  // The pending batch in order; a version another replaced is a null frame.
  // Plain appends need no index: the common case (a reader that keeps up,
  // every version) costs one push_back per change.
  struct Pending {
    std::string id;
    Frame frame;
  };
  std::vector<Pending> pending_;
  std::size_t pending_count_ = 0;  // non-null frames in pending_
  std::unordered_map<std::string, std::int64_t> sent_version_;
  // Records a store page passed over (ReplayPage::moved_on): the reader does
  // not hold the state before their next change, so the ring's previous
  // document must not judge it.
  std::unordered_set<std::string> unsure_;
  ReaderView view_;
  // id → its latest slot in pending_, for slots below indexed_; built when
  // a coalescing add needs it.
  std::unordered_map<std::string, std::size_t> latest_slot_;
  std::size_t indexed_ = 0;

 public:
  // The snapshot being read page by page, until it settles. Last: once live,
  // a change reads only whether it is engaged.
  std::optional<SnapshotPages> pages;
};

}  // namespace shelfsync
