#include "feed/change_batch.hpp"

#include <algorithm>

#include "feed/reader.hpp"
#include "feed/sync.hpp"

namespace shelfsync {

Result<ChangeBatch> read_change_batch(Store& store, const Principal& who, const std::vector<const Collection*>& topics,
                                      const RecordFilter& filter, std::int64_t since, std::size_t limit) {
  if (auto p = check_resume_cursor(store, who.tenant, since)) return *p;
  std::vector<std::string> names;
  for (const auto* c : topics) names.emplace_back(c->name());
  const auto page = store.replay(who.tenant, since, names, limit);
  std::vector<std::pair<std::int64_t, Frame>> out;
  for (const auto* c : topics) {
    Reader reader(ReaderView{who, c, filter}, ChangeMode::data, since);
    for (const auto& d : reader.read_replay(page))
      if (auto frame = reader.frame(d)) out.emplace_back(d.item->change.seq, std::move(frame));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  ChangeBatch batch;
  batch.changes.reserve(out.size());
  for (auto& [seq, frame] : out) batch.changes.push_back(*frame);
  batch.cursor = page.cursor;
  batch.has_more = page.has_more;
  return batch;
}

}  // namespace shelfsync
