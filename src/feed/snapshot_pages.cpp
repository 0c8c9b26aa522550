#include "feed/snapshot_pages.hpp"

#include <algorithm>

namespace shelfsync {

void SnapshotPages::add(std::int64_t seq, std::string last_id, bool last) {
  // Pages are read one after the other: seqs never go down.
  if (!pages_.empty()) seq = std::max(seq, pages_.back().seq);
  if (last) {
    done_ = true;
    pages_.push_back({seq, ""});
    return;
  }
  after_id_ = last_id;
  pages_.push_back({seq, std::move(last_id)});
}

bool SnapshotPages::covered(const std::string& id, std::int64_t seq) const {
  // The first page whose range reaches `id` (ranges ascend; the last is open).
  const auto page =
      std::find_if(pages_.begin(), pages_.end(), [&](const Page& p) { return p.last_id.empty() || id <= p.last_id; });
  return page != pages_.end() && seq <= page->seq;
}

}  // namespace shelfsync
