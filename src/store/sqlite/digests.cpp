#include "store/sqlite/digests.hpp"

#include <boost/json/parse.hpp>

#include "store/sqlite/queries.hpp"

namespace shelfsync::sqlite {

void add_digests(Connection& db, const std::string& tenant, const std::vector<DigestDelta>& deltas) {
  for (const auto& d : deltas) {
    auto& add = db.prepare(sql::kAddDigest);
    add.bind(1, tenant).bind(2, d.entity).bind(3, d.field).bind(4, d.value);
    add.bind(5, d.sum.count).bind(6, std::int64_t{d.sum.a}).bind(7, std::int64_t{d.sum.b});
    add.step();
    const bool zero = add.column_int(0) != 0;
    add.reset();
    if (!zero) continue;
    // An empty scope (a customer's last order deleted) leaves no row behind.
    auto& del = db.prepare(sql::kDeleteDigest);
    del.bind(1, tenant).bind(2, d.entity).bind(3, d.field).bind(4, d.value);
    del.run();
    del.reset();
  }
}

DigestSum read_digest(Connection& db, const std::string& tenant, const DigestScope& scope) {
  auto& st = db.prepare(sql::kGetDigest);
  st.bind(1, tenant).bind(2, scope.entity).bind(3, scope.field).bind(4, scope.value);
  DigestSum sum;
  if (st.step())
    sum = {st.column_int(0), static_cast<std::uint32_t>(st.column_int(1)),
           static_cast<std::uint32_t>(st.column_int(2))};
  st.reset();
  return sum;
}

void count_stored_digests(Connection& db) {
  // A statement of its own, not the cache: it stays open while add_digests
  // uses the cached ones.
  Statement rows(db.handle(), "SELECT tenant, entity, id, version, data FROM records WHERE deleted = 0");
  while (rows.step()) {
    const auto* c = find_collection(rows.column_text(1));
    if (!c) continue;
    boost::system::error_code ec;
    auto doc = boost::json::parse(rows.column_text(4), ec);
    if (ec || !doc.is_object()) continue;
    add_digests(db, rows.column_text(0),
                digest_changes(*c, rows.column_text(2), nullptr, 0, &doc.as_object(), rows.column_int(3)));
  }
}

}  // namespace shelfsync::sqlite
