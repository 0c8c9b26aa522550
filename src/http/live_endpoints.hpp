#pragma once
// GET /api/live (WebSocket) and GET /api/stream (SSE) are not router
// handlers: the session hands the connection itself to a live session. These
// run first, on a worker thread, and decide whether it may.

#include "feed/subscribe_request.hpp"
#include "http/api.hpp"
#include "http/message.hpp"

namespace shelfsync {

inline constexpr std::string_view kLivePath = "/api/live";
inline constexpr std::string_view kStreamPath = "/api/stream";

// The caller of a WebSocket upgrade (token in Authorization or ?access_token=).
Result<Principal> prepare_websocket(const Request& req, ApiContext& ctx);
// The caller and its subscription. An expired cursor is not refused here:
// the stream answers `event: reset`, as the WebSocket does.
Result<SubscribeRequest> prepare_stream(const Request& req, ApiContext& ctx);
// The subscription the query (and Last-Event-ID) of GET /api/stream asks
// `who` for: prepare_stream after the caller is known.
Result<SubscribeRequest> stream_subscription(const Request& req, const Principal& who);

}  // namespace shelfsync
