#include "live/ws_framing.hpp"

#include <gtest/gtest.h>

namespace shelfsync::live {
namespace {

using Kind = WsFrameReader::Event::Kind;

// A client frame as a browser sends it: masked with `key`.
std::string client_frame(unsigned opcode, std::string_view payload, bool fin = true, std::uint32_t key = 0x37fa213d) {
  std::string f;
  f += static_cast<char>((fin ? 0x80 : 0) | opcode);
  if (payload.size() < 126) {
    f += static_cast<char>(0x80 | payload.size());
  } else if (payload.size() <= 0xFFFF) {
    f += static_cast<char>(0x80 | 126);
    f += static_cast<char>(payload.size() >> 8);
    f += static_cast<char>(payload.size() & 0xFF);
  } else {
    f += static_cast<char>(0x80 | 127);
    for (int i = 0; i < 8; ++i) f += static_cast<char>(static_cast<std::uint64_t>(payload.size()) >> (56 - 8 * i));
  }
  const unsigned char mask[4] = {static_cast<unsigned char>(key >> 24), static_cast<unsigned char>(key >> 16),
                                 static_cast<unsigned char>(key >> 8), static_cast<unsigned char>(key)};
  f.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < payload.size(); ++i) f += static_cast<char>(payload[i] ^ mask[i % 4]);
  return f;
}

WsFrameReader::Event read_one(std::string_view bytes, std::size_t max = 1 << 16) {
  WsFrameReader r(max);
  r.feed(bytes.data(), bytes.size());
  return r.next();
}

TEST(WsFraming, HeadersUseTheShortestLengthForm) {
  unsigned char h[10];
  EXPECT_EQ(ws_frame_header(WsOpcode::text, 125, h), 2u);
  EXPECT_EQ(h[0], 0x81);
  EXPECT_EQ(h[1], 125);
  EXPECT_EQ(ws_frame_header(WsOpcode::text, 126, h), 4u);
  EXPECT_EQ(h[1], 126);
  EXPECT_EQ((h[2] << 8) | h[3], 126);
  EXPECT_EQ(ws_frame_header(WsOpcode::text, 65535, h), 4u);
  EXPECT_EQ(ws_frame_header(WsOpcode::binary, 65536, h), 10u);
  EXPECT_EQ(h[0], 0x82);
  EXPECT_EQ(h[1], 127);
  EXPECT_EQ(h[7], 1);  // 65536 = 0x00..010000
  EXPECT_EQ(h[8], 0);
  const auto close = ws_close_frame(kWsCloseServiceRestart, "server restart");
  EXPECT_EQ(static_cast<unsigned char>(close[0]), 0x88);
  EXPECT_EQ(close.size(), 2u + 2 + 14);
  EXPECT_EQ((static_cast<unsigned char>(close[2]) << 8) | static_cast<unsigned char>(close[3]), 1012);
}

TEST(WsFraming, ReadsMaskedFramesInAnySplit) {
  const std::string text = R"({"type":"subscribe","topic":"products"})";
  const std::string long_text(70000, 'a');
  const std::string bytes =
      client_frame(0x1, text) + client_frame(0x9, "hi") + client_frame(0x1, long_text) + client_frame(0xA, "");
  WsFrameReader r(1 << 17);
  std::vector<WsFrameReader::Event> got;
  for (char c : bytes) {  // one byte at a time
    r.feed(&c, 1);
    for (auto e = r.next(); e.kind != Kind::none; e = r.next()) got.push_back(e);
  }
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].kind, Kind::text);
  EXPECT_EQ(got[0].payload, text);
  EXPECT_EQ(got[1].kind, Kind::ping);
  EXPECT_EQ(got[1].payload, "hi");
  EXPECT_EQ(got[2].payload, long_text);
  EXPECT_EQ(got[3].kind, Kind::pong);
}

