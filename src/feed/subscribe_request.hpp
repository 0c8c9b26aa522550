#pragma once
// A validated live subscription request (SPEC §7), built from a WebSocket
// `subscribe` message or from the query of GET /api/stream. Validation is
// the same for both transports; only the way errors travel differs
// (WebSocket `error` message vs problem+json).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "domain/problem.hpp"
#include "feed/view.hpp"

namespace shelfsync {

inline constexpr int kMaxBatchMs = 5000;

struct SubscribeRequest {
  std::string sub;                    // the client's name for it
  ReaderView view;                    // who, topic (collection), filter
  std::optional<std::int64_t> since;  // resume point; absent = snapshot first
  int batch_ms = 0;
  ChangeMode mode = ChangeMode::data;
};

// Problems carry the live error codes: unknown_topic (404), forbidden (403,
// the role may not read the topic), bad_filter, forbidden_filter,
// bad_cursor, bad_message (400).
Result<SubscribeRequest> make_subscribe(const Principal& who, std::string sub, std::string_view topic,
                                        const boost::json::value& filter, std::optional<std::string_view> since,
                                        std::optional<std::int64_t> batch_ms, std::optional<std::string_view> mode);

}  // namespace shelfsync
