#pragma once
// One live subscriber of the load client: a plain socket speaking just
// enough WebSocket (RFC 6455) or SSE to subscribe to one product and record
// every version it receives with the time it arrived. It must cost as little
// per delivery as it can, since it shares the machine with the server: after
// the handshake a reader thread takes the socket into its epoll set and does
// one read() per readiness, a minimal frame parse and a scan for versions —
// about a syscall per delivery, no JSON parse, no allocation per message.

#include <netinet/in.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

std::int64_t now_ns();
// Versions recorded by every subscriber so far (any thread).
std::int64_t delivered_total();

struct Delivery {
  std::int64_t version;
  std::int64_t received_ns;
};

enum class Transport { ws, sse };

class Subscriber {
 public:
  int product = 0;                   // index into the client's products
  std::vector<Delivery> deliveries;  // after `subscribed`, in arrival order
  bool failed = false;
  std::int64_t messages = 0;       // changes messages after `subscribed`
  std::int64_t message_bytes = 0;  // their size

  // Blocking: connect, upgrade (or GET the stream), subscribe to `product_id`
  // with batch_ms 0, read up to `subscribed` (the snapshot is not recorded).
  void open(Transport transport, const sockaddr_in& addr, const std::string& host_port, const std::string& token,
            const std::string& product_id);
  int fd() const { return fd_; }
  void close();
  // Reader thread: reads what is there and records every whole message.
  void on_readable();

 private:
  void send_all(std::string_view data);
  void send_ws_frame(unsigned char opcode, std::string_view payload);
  void consume(bool record);
  void consume_ws(bool record);
  void consume_sse(bool record);
  void on_message(std::string_view msg, bool record);

  Transport transport_ = Transport::ws;
  int fd_ = -1;
  std::string in_;       // bytes read, not yet a whole frame or event
  std::string message_;  // the fragments of a WebSocket message so far
  bool subscribed_ = false;
};

// Reads `subs` until `stop`; returns the thread's CPU seconds.
double read_until(const std::vector<Subscriber*>& subs, const std::atomic<bool>& stop);

}  // namespace bench
