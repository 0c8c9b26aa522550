#include "live/protocol.hpp"

#include <boost/json/parse.hpp>

#include "domain/ids.hpp"
#include "live/frames.hpp"

namespace shelfsync::live {

namespace json = boost::json;

namespace {

std::optional<std::string_view> string_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string_view(v->as_string());
}

// Reads an array of ids; nullopt if it is not one.
std::optional<std::vector<std::string>> id_list(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(key);
  if (!v) return out;
  if (!v->is_array()) return std::nullopt;
  for (const auto& id : v->as_array()) {
    if (!id.is_string() || !is_valid_id(id.as_string())) return std::nullopt;
    out.emplace_back(id.as_string());
  }
  return out;
}

ClientMessage error_reply(const std::string& sub, ErrorCode code, std::string_view message) {
  return ErrorReply{ws_error(sub, code, message)};
}

ClientMessage subscribe(const json::object& m, const std::string& sub, const Principal& who) {
  const auto topic = string_member(m, "topic");
  if (!topic) return error_reply(sub, ErrorCode::bad_message, "subscribe needs a topic");
  const auto* filter = m.if_contains("filter");
  std::optional<std::string_view> since;
  if (const auto* s = m.if_contains("since"); s && !s->is_null()) {
    if (!s->is_string()) return error_reply(sub, ErrorCode::bad_cursor, "since must be a cursor string");
    since = std::string_view(s->as_string());
  }
  std::optional<std::int64_t> batch_ms;
  if (const auto* b = m.if_contains("batch_ms"); b && !b->is_null()) {
    if (!b->is_int64() && !b->is_uint64())
      return error_reply(sub, ErrorCode::bad_message, "batch_ms must be an integer 0–5000");
    batch_ms =
        b->is_int64() ? b->as_int64() : static_cast<std::int64_t>(std::min<std::uint64_t>(b->as_uint64(), 1u << 30));
  }
  std::optional<std::string_view> mode;
  if (const auto* v = m.if_contains("mode"); v && !v->is_null()) {
    if (!v->is_string()) return error_reply(sub, ErrorCode::bad_message, "mode must be 'data' or 'invalidate'");
    mode = std::string_view(v->as_string());
  }
  auto r = make_subscribe(who, sub, *topic, filter ? *filter : json::value(nullptr), since, batch_ms, mode);
  if (!r) return error_reply(sub, r.problem().code, r.problem().detail);
  return std::move(*r);
}

}  // namespace

ClientMessage parse_client_message(std::string_view text, const Principal& who) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return error_reply("", ErrorCode::bad_message, "a message is a JSON object");
  const auto& m = v.as_object();
  const auto type = string_member(m, "type");
  if (!type) return error_reply("", ErrorCode::bad_message, "a message needs a string 'type'");
  if (*type == "ping") return PingMessage{};
  const auto sub_name = string_member(m, "sub");
  if (!sub_name || sub_name->empty() || sub_name->size() > kMaxSubIdLength)
    return error_reply("", ErrorCode::bad_message, "'sub' must be a string of 1–64 characters");
  std::string sub(*sub_name);
  if (*type == "subscribe") return subscribe(m, sub, who);
  if (*type == "unsubscribe") return UnsubscribeMessage{std::move(sub)};
  if (*type == "watch") {
    auto add = id_list(m, "add");
    auto remove = id_list(m, "remove");
    if (!add || !remove) return error_reply(sub, ErrorCode::bad_message, "watch add/remove must be arrays of ids");
    return WatchRequest{std::move(sub), std::move(*add), std::move(*remove)};
  }
  return error_reply(sub, ErrorCode::bad_message, "unknown message type '" + std::string(*type) + "'");
}

void handle_client_message(std::string_view text, const Principal& who, Hub& hub, Hub::ConnId id,
                           const std::function<void(std::string)>& reply) {
  auto message = parse_client_message(text, who);
  if (std::holds_alternative<PingMessage>(message)) return reply(R"({"type":"pong"})");
  if (auto* e = std::get_if<ErrorReply>(&message)) return reply(std::move(e->text));
  if (auto* s = std::get_if<SubscribeRequest>(&message)) return hub.subscribe(id, std::move(*s));
  if (auto* u = std::get_if<UnsubscribeMessage>(&message)) return hub.unsubscribe(id, std::move(u->sub));
  if (auto* w = std::get_if<WatchRequest>(&message)) return hub.watch(id, std::move(*w));
}

}  // namespace shelfsync::live
