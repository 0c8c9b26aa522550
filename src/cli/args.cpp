#include "cli/args.hpp"

#include <algorithm>
#include <stdexcept>

namespace shelfsync::cli {

namespace {

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

Args::Args(int argc, char** argv, int first, const ArgSpec& spec) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (!arg.starts_with("--")) {
      if (positional_.size() >= spec.max_positional) throw std::invalid_argument("unexpected argument '" + arg + "'");
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (listed(spec.booleans, name)) {
      if (inline_value) throw std::invalid_argument("--" + name + " takes no value");
      values_.emplace(name, "true");
    } else if (listed(spec.values, name)) {
      if (inline_value) {
        values_.emplace(name, *inline_value);
      } else {
        if (i + 1 >= argc) throw std::invalid_argument("--" + name + " needs a value");
        values_.emplace(name, argv[++i]);
      }
    } else {
      throw std::invalid_argument("unknown flag --" + name);
    }
  }
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Args::get_all(const std::string& name) const {
  std::vector<std::string> out;
  const auto [from, to] = values_.equal_range(name);
  for (auto it = from; it != to; ++it) out.push_back(it->second);
  return out;
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
