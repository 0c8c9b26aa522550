#include "domain/error_codes.hpp"

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "domain/problem.hpp"

namespace shelfsync {
namespace {

std::string read_api_docs() {
  const std::string path = std::string(SHELFSYNC_SOURCE_DIR) + "/docs/api.md";
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

struct DocRow {
  std::string status;  // as written: "404", or "—" for a live protocol code
  std::string meaning;
};

// The rows of the table under "## Error codes", by code, in their order.
std::vector<std::pair<std::string, DocRow>> documented_codes(const std::string& docs) {
  std::vector<std::pair<std::string, DocRow>> rows;
  std::istringstream lines(docs);
  std::string line;
  bool in_section = false;
  while (std::getline(lines, line)) {
    if (line.starts_with("## ")) in_section = line == "## Error codes";
    if (!in_section || !line.starts_with("| `")) continue;
    std::vector<std::string> cells;
    std::istringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) cells.push_back(trim(cell));
    if (cells.size() != 3 || cells[0].size() < 3 || !cells[0].ends_with('`')) {
      ADD_FAILURE() << "not a row of code, status and meaning: " << line;
      continue;
    }
    rows.push_back({cells[0].substr(1, cells[0].size() - 2), {cells[1], cells[2]}});
  }
  return rows;
}

std::string documented_status(int status) { return status == 0 ? "—" : std::to_string(status); }

TEST(ErrorCodes, EachCodeHasOneWellFormedRow) {
  std::set<std::string_view> names;
  for (const auto& row : error_codes()) {
    EXPECT_EQ(&info(row.code), &row) << row.name;
    EXPECT_TRUE(names.insert(row.name).second) << "twice: " << row.name;
    EXPECT_TRUE(std::regex_match(std::string(row.name), std::regex("[a-z][a-z_]*"))) << row.name;
    EXPECT_TRUE(row.status == 0 || (row.status >= 400 && row.status <= 599)) << row.name;
    EXPECT_FALSE(row.title.empty()) << row.name;
    // A meaning is one cell of the table in docs/api.md.
    EXPECT_FALSE(row.meaning.empty()) << row.name;
    EXPECT_EQ(row.meaning.find_first_of("|\n"), std::string_view::npos) << row.name;
  }
}

TEST(ErrorCodes, AProblemTakesItsStatusAndTitleFromTheList) {
  for (const auto& row : error_codes()) {
    if (row.status == 0) continue;  // live protocol only: never a Problem
    const auto p = Problem::of(row.code, "what went wrong");
    EXPECT_EQ(p.status, row.status) << row.name;
    EXPECT_EQ(p.title, row.title) << row.name;
    const auto body = to_json(p);
    EXPECT_EQ(body.at("code").as_string(), row.name);
    EXPECT_EQ(body.at("type").as_string(), "https://shelfsync.dev/problems/" + std::string(row.name));
    EXPECT_EQ(body.at("status").as_int64(), row.status);
  }
}

TEST(ErrorCodes, TheShorthandsAreTheirCodes) {
  EXPECT_EQ(Problem::forbidden("").code, ErrorCode::forbidden);
  EXPECT_EQ(Problem::not_found("").code, ErrorCode::not_found);
  EXPECT_EQ(Problem::unavailable("").code, ErrorCode::unavailable);
  EXPECT_EQ(Problem::validation({{"a", "b"}}).code, ErrorCode::validation_failed);
  EXPECT_EQ(Problem::validation({{"a", "b"}}).detail, "a: b");
  // One spelling for a failure of the server.
  EXPECT_EQ(to_json(Problem::internal("")).at("code").as_string(), "internal");
  EXPECT_EQ(Problem::internal("").status, 500);
}

TEST(ErrorCodes, TheApiDocsTableEqualsTheList) {
  const auto documented = documented_codes(read_api_docs());
  ASSERT_FALSE(documented.empty()) << "docs/api.md has no table under \"## Error codes\"";
  std::map<std::string, DocRow, std::less<>> by_code(documented.begin(), documented.end());
  EXPECT_EQ(by_code.size(), documented.size()) << "a code is documented twice";

  std::string missing, extra, different;
  for (const auto& row : error_codes()) {
    const auto it = by_code.find(row.name);
    if (it == by_code.end()) {
      missing += " " + std::string(row.name);
      continue;
    }
    if (it->second.status != documented_status(row.status) || it->second.meaning != row.meaning)
      different += "\n  | `" + std::string(row.name) + "` | " + documented_status(row.status) + " | " +
                   std::string(row.meaning) + " |";
  }
  std::set<std::string_view> listed;
  for (const auto& row : error_codes()) listed.insert(row.name);
  for (const auto& [code, row] : documented)
    if (!listed.count(code)) extra += " " + code;
  EXPECT_TRUE(missing.empty()) << "codes of src/domain/error_codes.def missing from docs/api.md:" << missing;
  EXPECT_TRUE(extra.empty()) << "codes in docs/api.md that src/domain/error_codes.def does not have:" << extra;
  EXPECT_TRUE(different.empty()) << "rows of docs/api.md that should read:" << different;
  if (missing.empty() && extra.empty()) {
    std::string order;
    for (const auto& [code, row] : documented) order += code + " ";
    std::string listed_order;
    for (const auto& row : error_codes()) listed_order += std::string(row.name) + " ";
    EXPECT_EQ(order, listed_order) << "docs/api.md lists the codes in another order than error_codes.def";
  }
}

// The prose names codes with their status ("`409 bill_void`", "400
// `bad_filter`", "`validation_failed` (422)"): each must be the list's.
TEST(ErrorCodes, StatusesNamedWithCodesInTheApiDocsAreTheList) {
  auto docs = read_api_docs();
  const auto table = docs.find("## Error codes");
  ASSERT_NE(table, std::string::npos);
  docs.erase(table, docs.find("\n## ", table + 1) - table);
  std::map<std::string, int, std::less<>> status_of;
  for (const auto& row : error_codes()) status_of.emplace(std::string(row.name), row.status);

  const auto check = [&](const std::string& code, const std::string& status, bool underscored_is_a_code) {
    const auto it = status_of.find(code);
    if (it == status_of.end()) {
      EXPECT_FALSE(underscored_is_a_code && code.find('_') != std::string::npos)
          << "docs/api.md names an unknown code: " << status << " " << code;
      return;
    }
    EXPECT_EQ(status, std::to_string(it->second)) << "docs/api.md gives " << code << " another status";
  };
  const std::regex status_then_code(R"((\d{3})`?\s+`?([a-z][a-z_]*)`)");
  for (std::sregex_iterator m(docs.begin(), docs.end(), status_then_code), end; m != end; ++m)
    check((*m)[2], (*m)[1], true);
  const std::regex code_then_status(R"(`([a-z][a-z_]*)` \((\d{3}))");
  for (std::sregex_iterator m(docs.begin(), docs.end(), code_then_status), end; m != end; ++m)
    check((*m)[1], (*m)[2], false);
}

}  // namespace
}  // namespace shelfsync
