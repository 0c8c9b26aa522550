#pragma once
// Plain request/response values: handlers see these, never sockets or Beast
// types, so they can be unit-tested and reused by every transport.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/fwd.hpp>

namespace shelfsync {

struct Request {
  std::string method;                                        // "GET"
  std::string path;                                          // decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;
  std::vector<std::string> params;  // path parameters captured by the router
  // The pattern the router matched ("/api/products/{id}"), or empty; it
  // outlives the request (the router holds it).
  std::string_view route;

  // Empty if absent.
  std::string_view header(std::string_view lowercase_name) const;
  std::optional<std::string_view> query_param(std::string_view name) const;
};

struct Response;
// Hands the final answer of a deferred request to its session (any thread).
using Respond = std::function<void(Response)>;

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set by a handler that answers later (a long poll): the session calls it
  // with a Respond and writes whatever that is given, once.
  std::function<void(Respond)> deferred;

  void set_header(std::string name, std::string value);
  std::string_view header(std::string_view name) const;

  static Response json(int status, const boost::json::value& body);
  static Response empty(int status);
};

// Splits "a=1&b=x%20y" into decoded pairs; nullopt on bad percent-encoding.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view q);
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace shelfsync
