#pragma once
// A live snapshot read in pages (SPEC §7, docs/architecture.md "Paged
// snapshots"): the hub reads the next page of records, in id order, only
// when the connection has drained, so a reader that never reads holds one
// page at most, not the collection. Each page is read in one store snapshot
// at its own seq; the pages together are no single state, so afterwards the
// subscription replays the log from the first page's seq and skips, for each
// record, the changes its page already reflects. Memory: one entry per page.

#include <cstdint>
#include <string>
#include <vector>

namespace shelfsync {

class SnapshotPages {
 public:
  // The position to read the next page after (ids greater than this).
  const std::string& after_id() const { return after_id_; }
  bool done() const { return done_; }
  // The seq the first page was read at: the replay starts there.
  std::int64_t start() const { return pages_.empty() ? 0 : pages_.front().seq; }
  // The seq of the newest page: the replay must reach it before `subscribed`.
  std::int64_t newest() const { return pages_.empty() ? 0 : pages_.back().seq; }

  // A page read at `seq` covering the ids after after_id() up to `last_id`;
  // `last` if it covers every id after that (the collection ended).
  void add(std::int64_t seq, std::string last_id, bool last);

  // Whether the change of `id` at `seq` is already reflected by the page
  // that covered `id` (sent as that page's state, or not sent because the
  // record was absent or outside the view then).
  bool covered(const std::string& id, std::int64_t seq) const;

 private:
  struct Page {
    std::int64_t seq;
    std::string last_id;  // ids up to and including this; empty: every id after the previous page
  };
  std::vector<Page> pages_;
  std::string after_id_;
  bool done_ = false;
};

}  // namespace shelfsync
