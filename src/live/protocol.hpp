#pragma once
// The client side of the WebSocket protocol (SPEC §7): subscribe, watch,
// unsubscribe, ping. A bad message is answered with an `error` and the
// connection stays open.

#include <functional>
#include <string>
#include <string_view>

#include "feed/hub.hpp"

namespace shelfsync::live {

// Parses one client text message and acts on it: subscriptions go to the
// hub, direct answers (pong, error) to `reply` as ready message text. Any
// thread; does not block.
void handle_client_message(std::string_view text, const Principal& who, Hub& hub, Hub::ConnId id,
                           const std::function<void(std::string)>& reply);

}  // namespace shelfsync::live
