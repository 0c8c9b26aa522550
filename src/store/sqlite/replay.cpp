#include "store/sqlite/replay.hpp"

#include <algorithm>
#include <map>

#include "store/sqlite/queries.hpp"
#include "store/sqlite/write_txn.hpp"

namespace shelfsync::sqlite {
namespace {

struct Latest {
  ChangeEntry change;
  bool created_in_window = false;
};

bool wanted(const std::vector<std::string>& entities, const std::string& entity) {
  return entities.empty() || std::find(entities.begin(), entities.end(), entity) != entities.end();
}

}  // namespace

ReplayPage read_replay(Connection& db, const std::string& tenant, std::int64_t after,
                       const std::vector<std::string>& entities, std::size_t limit) {
  ReplayPage page;
  page.head = read_max_seq(db, tenant);
  page.cursor = after;
  std::map<std::pair<std::string, std::string>, Latest> latest;
  // Scan the log in chunks; stop before the change that would make the page
  // hold more than `limit` records.
  const std::int64_t chunk = static_cast<std::int64_t>(std::max<std::size_t>(limit * 4, 256));
  bool full = false;
  while (!full && page.cursor < page.head) {
    auto& st = db.prepare(sql::kChangesAfter);
    st.bind(1, tenant).bind(2, page.cursor).bind(3, chunk);
    std::int64_t read = 0;
    while (st.step()) {
      ++read;
      ChangeEntry c{st.column_int(0), st.column_text(1), st.column_text(2),
                    st.column_text(3) == "delete", st.column_int(4), st.column_text(5),
                    st.column_int(6)};
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
        it->second.change = std::move(c);
      }
      page.cursor = st.column_int(0);
    }
    st.reset();
    if (read < chunk) break;
  }
  page.has_more = page.cursor < page.head;

  for (auto& [key, l] : latest) {
    auto& st = db.prepare(sql::kGetRecord);
    st.bind(1, tenant).bind(2, key.first).bind(3, key.second);
    const bool found = st.step();
    StoredRecord record;
    if (found) record = read_record(st, tenant, key.first);
    st.reset();
    // Gone (tombstone purged), or changed again beyond the consumed log: the
    // later page that reaches that change hands it out.
    if (!found) continue;
    if (record.version != l.change.version) {
      page.moved_on.push_back(std::move(l.change));
      continue;
    }
    page.items.push_back({std::move(l.change), l.created_in_window, std::move(record)});
  }
  std::sort(page.items.begin(), page.items.end(),
            [](const ReplayItem& a, const ReplayItem& b) { return a.change.seq < b.change.seq; });
  return page;
}

}  // namespace shelfsync::sqlite
