#pragma once
// The figures table (migration 9): adding a write's numbers, and reading sums.

#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace shelfsync::sqlite {

void add_figures(Connection& db, const std::string& tenant, const std::vector<FigureDelta>& deltas);
std::vector<FigureSum> read_figure_sums(Connection& db, const std::string& tenant, const FigureQuery& query);

}  // namespace shelfsync::sqlite