TEST(WsFraming, JoinsFragmentsAroundControlFrames) {
  const std::string bytes = client_frame(0x1, "{\"type\":", false) + client_frame(0x9, "p") +
                            client_frame(0x0, "\"ping\"", false) + client_frame(0x0, "}");
  WsFrameReader r(1024);
  r.feed(bytes.data(), bytes.size());
  auto ping = r.next();
  EXPECT_EQ(ping.kind, Kind::ping);
  auto text = r.next();
  EXPECT_EQ(text.kind, Kind::text);
  EXPECT_EQ(text.payload, R"({"type":"ping"})");
  EXPECT_EQ(r.next().kind, Kind::none);
}

TEST(WsFraming, CloseCarriesCodeAndReason) {
  auto e = read_one(client_frame(0x8, std::string("\x03\xe8", 2) + "bye"));
  EXPECT_EQ(e.kind, Kind::close);
  EXPECT_EQ(e.close_code, 1000);
  EXPECT_EQ(e.payload, "bye");
  EXPECT_EQ(read_one(client_frame(0x8, "")).close_code, 1005);
}

TEST(WsFraming, ProtocolViolationsAreErrorsWithTheirCloseCode) {
  std::string unmasked = client_frame(0x1, "x");
  unmasked[1] = static_cast<char>(unmasked[1] & 0x7F);
  EXPECT_EQ(read_one(unmasked).close_code, kWsCloseProtocolError);
  std::string rsv = client_frame(0x1, "x");
  rsv[0] = static_cast<char>(rsv[0] | 0x40);
  EXPECT_EQ(read_one(rsv).close_code, kWsCloseProtocolError);
  EXPECT_EQ(read_one(client_frame(0x9, std::string(126, 'p'))).close_code, kWsCloseProtocolError);
  EXPECT_EQ(read_one(client_frame(0x9, "p", false)).close_code, kWsCloseProtocolError);
  EXPECT_EQ(read_one(client_frame(0x0, "orphan")).close_code, kWsCloseProtocolError);
  EXPECT_EQ(read_one(client_frame(0x3, "")).close_code, kWsCloseProtocolError);
  EXPECT_EQ(read_one(client_frame(0x1, "a", false) + client_frame(0x1, "b")).close_code, kWsCloseProtocolError);
  EXPECT_EQ(read_one(client_frame(0x1, std::string(2000, 'a')), 1000).close_code, kWsCloseTooBig);
  EXPECT_EQ(read_one(client_frame(0x1, std::string(600, 'a'), false) + client_frame(0x0, std::string(600, 'a')), 1000)
                .close_code,
            kWsCloseTooBig);
  const auto bad = read_one(client_frame(0x1, "\xc3\x28"));
  EXPECT_EQ(bad.kind, Kind::error);
  EXPECT_EQ(bad.close_code, kWsCloseInvalidText);
}

// A frame naming 2^64 - 2 bytes after a fragment of 2: the sum with the
// message so far wrapped around to 0, so the limit let it through and the
// reader tried to copy 2^64 bytes (found by fuzz/ws_frames.cpp). Such a
// length is a protocol error (its top bit must be 0, RFC 6455 §5.2); one
// just under 2^63 is too big.
TEST(WsFraming, AHugeLengthAfterAFragmentIsRefused) {
  const auto after_fragment = [](std::string_view length) {
    std::string frame = client_frame(0x0, "");
    frame[1] = static_cast<char>(0x80 | 127);
    frame.insert(2, length);
    return read_one(client_frame(0x2, "ab", false) + frame + std::string(16, 'x'), 1000);
  };
  const auto wrapping = after_fragment(std::string("\xff\xff\xff\xff\xff\xff\xff\xfe", 8));
  EXPECT_EQ(wrapping.kind, Kind::error);
  EXPECT_EQ(wrapping.close_code, kWsCloseProtocolError);
  const auto huge = after_fragment(std::string("\x7f\xff\xff\xff\xff\xff\xff\xfe", 8));
  EXPECT_EQ(huge.kind, Kind::error);
  EXPECT_EQ(huge.close_code, kWsCloseTooBig);
}

}  // namespace
}  // namespace shelfsync::live
