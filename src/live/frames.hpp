#pragma once
// How hub output looks on the wire (SPEC §7): WebSocket text messages and
// SSE events. The change objects inside are shared, already serialized.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error_codes.hpp"
#include "feed/live_connection.hpp"

namespace shelfsync::live {

// {"type":"changes","sub":…,"cursor":…?,"changes":[…]}; no cursor on a
// snapshot chunk.
std::string ws_changes(const std::string& sub, std::optional<std::int64_t> cursor, const std::vector<Frame>& changes);
std::string ws_subscribed(const std::string& sub, std::int64_t cursor);
std::string ws_reset(const std::string& sub, ErrorCode code);
// `sub` may be empty (an error not tied to a subscription).
std::string ws_error(const std::string& sub, ErrorCode code, std::string_view message);

// "event: changes\nid: <cursor>\ndata: {"cursor":…,"changes":[…]}\n\n"; a
// snapshot chunk has neither id nor cursor, so Last-Event-ID only ever names
// a position the stream can resume from.
std::string sse_changes(std::optional<std::int64_t> cursor, const std::vector<Frame>& changes);
std::string sse_event(std::string_view event, std::optional<std::int64_t> id, std::string_view data);

}  // namespace shelfsync::live
