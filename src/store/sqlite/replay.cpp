#include "store/sqlite/replay.hpp"

#include "store/replay_scan.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/write_txn.hpp"

namespace shelfsync::sqlite {

std::vector<ChangeEntry> read_changes_after(Connection& db, const std::string& tenant, std::int64_t after,
                                            std::size_t limit) {
  auto& st = db.prepare(sql::kChangesAfter);
  st.bind(1, tenant).bind(2, after).bind(3, static_cast<std::int64_t>(limit));
  std::vector<ChangeEntry> out;
  while (st.step()) {
    out.push_back({st.column_int(0), st.column_text(1), st.column_text(2), st.column_text(3) == "delete",
                   st.column_int(4), st.column_text(5), st.column_int(6)});
  }
  st.reset();
  return out;
}

ReplayPage read_replay(Connection& db, const std::string& tenant, std::int64_t after,
                       const std::vector<std::string>& entities, std::size_t limit) {
  ReplaySource source{
      [&](std::int64_t from, std::size_t n) { return read_changes_after(db, tenant, from, n); },
      [&](const std::string& entity, const std::string& id) { return get_record(db, tenant, entity, id); }};
  return scan_replay(read_max_seq(db, tenant), after, entities, limit, source);
}

}  // namespace shelfsync::sqlite
