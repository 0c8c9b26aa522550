#pragma once
// Command-line flags: `--name value`, `--flag`, repeated flags kept in order.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shelfsync::cli {

class Args {
 public:
  // `boolean_flags` take no value. Throws std::invalid_argument on a flag
  // missing its value or a stray positional beyond `max_positional`.
  Args(int argc, char** argv, int first, const std::vector<std::string>& boolean_flags,
       std::size_t max_positional = 0);

  std::optional<std::string> get(const std::string& name) const;
  std::string require(const std::string& name) const;  // throws with a usage hint
  std::string get_or(const std::string& name, const std::string& fallback) const;
  bool has(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::multimap<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace shelfsync::cli
