#pragma once
// WebSocket framing (RFC 6455 §5) for the server side of a connection
// whose opening handshake Beast has done. No I/O here: the session feeds the
// bytes it reads and writes the bytes this builds.
//
// Why not Beast's websocket::stream for the data: a fan-out writes one
// message to thousands of connections, and the stream's composed write
// (an operation object, a strand dispatch and a completion per message)
// cost about a fifth of each delivery next to the send itself
// (docs/benchmarks.md). With the frames built here the session writes a
// message with one sendmsg() from the thread that has it, and Beast's
// stream never writes behind our back (its reads answer pings and closes
// by themselves, which would interleave with ours).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace shelfsync::live {

enum class WsOpcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA
};

// Close codes we send (RFC 6455 §7.4.1).
inline constexpr std::uint16_t kWsCloseNormal = 1000;
inline constexpr std::uint16_t kWsCloseProtocolError = 1002;
inline constexpr std::uint16_t kWsCloseUnsupported = 1003;
inline constexpr std::uint16_t kWsCloseInvalidText = 1007;
inline constexpr std::uint16_t kWsClosePolicy = 1008;  // policy violation: the token was revoked
inline constexpr std::uint16_t kWsCloseTooBig = 1009;
inline constexpr std::uint16_t kWsCloseServiceRestart = 1012;

// The header of an unmasked, final server frame carrying `payload_size`
// bytes: 2, 4 or 10 bytes written to `out`; returns how many.
std::size_t ws_frame_header(WsOpcode opcode, std::size_t payload_size, unsigned char out[10]);

// A whole control frame (ping, pong, close), header and payload.
std::string ws_control_frame(WsOpcode opcode, std::string_view payload);
std::string ws_close_frame(std::uint16_t code, std::string_view reason);

// Reads client frames: masked, possibly fragmented, with control frames
// between the fragments of a message. Single-threaded; feed bytes in any
// split.
class WsFrameReader {
 public:
  struct Event {
    enum class Kind { none, text, binary, ping, pong, close, error } kind = Kind::none;
    std::string payload;           // text, binary, ping/pong data, close reason
    std::uint16_t close_code = 0;  // close: the peer's code (1005 if none); error: what to send
  };

  explicit WsFrameReader(std::size_t max_message) : max_message_(max_message) {}

  // Appends bytes read from the socket.
  void feed(const char* data, std::size_t size) { in_.append(data, size); }
  // The next whole event, or kind none when more bytes are needed. After an
  // error, every call returns that error.
  Event next();

 private:
  Event fail(std::uint16_t code, std::string reason);

  std::size_t max_message_;
  std::string in_;       // bytes not yet consumed
  std::string message_;  // a fragmented message so far
  bool in_message_ = false;
  bool message_is_text_ = false;
  bool failed_ = false;
  Event error_;
};

}  // namespace shelfsync::live
