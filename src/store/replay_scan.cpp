#include "store/replay_scan.hpp"

#include <algorithm>
#include <map>

namespace shelfsync {
namespace {

struct Latest {
  ChangeEntry change;
  bool created_in_window = false;
};

bool wanted(const std::vector<std::string>& entities, const std::string& entity) {
  return entities.empty() || std::find(entities.begin(), entities.end(), entity) != entities.end();
}

}  // namespace

ReplayPage scan_replay(std::int64_t head, std::int64_t after, const std::vector<std::string>& entities,
                       std::size_t limit, const ReplaySource& source) {
  ReplayPage page;
  page.head = head;
  page.cursor = after;
  std::map<std::pair<std::string, std::string>, Latest> latest;
  // Scan the log in chunks; stop before the change that would make the page
  // hold more than `limit` records.
  const std::size_t chunk = std::max<std::size_t>(limit * 4, 256);
  bool full = false;
  while (!full && page.cursor < page.head) {
    auto entries = source.changes_after(page.cursor, chunk);
    for (auto& c : entries) {
      if (wanted(entities, c.entity)) {
        auto key = std::make_pair(c.entity, c.id);
        auto it = latest.find(key);
        if (it == latest.end()) {
          if (latest.size() == limit) {
            full = true;
            break;
          }
          it = latest.emplace(key, Latest{}).first;
        }
        if (c.version == 1 && !c.deleted) it->second.created_in_window = true;
        it->second.change = c;
      }
      page.cursor = c.seq;
    }
    if (entries.size() < chunk) break;
  }
  page.has_more = page.cursor < page.head;

  for (auto& [key, l] : latest) {
    auto record = source.record(key.first, key.second);
    // Gone (tombstone purged), or changed again beyond the consumed log: the
    // later page that reaches that change hands it out.
    if (!record) continue;
    if (record->version != l.change.version) {
      page.moved_on.push_back(std::move(l.change));
      continue;
    }
    page.items.push_back({std::move(l.change), l.created_in_window, std::move(*record)});
  }
  std::sort(page.items.begin(), page.items.end(),
            [](const ReplayItem& a, const ReplayItem& b) { return a.change.seq < b.change.seq; });
  return page;
}

}  // namespace shelfsync
