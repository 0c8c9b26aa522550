#include "http/router.hpp"

#include "http/problem_response.hpp"

namespace shelfsync {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const auto end = path.find('/', i);
    out.emplace_back(path.substr(i, end == std::string_view::npos ? end : end - i));
    if (end == std::string_view::npos) break;
    i = end;
  }
  return out;
}

void Router::add(std::string method, std::string pattern, Handler handler) {
  Route r{std::move(method), split_path(pattern), 0, std::move(handler)};
  for (auto& s : r.segments) {
    if (s.starts_with('{'))
      s = "{}";
    else
      ++r.literals;
  }
  routes_.push_back(std::move(r));
}

Response Router::dispatch(Request& request) const {
  const auto segments = split_path(request.path);
  const Route* best = nullptr;
  std::string allowed;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < segments.size() && match; ++i)
      match = route.segments[i] == "{}" || route.segments[i] == segments[i];
    if (!match) continue;
    if (route.method != request.method) {
      if (allowed.find(route.method) == std::string::npos)
        allowed += (allowed.empty() ? "" : ", ") + route.method;
      continue;
    }
    if (!best || route.literals > best->literals) best = &route;
  }
  if (!best) {
    if (!allowed.empty()) {
      auto r = problem_response(Problem{405, "method_not_allowed", "Method not allowed",
                                        request.method + " is not allowed here", {}, {}});
      r.set_header("Allow", allowed);
      return r;
    }
    return problem_response(Problem::not_found("no such endpoint: " + request.path));
  }
  request.params.clear();
  for (std::size_t i = 0; i < segments.size(); ++i)
    if (best->segments[i] == "{}") request.params.push_back(segments[i]);
  return best->handler(request);
}

}  // namespace shelfsync
