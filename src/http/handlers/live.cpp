// Validation of the live endpoints before the connection is handed to a
// live session (http/server.cpp): who is calling and, for SSE, what they
// subscribe to. Runs on a worker thread (it reads the store); errors are
// ordinary problem+json answers because nothing has streamed yet.

#include <boost/json/parse.hpp>

#include "feed/cursor.hpp"
#include "feed/subscribe_request.hpp"
#include "http/handlers/common.hpp"
#include "http/live_endpoints.hpp"

namespace shelfsync {

Result<Principal> prepare_websocket(const Request& req, ApiContext& ctx) { return authenticate_live_request(req, ctx); }

Result<SubscribeRequest> prepare_stream(const Request& req, ApiContext& ctx) {
  auto who = authenticate_live_request(req, ctx);
  if (!who) return who.problem();
  return stream_subscription(req, *who);
}

Result<SubscribeRequest> stream_subscription(const Request& req, const Principal& who) {
  const auto topic = req.query_param("topic");
  if (!topic) return Problem::of(ErrorCode::bad_query, "topic is required");
  boost::json::value filter;
  if (auto f = req.query_param("filter"); f && !f->empty()) {
    boost::system::error_code ec;
    filter = boost::json::parse(*f, ec);
    if (ec) return Problem::of(ErrorCode::bad_filter, "filter must be URL-encoded JSON");
  }
  std::optional<std::string_view> since = req.query_param("since");
  if (auto last = req.header("last-event-id"); !last.empty()) since = last;  // a resuming EventSource
  std::optional<std::int64_t> batch_ms;
  if (auto b = req.query_param("batch_ms")) {
    if (b->empty() || b->size() > 5 || b->find_first_not_of("0123456789") != std::string_view::npos)
      return Problem::of(ErrorCode::bad_query, "batch_ms must be an integer 0–5000");
    batch_ms = std::stol(std::string(*b));
  }
  // An expired cursor is not refused here: the stream answers `event: reset`,
  // as the WebSocket does.
  return make_subscribe(who, "stream", *topic, filter, since, batch_ms, req.query_param("mode"));
}

}  // namespace shelfsync
