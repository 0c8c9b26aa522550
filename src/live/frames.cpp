#include "live/frames.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "feed/cursor.hpp"

namespace shelfsync::live {
namespace {

std::string quoted(std::string_view s) { return boost::json::serialize(boost::json::string(s)); }

void append_changes(std::string& out, const std::vector<Frame>& changes) {
  out += "\"changes\":[";
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (i) out += ',';
    out += *changes[i];
  }
  out += "]}";
}

std::size_t size_of(const std::vector<Frame>& changes) {
  std::size_t n = 64;
  for (const auto& c : changes) n += c->size() + 1;
  return n;
}

}  // namespace

std::string ws_changes(const std::string& sub, std::optional<std::int64_t> cursor, const std::vector<Frame>& changes) {
  std::string out;
  out.reserve(size_of(changes) + sub.size());
  out += R"({"type":"changes","sub":)" + quoted(sub) + ",";
  if (cursor) out += "\"cursor\":\"" + encode_cursor(*cursor) + "\",";
  append_changes(out, changes);
  return out;
}

std::string ws_subscribed(const std::string& sub, std::int64_t cursor) {
  return R"({"type":"subscribed","sub":)" + quoted(sub) + R"(,"cursor":")" + encode_cursor(cursor) + "\"}";
}

std::string ws_reset(const std::string& sub, ErrorCode code) {
  return R"({"type":"reset","sub":)" + quoted(sub) + R"(,"code":)" + quoted(to_string(code)) + "}";
}

std::string ws_error(const std::string& sub, ErrorCode code, std::string_view message) {
  std::string out = R"({"type":"error",)";
  if (!sub.empty()) out += "\"sub\":" + quoted(sub) + ",";
  return out + "\"code\":" + quoted(to_string(code)) + ",\"message\":" + quoted(message) + "}";
}

std::string sse_changes(std::optional<std::int64_t> cursor, const std::vector<Frame>& changes) {
  std::string out;
  out.reserve(size_of(changes));
  out += "event: changes\n";
  if (cursor) out += "id: " + encode_cursor(*cursor) + "\n";
  out += "data: {";
  if (cursor) out += "\"cursor\":\"" + encode_cursor(*cursor) + "\",";
  append_changes(out, changes);
  out += "\n\n";
  return out;
}

std::string sse_event(std::string_view event, std::optional<std::int64_t> id, std::string_view data) {
  std::string out = "event: " + std::string(event) + "\n";
  if (id) out += "id: " + encode_cursor(*id) + "\n";
  return out + "data: " + std::string(data) + "\n\n";
}

}  // namespace shelfsync::live
