// Live fan-out load client: N WebSocket subscribers of one product, then
// PATCHes of that product; measures PATCH acknowledged → change received per
// subscriber, and change deliveries per second.
//
//   build/bench_live_load URL TOKEN SUBSCRIBERS [options]
//     --rounds R      latency rounds, one PATCH at a time (default 50)
//     --flood S       seconds of back-to-back PATCHes for throughput (default 10; 0: skip)
//     --writers W     concurrent PATCH clients during the flood (default 4)
//     --rate P        PATCHes per second in total during the flood (default: as fast as acked)
//     --threads T     client threads reading the subscribers (default 1)
//
// It is light on purpose (it shares the machine with the server): the
// subscribers are plain sockets read from epoll threads, a frame is not
// parsed as JSON, only scanned for the change objects' `"version":` numbers.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string host, port, token;
  int subscribers = 0;
  int rounds = 50;
  int flood_seconds = 10;
  int writers = 4;
  double rate = 0;
  int threads = 1;
};

Options parse_options(int argc, char** argv) {
  if (argc < 4) throw std::invalid_argument("usage: bench_live_load URL TOKEN SUBSCRIBERS [options]");
  Options o;
  std::string url = argv[1];
  if (!url.starts_with("http://")) throw std::invalid_argument("URL must be http://HOST:PORT");
  url = url.substr(7, url.find('/', 7) == std::string::npos ? std::string::npos : url.find('/', 7) - 7);
  const auto colon = url.rfind(':');
  o.host = url.substr(0, colon);
  o.port = colon == std::string::npos ? "80" : url.substr(colon + 1);
  o.token = argv[2];
  o.subscribers = std::stoi(argv[3]);
  for (int i = 4; i + 1 < argc; i += 2) {
    const std::string_view k = argv[i];
    const std::string v = argv[i + 1];
    if (k == "--rounds") o.rounds = std::stoi(v);
    else if (k == "--flood") o.flood_seconds = std::stoi(v);
    else if (k == "--writers") o.writers = std::stoi(v);
    else if (k == "--rate") o.rate = std::stod(v);
    else if (k == "--threads") o.threads = std::stoi(v);
    else throw std::invalid_argument("unknown option " + std::string(k));
  }
  return o;
}

// A keep-alive HTTP client for the PATCHes (one request at a time).
class HttpClient {
 public:
  explicit HttpClient(const Options& o) : o_(o), stream_(ioc_) {
    tcp::resolver resolver(ioc_);
    stream_.connect(resolver.resolve(o.host, o.port));
    stream_.socket().set_option(tcp::no_delay(true));
  }

  json::object request(http::verb verb, const std::string& target, const std::string& body) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, o_.host);
    req.set(http::field::authorization, "Bearer " + o_.token);
    req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::write(stream_, req);
    http::response<http::string_body> res;
    http::read(stream_, buffer_, res);
    if (res.result_int() >= 300)
      throw std::runtime_error(target + " answered " + std::to_string(res.result_int()) + ": " + res.body());
    return json::parse(res.body()).as_object();
  }

 private:
  const Options& o_;
  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

// Shared by every subscriber; written from the client IO threads.
struct Tally {
  std::atomic<std::int64_t> awaited{0};    // the version the latency round waits for
  std::atomic<int> remaining{0};           // subscribers still without it
  std::atomic<std::int64_t> deliveries{0};  // change objects received
  std::atomic<int> ready{0};               // subscribed
  std::atomic<int> failed{0};
  std::atomic<std::int64_t> last_delivery_ns{0};
  std::mutex mu;
  std::condition_variable cv;

  void notify() {
    std::lock_guard lock(mu);
    cv.notify_all();
  }
};

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
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

// One subscriber on a plain blocking-then-nonblocking socket. The client
// must cost as little per delivery as it can, since it shares two cores with
// the server: after the handshake a reader thread takes the socket into its
// epoll set and does one read() per readiness, a minimal WebSocket frame
// parse and a scan for versions — about a syscall per delivery, no Beast
// stream, no handler allocation.
class Subscriber {
 public:
  std::int64_t received_ns = 0;  // when the awaited version arrived
  std::int64_t last_version = 0;

