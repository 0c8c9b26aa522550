#include "live/ws_framing.hpp"

#include "domain/utf8.hpp"

namespace shelfsync::live {

std::size_t ws_frame_header(WsOpcode opcode, std::size_t payload_size, unsigned char out[10]) {
  out[0] = static_cast<unsigned char>(0x80 | static_cast<unsigned>(opcode));  // FIN
  if (payload_size < 126) {
    out[1] = static_cast<unsigned char>(payload_size);
    return 2;
  }
  if (payload_size <= 0xFFFF) {
    out[1] = 126;
    out[2] = static_cast<unsigned char>(payload_size >> 8);
    out[3] = static_cast<unsigned char>(payload_size);
    return 4;
  }
  out[1] = 127;
  for (int i = 0; i < 8; ++i)
    out[2 + i] = static_cast<unsigned char>(static_cast<std::uint64_t>(payload_size) >> (56 - 8 * i));
  return 10;
}

std::string ws_control_frame(WsOpcode opcode, std::string_view payload) {
  unsigned char header[10];
  const auto n = ws_frame_header(opcode, payload.size(), header);
  std::string frame(reinterpret_cast<const char*>(header), n);
  frame.append(payload);
  return frame;
}

std::string ws_close_frame(std::uint16_t code, std::string_view reason) {
  std::string payload;
  payload += static_cast<char>(code >> 8);
  payload += static_cast<char>(code & 0xFF);
  payload.append(reason.substr(0, 123));  // a control payload holds at most 125 bytes
  return ws_control_frame(WsOpcode::close, payload);
}

WsFrameReader::Event WsFrameReader::fail(std::uint16_t code, std::string reason) {
  failed_ = true;
  error_ = Event{Event::Kind::error, std::move(reason), code};
  return error_;
}

WsFrameReader::Event WsFrameReader::next() {
  using Kind = Event::Kind;
  if (failed_) return error_;
  while (true) {
    const auto* p = reinterpret_cast<const unsigned char*>(in_.data());
    const std::size_t avail = in_.size();
    if (avail == 0) in_.shrink_to_fit();  // all read: an idle connection keeps no buffer
    if (avail < 2) return {};
    const bool fin = p[0] & 0x80;
    const unsigned opcode = p[0] & 0x0F;
    const bool masked = p[1] & 0x80;
    if (p[0] & 0x70) return fail(kWsCloseProtocolError, "reserved bits set (no extension was agreed)");
    if (!masked) return fail(kWsCloseProtocolError, "client frames must be masked");
    std::uint64_t len = p[1] & 0x7F;
    std::size_t header = 2;
    if (len == 126) {
      if (avail < 4) return {};
      len = (std::uint64_t{p[2]} << 8) | p[3];
      header = 4;
    } else if (len == 127) {
      if (avail < 10) return {};
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | p[2 + i];
      header = 10;
      if (len >> 63) return fail(kWsCloseProtocolError, "the length's most significant bit must be 0");
    }
    const bool control = opcode >= 0x8;
    if (control && (len > 125 || !fin))
      return fail(kWsCloseProtocolError, "control frames are short and never fragmented");
    // The peer's len may be near 2^64: nothing is added to it, so no sum can
    // wrap around and let a huge frame past (message_ never exceeds the limit).
    if (!control && len > max_message_ - message_.size()) return fail(kWsCloseTooBig, "message too big");
    if (avail - header < 4 || avail - header - 4 < len) return {};
    const unsigned char* mask = p + header;
    std::string payload(in_.data() + header + 4, len);
    for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(payload[i] ^ mask[i % 4]);
    in_.erase(0, header + 4 + len);

    switch (opcode) {
      case 0x8: {
        Event e{Kind::close, {}, 1005};  // 1005: no status code given
        if (payload.size() == 1) return fail(kWsCloseProtocolError, "close payload of one byte");
        if (payload.size() >= 2) {
          e.close_code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                                    static_cast<unsigned char>(payload[1]));
          e.payload = payload.substr(2);
        }
        return e;
      }
      case 0x9:
        return {Kind::ping, std::move(payload), 0};
      case 0xA:
        return {Kind::pong, std::move(payload), 0};
      case 0x1:
      case 0x2:
        if (in_message_) return fail(kWsCloseProtocolError, "a new message inside a fragmented one");
        if (fin) {
          if (opcode == 0x1 && !valid_utf8(payload)) return fail(kWsCloseInvalidText, "text message is not UTF-8");
          return {opcode == 0x1 ? Kind::text : Kind::binary, std::move(payload), 0};
        }
        in_message_ = true;
        message_is_text_ = opcode == 0x1;
        message_ = std::move(payload);
        continue;
      case 0x0: {
        if (!in_message_) return fail(kWsCloseProtocolError, "continuation without a message");
        message_ += payload;
        if (!fin) continue;
        in_message_ = false;
        std::string whole = std::move(message_);
        message_.clear();
        if (message_is_text_ && !valid_utf8(whole)) return fail(kWsCloseInvalidText, "text message is not UTF-8");
        return {message_is_text_ ? Kind::text : Kind::binary, std::move(whole), 0};
      }
      default:
        return fail(kWsCloseProtocolError, "unknown opcode");
    }
  }
}

}  // namespace shelfsync::live
