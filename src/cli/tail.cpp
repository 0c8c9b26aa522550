// `shelfsync tail`: prints the live changes of one topic as JSON lines, over
// the WebSocket endpoint; reconnects with the last cursor, so a restart of
// the server loses nothing.

#include <chrono>
#include <iostream>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "cli/args.hpp"
#include "cli/commands.hpp"

namespace shelfsync::cli {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace json = boost::json;

namespace {

struct Target {
  std::string host, port;
};

Target parse_url(const std::string& url) {
  if (!url.starts_with("http://")) throw std::invalid_argument("--url must be http://HOST:PORT");
  auto rest = url.substr(7);
  rest = rest.substr(0, rest.find('/'));
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos) return {rest, "80"};
  return {rest.substr(0, colon), rest.substr(colon + 1)};
}

// One connection: subscribes, prints until the stream ends. Returns false on
// an error the server will repeat (bad token, topic, filter): no retry.
bool run_once(const Target& target, const std::string& token, const json::object& subscribe, std::string& cursor) {
  net::io_context ioc;
  net::ip::tcp::resolver resolver(ioc);
  websocket::stream<beast::tcp_stream> ws(ioc);
  beast::get_lowest_layer(ws).connect(resolver.resolve(target.host, target.port));
  ws.set_option(websocket::stream_base::decorator(
      [&token](websocket::request_type& req) { req.set(beast::http::field::authorization, "Bearer " + token); }));
  ws.handshake(target.host + ":" + target.port, "/api/live");
  auto msg = subscribe;
  if (!cursor.empty()) msg["since"] = cursor;
  ws.write(net::buffer(json::serialize(msg)));
  beast::flat_buffer buffer;
  while (true) {
    buffer.clear();
    ws.read(buffer);
    const auto v = json::parse(beast::buffers_to_string(buffer.data()));
    const auto& m = v.as_object();
    const auto type = m.at("type").as_string();
    if (type == "changes") {
      for (const auto& c : m.at("changes").as_array()) std::cout << json::serialize(c) << "\n";
      std::cout.flush();
      if (auto* c = m.if_contains("cursor")) cursor = std::string(c->as_string());
    } else if (type == "subscribed") {
      cursor = std::string(m.at("cursor").as_string());
    } else if (type == "reset") {
      std::cerr << "shelfsync tail: cursor expired; taking a fresh snapshot\n";
      cursor.clear();
      return true;
    } else if (type == "error") {
      std::cerr << "shelfsync tail: " << json::serialize(m) << "\n";
      return false;
    }
  }
}

}  // namespace

int run_tail(int argc, char** argv) {
  Args args(argc, argv, 2,
            {.values = {"url", "token", "topic", "filter", "since"}, .booleans = {}, .max_positional = 0});
  const auto target = parse_url(args.require("url"));
  const auto token = args.require("token");
  json::object subscribe{{"type", "subscribe"}, {"sub", "tail"}, {"topic", args.require("topic")}};
  if (auto f = args.get("filter")) subscribe["filter"] = json::parse(*f);
  std::string cursor = args.get_or("since", "");
  while (true) {
    try {
      if (!run_once(target, token, subscribe, cursor)) return 1;
    } catch (const std::exception& e) {
      // A closed connection or a restarting server: resume from the cursor.
      std::cerr << "shelfsync tail: " << e.what() << "; reconnecting\n";
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
}

}  // namespace shelfsync::cli
