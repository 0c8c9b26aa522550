#include "feed/subscribe_request.hpp"

#include "auth/access.hpp"
#include "domain/topic_collection.hpp"
#include "feed/cursor.hpp"

namespace shelfsync {

Result<SubscribeRequest> make_subscribe(const Principal& who, std::string sub, std::string_view topic,
                                        const boost::json::value& filter, std::optional<std::string_view> since,
                                        std::optional<std::int64_t> batch_ms, std::optional<std::string_view> mode) {
  SubscribeRequest r;
  r.sub = std::move(sub);
  const Collection* c = find_topic(who.tenant, topic);
  if (!c) return Problem::of(ErrorCode::unknown_topic, "there is no topic '" + std::string(topic) + "'");
  if (!may_read(who.role, *c))
    return Problem::forbidden("a " + std::string(to_string(who.role)) + " token may not read " +
                              std::string(c->name()));
  auto parsed = parse_filter(filter, *c, who);
  if (!parsed) return parsed.problem();
  r.view = ReaderView{who, c, std::move(*parsed)};
  if (since) {
    r.since = decode_cursor(*since);
    if (!r.since) return Problem::of(ErrorCode::bad_cursor, "the cursor is malformed");
  }
  if (batch_ms) {
    if (*batch_ms < 0 || *batch_ms > kMaxBatchMs) return Problem::of(ErrorCode::bad_message, "batch_ms must be 0–5000");
    r.batch_ms = static_cast<int>(*batch_ms);
  }
  if (mode) {
    if (*mode == "data")
      r.mode = ChangeMode::data;
    else if (*mode == "invalidate")
      r.mode = ChangeMode::invalidate;
    else
      return Problem::of(ErrorCode::bad_message, "mode must be 'data' or 'invalidate'");
  }
  return r;
}

}  // namespace shelfsync