  // Blocking: connect, upgrade, subscribe, read up to `subscribed`.
  void open(const Options& o, const sockaddr_in& addr, const std::string& subscribe) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    send_all("GET /api/live HTTP/1.1\r\nHost: " + o.host + ":" + o.port +
             "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
             "Authorization: Bearer " + o.token + "\r\n\r\n");
    std::string head;
    while (head.find("\r\n\r\n") == std::string::npos) {
      char buf[4096];
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("handshake: connection closed");
      head.append(buf, static_cast<std::size_t>(n));
    }
    if (head.find(" 101 ") == std::string::npos)
      throw std::runtime_error("handshake refused: " + head.substr(0, head.find("\r\n")));
    in_ = head.substr(head.find("\r\n\r\n") + 4);
    send_frame(0x1, subscribe);
    while (!subscribed_) {
      consume_frames(nullptr);
      if (subscribed_) break;
      char buf[65536];
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("closed before subscribed");
      in_.append(buf, static_cast<std::size_t>(n));
    }
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }

  int fd() const { return fd_; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // Reader thread: reads what is there and handles every whole frame.
  void on_readable(Tally& tally) {
    char buf[65536];
    while (true) {
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n > 0) {
        in_.append(buf, static_cast<std::size_t>(n));
        if (static_cast<std::size_t>(n) < sizeof buf) break;
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      tally.failed++;
      return;
    }
    consume_frames(&tally);
  }

 private:
  void send_all(const std::string& data) {
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
  void send_frame(unsigned char opcode, const std::string& payload) {
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

  // Server frames are unmasked: 2-byte header, 16- or 64-bit extended length.
  void consume_frames(Tally* tally) {
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
        send_frame(0xA, std::string(payload));  // ping → pong
      } else if (opcode == 0x1 || opcode == 0x0) {
        // A message may come in fragments (continuation frames, opcode 0).
        if (fin && opcode == 0x1) {
          on_message(payload, tally);
        } else {
          message_.append(payload);
          if (fin) {
            on_message(message_, tally);
            message_.clear();
          }
        }
      }
      pos += header + len;
    }
    in_.erase(0, pos);
  }

  void on_message(std::string_view msg, Tally* tally) {
    if (msg.starts_with("{\"type\":\"subscribed\"")) {
      subscribed_ = true;
    } else if (msg.starts_with("{\"type\":\"changes\"")) {
      if (!tally) return;  // the snapshot, before `subscribed`
      const auto t = now_ns();
      std::int64_t n = 0;
      scan_versions(msg, [&](std::int64_t v) {
        ++n;
        last_version = v;
        if (v == tally->awaited.load(std::memory_order_acquire)) {
          received_ns = t;
          if (tally->remaining.fetch_sub(1) == 1) tally->notify();
        }
      });
      tally->deliveries.fetch_add(n, std::memory_order_relaxed);
      tally->last_delivery_ns.store(t, std::memory_order_relaxed);
    } else if (!msg.starts_with("{\"type\":\"pong\"")) {
      std::cerr << "unexpected message: " << msg.substr(0, 200) << "\n";
      if (tally) tally->failed++;
    }
  }

  int fd_ = -1;
  std::string in_;       // bytes read, not yet a whole frame
  std::string message_;  // the fragments of a message so far
  bool subscribed_ = false;
};

// Reads its share of the subscribers until `stop`.
void reader_loop(std::vector<Subscriber*> subs, Tally& tally, const std::atomic<bool>& stop) {
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
    for (int i = 0; i < n; ++i) static_cast<Subscriber*>(events[i].data.ptr)->on_readable(tally);
  }
  ::close(ep);
}

