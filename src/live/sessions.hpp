#pragma once
// Starting live sessions on a connection the HTTP session hands over. Only
// http/server.cpp includes this (it brings Beast's core and http headers;
// the WebSocket headers stay inside ws_session.cpp).

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "feed/hub.hpp"
#include "live/registry.hpp"

namespace shelfsync::live {

// Both take the connection over from the HTTP session onto a strand of `io`,
// the live connections' own IO context: fan-out writes run on its threads,
// so requests never queue behind them on the HTTP threads.

// On the stream's strand, after the caller authenticated `who`: accepts the
// upgrade and serves the protocol until either side closes. The session
// keeps `hold` (the server's count of this connection) until it ends.
void start_websocket(boost::beast::tcp_stream stream,
                     boost::beast::http::request<boost::beast::http::string_body> upgrade, Principal who, Hub& hub,
                     Registry& registry, std::shared_ptr<const void> hold, boost::asio::io_context& io);

// On the stream's strand, after the request was validated: answers
// 200 text/event-stream (plus `extra_headers`, "Name: value\r\n" lines) and
// streams the one subscription. Keeps `hold` as start_websocket does.
void start_sse(boost::beast::tcp_stream stream, SubscribeRequest request, Hub& hub, Registry& registry,
               const std::string& extra_headers, std::shared_ptr<const void> hold, boost::asio::io_context& io);

}  // namespace shelfsync::live
