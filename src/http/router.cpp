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

void Router::add(std::string method, const std::string& pattern, Handler handler) {
  Route r{std::move(method), pattern, split_path(pattern), 0, std::move(handler)};
  for (auto& s : r.segments) {
    if (s == "{*}")
      r.tail = true;  // must be last: takes the rest of the path
    else if (s.starts_with('{'))
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
    if (route.tail ? segments.size() < route.segments.size() : route.segments.size() != segments.size()) continue;
    bool match = true;
    const auto fixed = route.tail ? route.segments.size() - 1 : route.segments.size();
    for (std::size_t i = 0; i < fixed && match; ++i)
      match = route.segments[i] == "{}" || route.segments[i] == segments[i];
    if (!match) continue;
    if (route.method != request.method) {
      if (allowed.find(route.method) == std::string::npos) allowed += (allowed.empty() ? "" : ", ") + route.method;
      continue;
    }
    // Exact routes beat a tail route; more literal segments win.
    if (!best || (best->tail && !route.tail) || (best->tail == route.tail && route.literals > best->literals))
      best = &route;
  }
  if (!best) {
    if (!allowed.empty()) {
      auto r = problem_response(Problem::of(ErrorCode::method_not_allowed, request.method + " is not allowed here"));
      r.set_header("Allow", allowed);
      return r;
    }
    return problem_response(Problem::not_found("no such endpoint: " + request.path));
  }
  request.params.clear();
  request.route = best->pattern;
  const auto fixed = best->tail ? best->segments.size() - 1 : best->segments.size();
  for (std::size_t i = 0; i < fixed; ++i)
    if (best->segments[i] == "{}") request.params.push_back(segments[i]);
  if (best->tail) {
    std::string rest;
    for (std::size_t i = fixed; i < segments.size(); ++i) rest += (rest.empty() ? "" : "/") + segments[i];
    request.params.push_back(std::move(rest));
  }
  return best->handler(request);
}

}  // namespace shelfsync
