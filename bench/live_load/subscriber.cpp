#include "subscriber.hpp"

#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <iostream>
#include <stdexcept>

namespace bench {

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

std::atomic<std::int64_t> g_delivered{0};

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// Calls `fn(version)` for each change object in a `changes` message. The
// change objects start with `{"entity":` and carry `"version":N` before their
// `data`, so the first `"version":` after each start is the change's.
template <class Fn>
void scan_versions(std::string_view msg, Fn fn) {
  constexpr std::string_view kStart = "{\"entity\":";
  constexpr std::string_view kVersion = "\"version\":";
  auto pos = msg.find(kStart);
  while (pos != std::string_view::npos) {
    const auto v = msg.find(kVersion, pos + kStart.size());
    if (v == std::string_view::npos) return;
    std::int64_t n = 0;
    for (auto i = v + kVersion.size(); i < msg.size() && msg[i] >= '0' && msg[i] <= '9'; ++i)
      n = n * 10 + (msg[i] - '0');
    fn(n);
    pos = msg.find(kStart, v);
  }
}

}  // namespace

std::int64_t delivered_total() { return g_delivered.load(std::memory_order_relaxed); }

void Subscriber::open(Transport transport, const sockaddr_in& addr, const std::string& host_port,
                      const std::string& token, const std::string& product_id) {
  transport_ = transport;
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const std::string filter = R"({"ids":[")" + product_id + R"("]})";
  if (transport == Transport::ws) {
    send_all("GET /api/live HTTP/1.1\r\nHost: " + host_port +
             "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
             "Authorization: Bearer " +
             token + "\r\n\r\n");
  } else {
    send_all("GET /api/stream?topic=products&batch_ms=0&filter=" + url_encode(filter) + " HTTP/1.1\r\nHost: " +
             host_port + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + token + "\r\n\r\n");
  }
  std::string head;
  while (head.find("\r\n\r\n") == std::string::npos) {
    char buf[4096];
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) throw std::runtime_error("handshake: connection closed");
    head.append(buf, static_cast<std::size_t>(n));
  }
  const char* want = transport == Transport::ws ? " 101 " : " 200 ";
  if (head.find(want) == std::string::npos) throw std::runtime_error("refused: " + head.substr(0, head.find("\r\n")));
  in_ = head.substr(head.find("\r\n\r\n") + 4);
  if (transport == Transport::ws)
    send_ws_frame(0x1, R"({"type":"subscribe","sub":"s","topic":"products","filter":)" + filter +
                           R"(,"batch_ms":0,"mode":"data"})");
  while (true) {
    consume(false);
    if (subscribed_) break;
    char buf[65536];
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) throw std::runtime_error("closed before subscribed");
    in_.append(buf, static_cast<std::size_t>(n));
  }
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

void Subscriber::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void Subscriber::on_readable() {
  char buf[65536];
  while (true) {
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n > 0) {
      in_.append(buf, static_cast<std::size_t>(n));
      if (static_cast<std::size_t>(n) < sizeof buf) break;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    failed = true;
    return;
  }
  consume(true);
}

void Subscriber::send_all(std::string_view data) {
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) throw std::runtime_error(std::string("send: ") + std::strerror(errno));
    off += static_cast<std::size_t>(n);
  }
}

// A client frame: FIN, `opcode`, masked (RFC 6455 §5.3; the key is zero,
// which the protocol allows: the mask is there for proxies, not secrecy).
void Subscriber::send_ws_frame(unsigned char opcode, std::string_view payload) {
  std::string f;
  f += static_cast<char>(0x80 | opcode);
  if (payload.size() < 126) {
    f += static_cast<char>(0x80 | payload.size());
  } else {
    f += static_cast<char>(0x80 | 126);
    f += static_cast<char>((payload.size() >> 8) & 0xff);
    f += static_cast<char>(payload.size() & 0xff);
  }
  f.append(4, '\0');
  f += payload;
  send_all(f);
}

void Subscriber::consume(bool record) {
  if (transport_ == Transport::ws)
    consume_ws(record);
  else
    consume_sse(record);
}

// Server frames are unmasked: 2-byte header, 16- or 64-bit extended length.
void Subscriber::consume_ws(bool record) {
  std::size_t pos = 0;
  while (in_.size() - pos >= 2) {
    const auto* p = reinterpret_cast<const unsigned char*>(in_.data() + pos);
    const unsigned opcode = p[0] & 0x0f;
    std::uint64_t len = p[1] & 0x7f;
    std::size_t header = 2;
    if (len == 126) {
      if (in_.size() - pos < 4) break;
      len = (std::uint64_t{p[2]} << 8) | p[3];
      header = 4;
    } else if (len == 127) {
      if (in_.size() - pos < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | p[2 + i];
      header = 10;
    }
    if (in_.size() - pos < header + len) break;
    const bool fin = p[0] & 0x80;
    const std::string_view payload(in_.data() + pos + header, len);
    if (opcode == 0x9) {
      send_ws_frame(0xA, payload);  // ping → pong
    } else if (opcode == 0x1 || opcode == 0x0) {
      // A message may come in fragments (continuation frames, opcode 0).
      if (fin && opcode == 0x1) {
        on_message(payload, record);
      } else {
        message_.append(payload);
        if (fin) {
          on_message(message_, record);
          message_.clear();
        }
      }
    }
    pos += header + len;
  }
  in_.erase(0, pos);
}

// Events end with a blank line; `event: subscribed` ends the snapshot.
void Subscriber::consume_sse(bool record) {
  std::size_t pos = 0;
  while (true) {
    const auto end = in_.find("\n\n", pos);
    if (end == std::string::npos) break;
    const std::string_view event(in_.data() + pos, end - pos);
    if (event.starts_with("event: subscribed"))
      subscribed_ = true;
    else if (event.starts_with("event: changes"))
      on_message(event, record);
    else if (event.starts_with("event: "))
      on_message(event, record);  // reset, error: reported
    pos = end + 2;
  }
  in_.erase(0, pos);
}

void Subscriber::on_message(std::string_view msg, bool record) {
  if (msg.starts_with("{\"type\":\"subscribed\"")) {
    subscribed_ = true;
  } else if (msg.starts_with("{\"type\":\"changes\"") || msg.starts_with("event: changes")) {
    if (!record) return;  // the snapshot, before `subscribed`
    ++messages;
    message_bytes += msg.size();
    const auto t = now_ns();
    scan_versions(msg, [&](std::int64_t v) {
      deliveries.push_back({v, t});
      g_delivered.fetch_add(1, std::memory_order_relaxed);
    });
  } else if (!msg.starts_with("{\"type\":\"pong\"")) {
    std::cerr << "unexpected message: " << msg.substr(0, 200) << "\n";
    failed = true;
  }
}

double read_until(const std::vector<Subscriber*>& subs, const std::atomic<bool>& stop) {
  const int ep = ::epoll_create1(0);
  for (Subscriber* s : subs) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = s;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, s->fd(), &ev);
  }
  std::vector<epoll_event> events(1024);
  while (!stop.load(std::memory_order_relaxed)) {
    const int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 50);
    for (int i = 0; i < n; ++i) static_cast<Subscriber*>(events[static_cast<std::size_t>(i)].data.ptr)->on_readable();
  }
  ::close(ep);
  timespec cpu{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
  return static_cast<double>(cpu.tv_sec) + static_cast<double>(cpu.tv_nsec) / 1e9;
}

}  // namespace bench
