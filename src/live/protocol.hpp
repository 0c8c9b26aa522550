#pragma once
// The client side of the WebSocket protocol (SPEC §7): subscribe, watch,
// unsubscribe, ping. A bad message is answered with an `error` and the
// connection stays open.

#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include "feed/hub.hpp"

namespace shelfsync::live {

// What one client message asks for, validated. Parsing is apart from acting
// so that it can be checked (and fuzzed, fuzz/) without a hub.
struct PingMessage {};
struct UnsubscribeMessage {
  std::string sub;
};
// A message refused: the ready `error` message text to send back.
struct ErrorReply {
  std::string text;
};
using ClientMessage = std::variant<PingMessage, SubscribeRequest, UnsubscribeMessage, WatchRequest, ErrorReply>;

// The longest `sub` a client may name.
inline constexpr std::size_t kMaxSubIdLength = 64;

// Parses and validates one client text message for the caller `who`.
ClientMessage parse_client_message(std::string_view text, const Principal& who);

// Parses one client text message and acts on it: subscriptions go to the
// hub, direct answers (pong, error) to `reply` as ready message text. Any
// thread; does not block.
void handle_client_message(std::string_view text, const Principal& who, Hub& hub, Hub::ConnId id,
                           const std::function<void(std::string)>& reply);

}  // namespace shelfsync::live
