#pragma once
// Command-line flags: `--name value`, `--name=value`, `--flag`; a flag may be
// given more than once where a command reads all of its values.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shelfsync::cli {

// The flags a command knows. Anything else is refused, so a typo such as
// `--rate-limt 0` fails loudly instead of serving with the default.
struct ArgSpec {
  std::vector<std::string> values;    // flags that take a value
  std::vector<std::string> booleans;  // flags that take none
  std::size_t max_positional = 0;
};

class Args {
 public:
  // Throws std::invalid_argument on an unknown flag, a flag missing its
  // value, or a stray positional beyond `spec.max_positional`.
  Args(int argc, char** argv, int first, const ArgSpec& spec);

  std::optional<std::string> get(const std::string& name) const;    // the first value
  std::vector<std::string> get_all(const std::string& name) const;  // every value, in order
  std::string require(const std::string& name) const;               // throws with a usage hint
  std::string get_or(const std::string& name, const std::string& fallback) const;
  bool has(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::multimap<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace shelfsync::cli
