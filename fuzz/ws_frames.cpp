// WebSocket frames from a client (live/ws_framing.hpp): the bytes a client
// sends after the handshake, as the session feeds them to WsFrameReader.
// The first two bytes pick the message limit, the third how the rest is
// split into reads. Checks: the events are the same whatever the split;
// no message exceeds the limit; text is UTF-8; control payloads are short;
// an error stays the answer; a message read back as a client would frame it
// again comes out the same.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/utf8.hpp"
#include "fuzz_check.hpp"
#include "live/ws_framing.hpp"

using namespace shelfsync;
using namespace shelfsync::live;

namespace {

using Event = WsFrameReader::Event;

// Every event up to the first error or until more bytes are needed, the
// input fed in reads of `chunk` bytes.
std::vector<Event> read_all(std::string_view bytes, std::size_t max_message, std::size_t chunk) {
  WsFrameReader reader(max_message);
  std::vector<Event> events;
  for (std::size_t at = 0; at < bytes.size(); at += chunk) {
    const auto piece = bytes.substr(at, chunk);
    reader.feed(piece.data(), piece.size());
    for (auto e = reader.next(); e.kind != Event::Kind::none; e = reader.next()) {
      events.push_back(e);
      if (e.kind == Event::Kind::error) {
        const auto again = reader.next();  // an error is final
        FUZZ_CHECK(again.kind == Event::Kind::error && again.close_code == e.close_code);
        return events;
      }
    }
  }
  return events;
}

bool same(const Event& a, const Event& b) {
  return a.kind == b.kind && a.payload == b.payload && a.close_code == b.close_code;
}

// A final client frame: masked, as RFC 6455 asks of a client.
std::string client_frame(WsOpcode opcode, std::string_view payload) {
  unsigned char header[10];
  const auto n = ws_frame_header(opcode, payload.size(), header);
  header[1] |= 0x80;
  std::string frame(reinterpret_cast<const char*>(header), n);
  const char mask[4] = {0x12, 0x34, 0x56, 0x78};
  frame.append(mask, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) frame += static_cast<char>(payload[i] ^ mask[i % 4]);
  return frame;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const std::size_t max_message = 1 + (data[0] | (std::size_t{data[1]} << 8));
  const std::size_t chunk = 1 + data[2] % 32;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 3, size - 3);

  const auto whole = read_all(bytes, max_message, bytes.size() + 1);
  const auto split = read_all(bytes, max_message, chunk);
  FUZZ_CHECK(whole.size() == split.size());
  for (std::size_t i = 0; i < whole.size(); ++i) FUZZ_CHECK(same(whole[i], split[i]));

  for (const auto& e : whole) {
    switch (e.kind) {
      case Event::Kind::text:
        FUZZ_CHECK(valid_utf8(e.payload));
        [[fallthrough]];
      case Event::Kind::binary: {
        FUZZ_CHECK(e.payload.size() <= max_message);
        const auto op = e.kind == Event::Kind::text ? WsOpcode::text : WsOpcode::binary;
        const auto back = read_all(client_frame(op, e.payload), max_message, 7);
        FUZZ_CHECK(back.size() == 1 && same(back[0], e));
        break;
      }
      case Event::Kind::ping:
      case Event::Kind::pong:
        FUZZ_CHECK(e.payload.size() <= 125);
        break;
      case Event::Kind::close:
        FUZZ_CHECK(e.payload.size() <= 123);
        break;
      case Event::Kind::error:
        FUZZ_CHECK(e.close_code == kWsCloseProtocolError || e.close_code == kWsCloseInvalidText ||
                   e.close_code == kWsCloseTooBig);
        break;
      case Event::Kind::none:
        FUZZ_CHECK(false);
    }
  }
  return 0;
}