double quantile(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  const auto i = std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

void print_latency(const char* label, std::vector<double> v) {
  const double max = v.empty() ? 0 : *std::max_element(v.begin(), v.end());
  const double p50 = quantile(v, 0.5), p99 = quantile(v, 0.99);
  std::printf("%s (%zu samples): p50 %.2f ms  p99 %.2f ms  max %.2f ms\n", label, v.size(), p50, p99, max);
}

std::string patch_body(std::int64_t price) { return "{\"price\":" + std::to_string(price) + "}"; }

// Latency: one PATCH at a time; each subscriber's time from the PATCH's
// acknowledgement (and from sending it) to receiving its version.
void run_latency(const Options& o, const std::string& pid, std::int64_t& version, Tally& tally,
                 const std::vector<Subscriber*>& subs) {
  HttpClient client(o);
  std::vector<double> acked, sent;
  int early = 0;
  for (int r = 0; r < o.rounds; ++r) {
    ++version;
    tally.remaining = static_cast<int>(subs.size());
    tally.awaited.store(version, std::memory_order_release);
    const auto t_sent = now_ns();
    const auto res = client.request(http::verb::patch, "/api/products/" + pid, patch_body(200 + r));
    const auto t_ack = now_ns();
    if (res.at("version").to_number<std::int64_t>() != version)
      throw std::runtime_error("unexpected version after PATCH (another writer?)");
    {
      std::unique_lock lock(tally.mu);
      if (!tally.cv.wait_for(lock, std::chrono::seconds(30), [&] { return tally.remaining.load() <= 0; }))
        throw std::runtime_error("round " + std::to_string(r) + ": " + std::to_string(tally.remaining.load()) +
                                 " subscribers never received version " + std::to_string(version));
    }
    for (const auto& s : subs) {
      sent.push_back(static_cast<double>(s->received_ns - t_sent) / 1e6);
      if (s->received_ns < t_ack) ++early;
      acked.push_back(std::max(0.0, static_cast<double>(s->received_ns - t_ack) / 1e6));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  tally.awaited = -1;
  print_latency("edit acknowledged -> change received", acked);
  print_latency("edit sent -> change received", sent);
  std::printf("(%d deliveries arrived before the acknowledgement; counted as 0 ms)\n", early);
}

// Throughput: W clients PATCH for S seconds (back to back, or at --rate in
// total); every subscriber must end up with every version.
void run_flood(const Options& o, const std::string& pid, std::int64_t& version, Tally& tally,
               const std::vector<Subscriber*>& subs) {
  std::atomic<std::int64_t> patches{0}, newest{version};
  const auto start = Clock::now();
  const auto end = start + std::chrono::seconds(o.flood_seconds);
  tally.deliveries = 0;
  const auto start_ns = now_ns();
  std::vector<std::thread> writers;
  for (int w = 0; w < o.writers; ++w)
    writers.emplace_back([&, w] {
      HttpClient client(o);
      const auto gap = o.rate > 0 ? std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 * o.writers / o.rate))
                                  : std::chrono::nanoseconds(0);
      auto next = start + gap * w / std::max(1, o.writers);
      while (Clock::now() < end) {
        if (o.rate > 0) {
          std::this_thread::sleep_until(next);
          next += gap;
        }
        const auto res = client.request(http::verb::patch, "/api/products/" + pid, patch_body(1000 + patches++));
        const auto v = res.at("version").to_number<std::int64_t>();
        auto cur = newest.load();
        while (cur < v && !newest.compare_exchange_weak(cur, v)) {
        }
      }
    });
  for (auto& t : writers) t.join();
  version = newest;
  // Drain: wait until every subscriber holds the newest version (or 30 s).
  const auto expected = patches.load() * static_cast<std::int64_t>(subs.size());
  const auto give_up = Clock::now() + std::chrono::seconds(30);
  while (tally.deliveries.load() < expected && Clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto got = tally.deliveries.load();
  const double seconds = static_cast<double>(tally.last_delivery_ns.load() - start_ns) / 1e9;
  std::printf("fan-out: %lld PATCHes in %d s (%.0f/s) -> %lld of %lld deliveries in %.2f s: %.0f deliveries/s\n",
              static_cast<long long>(patches.load()), o.flood_seconds,
              static_cast<double>(patches.load()) / o.flood_seconds, static_cast<long long>(got),
              static_cast<long long>(expected), seconds, static_cast<double>(got) / seconds);
  if (got != expected) std::printf("WARNING: deliveries differ from PATCHes x subscribers\n");
  int behind = 0;
  for (const auto& s : subs) behind += s->last_version != version;
  if (behind) std::printf("WARNING: %d subscribers do not hold the newest version %lld\n", behind,
                          static_cast<long long>(version));
}

}  // namespace

int main(int argc, char** argv) try {
  const auto o = parse_options(argc, argv);
  HttpClient admin(o);
  const auto created = admin.request(http::verb::post, "/api/products",
                                     R"({"title":"Fan-out","price":100,"status":"active"})");
  const std::string pid(created.at("id").as_string());
  std::int64_t version = created.at("version").to_number<std::int64_t>();
  const auto subscribe = json::serialize(json::object{{"type", "subscribe"},
                                                      {"sub", "s"},
                                                      {"topic", "products"},
                                                      {"filter", {{"ids", json::array{json::string(pid)}}}},
                                                      {"batch_ms", 0},
                                                      {"mode", "data"}});

  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(o.port)));
  if (::inet_pton(AF_INET, o.host.c_str(), &addr.sin_addr) != 1)
    throw std::invalid_argument("host must be an IPv4 address");

  Tally tally;
  std::vector<Subscriber> storage(static_cast<std::size_t>(o.subscribers));
  std::vector<Subscriber*> subs;
  const auto t0 = Clock::now();
  for (auto& s : storage) {
    s.open(o, addr, subscribe);
    subs.push_back(&s);
  }
  std::printf("%d subscribers connected in %.1f s\n", o.subscribers,
              std::chrono::duration<double>(Clock::now() - t0).count());

  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int t = 0; t < o.threads; ++t) {
    std::vector<Subscriber*> share;
    for (std::size_t i = static_cast<std::size_t>(t); i < subs.size(); i += static_cast<std::size_t>(o.threads))
      share.push_back(subs[i]);
    readers.emplace_back(reader_loop, std::move(share), std::ref(tally), std::cref(stop));
  }

  if (o.rounds > 0) run_latency(o, pid, version, tally, subs);
  if (o.flood_seconds > 0) run_flood(o, pid, version, tally, subs);

  stop = true;
  for (auto& t : readers) t.join();
  for (auto* s : subs) s->close();
  if (tally.failed) std::printf("WARNING: %d subscriber errors\n", tally.failed.load());
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bench_live_load: " << e.what() << "\n";
  return 1;
}
