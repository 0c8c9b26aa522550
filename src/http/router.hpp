#pragma once
// Maps "METHOD /path/{param}/..." to a handler. Patterns are matched segment
// by segment; literal segments win over parameters, so
// "/api/products/{id}/images/order" beats "/api/products/{id}/images/{image}".
// A last segment "{*}" takes the rest of the path (one or more segments,
// joined by '/') as the last parameter; exact routes beat it.

#include <functional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace shelfsync {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  void add(std::string method, const std::string& pattern, Handler handler);
  // 404 not_found for an unknown path, 405 for a known path with another
  // method (with Allow). Sets request.route to the pattern it matched.
  Response dispatch(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{}" marks a parameter
    int literals = 0;
    Handler handler;
    bool tail = false;  // last segment is "{*}"
  };
  std::vector<Route> routes_;
};

std::vector<std::string> split_path(std::string_view path);

}  // namespace shelfsync
