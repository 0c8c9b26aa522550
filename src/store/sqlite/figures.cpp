#include "store/sqlite/figures.hpp"

#include <limits>

#include "store/sqlite/queries.hpp"

namespace shelfsync::sqlite {

void add_figures(Connection& db, const std::string& tenant, const std::vector<FigureDelta>& deltas) {
  for (const auto& d : deltas) {
    auto& add = db.prepare(sql::kAddFigure);
    add.bind(1, tenant).bind(2, d.series).bind(3, d.bucket).bind(4, d.key);
    for (std::size_t i = 0; i < kFigureWidth; ++i) add.bind(static_cast<int>(5 + i), d.values[i]);
    add.step();
    const bool zero = add.column_int(0) != 0;
    add.reset();
    if (!zero) continue;
    // Nothing left in the row: keep the table as small as what it counts.
    auto& del = db.prepare(sql::kDeleteFigure);
    del.bind(1, tenant).bind(2, d.series).bind(3, d.bucket).bind(4, d.key);
    del.run();
    del.reset();
  }
}

std::vector<FigureSum> read_figure_sums(Connection& db, const std::string& tenant, const FigureQuery& q) {
  const char* sql = q.group == FigureQuery::Group::total       ? sql::kFigureTotal
                    : q.group == FigureQuery::Group::by_bucket ? sql::kFigureByBucket
                                                               : sql::kFigureByKey;
  auto& st = db.prepare(sql);
  const auto limit = q.limit == 0 ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(q.limit);
  st.bind(1, tenant).bind(2, q.series).bind(3, q.from).bind(4, q.to).bind(5, limit);
  std::vector<FigureSum> out;
  while (st.step()) {
    FigureSum sum{st.column_int(0), st.column_text(1), {}};
    for (std::size_t i = 0; i < kFigureWidth; ++i)
      sum.values[i] = st.column_int(static_cast<int>(2 + i));  // SUM of no rows: NULL → 0
    out.push_back(std::move(sum));
  }
  st.reset();
  return out;
}

}  // namespace shelfsync::sqlite
