#include "cli/args.hpp"

#include <algorithm>
#include <stdexcept>

namespace shelfsync::cli {

Args::Args(int argc, char** argv, int first, const std::vector<std::string>& boolean_flags,
           std::size_t max_positional) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (!arg.starts_with("--")) {
      if (positional_.size() >= max_positional)
        throw std::invalid_argument("unexpected argument '" + arg + "'");
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    if (const auto eq = name.find('='); eq != std::string::npos) {
      values_.emplace(name.substr(0, eq), name.substr(eq + 1));
    } else if (std::find(boolean_flags.begin(), boolean_flags.end(), name) != boolean_flags.end()) {
      values_.emplace(name, "true");
    } else {
      if (i + 1 >= argc) throw std::invalid_argument("--" + name + " needs a value");
      values_.emplace(name, argv[++i]);
    }
  }
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::require(const std::string& name) const {
  auto v = get(name);
  if (!v) throw std::invalid_argument("missing --" + name);
  return *v;
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const {
  return get(name).value_or(fallback);
}

bool Args::has(const std::string& name) const { return values_.count(name) > 0; }

}  // namespace shelfsync::cli
