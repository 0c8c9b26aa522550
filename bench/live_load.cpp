// Live fan-out load client: N WebSocket subscribers of one product, then
// PATCHes of that product; measures PATCH acknowledged → change received per
// subscriber, and change deliveries per second.
//
//   build/bench_live_load URL TOKEN SUBSCRIBERS [options]
//     --rounds R      latency rounds, one PATCH at a time (default 50)
//     --flood S       seconds of back-to-back PATCHes for throughput (default 10; 0: skip)
//     --writers W     concurrent PATCH clients during the flood (default 4)
//     --rate P        PATCHes per second in total during the flood (default: as fast as acked)
//     --threads T     client IO threads reading the subscribers (default 1)
//
// It is light on purpose (it shares the machine with the server): a frame is
// not parsed, only scanned for the change objects' `"version":` numbers.

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

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace json = boost::json;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kConnectBatch = 250;  // handshakes in flight at once

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

class Subscriber : public std::enable_shared_from_this<Subscriber> {
 public:
  Subscriber(net::io_context& ioc, const Options& o, Tally& tally, std::string subscribe)
      : ws_(o.threads > 1 ? net::any_io_executor(net::make_strand(ioc)) : net::any_io_executor(ioc.get_executor())),
        o_(o),
        tally_(tally),
        subscribe_(std::move(subscribe)) {}

  std::int64_t received_ns = 0;  // when the awaited version arrived
  std::int64_t last_version = 0;

  void start(const tcp::resolver::results_type& endpoints, std::function<void()> done) {
    done_ = std::move(done);
    net::async_connect(ws_.next_layer(), endpoints, [self = shared_from_this()](beast::error_code ec, auto) {
      if (ec) return self->fail(ec);
      self->ws_.set_option(websocket::stream_base::decorator(
          [auth = "Bearer " + self->o_.token](websocket::request_type& req) {
            req.set(http::field::authorization, auth);
          }));
      self->ws_.async_handshake(self->o_.host + ":" + self->o_.port, "/api/live", [self](beast::error_code ec) {
        if (ec) return self->fail(ec);
        self->ws_.async_write(net::buffer(self->subscribe_), [self](beast::error_code ec, std::size_t) {
          if (ec) return self->fail(ec);
          self->read();
        });
      });
    });
  }

  void close() {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->ws_.next_layer().close(ec);
    });
  }

 private:
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail(ec);
      self->on_message(std::string_view(static_cast<const char*>(self->buffer_.data().data()), self->buffer_.size()));
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }

  void on_message(std::string_view msg) {
    if (msg.starts_with("{\"type\":\"changes\"")) {
      if (!subscribed_) return;  // the snapshot
      const auto t = now_ns();
      std::int64_t n = 0;
      scan_versions(msg, [&](std::int64_t v) {
        ++n;
        last_version = v;
        if (v == tally_.awaited.load(std::memory_order_acquire)) {
          received_ns = t;
          if (tally_.remaining.fetch_sub(1) == 1) tally_.notify();
        }
      });
      tally_.deliveries.fetch_add(n, std::memory_order_relaxed);
      tally_.last_delivery_ns.store(t, std::memory_order_relaxed);
    } else if (msg.starts_with("{\"type\":\"subscribed\"")) {
      subscribed_ = true;
      tally_.ready++;
      finish_start();
    } else if (!msg.starts_with("{\"type\":\"pong\"")) {
      std::cerr << "unexpected message: " << msg.substr(0, 200) << "\n";
      tally_.failed++;
      finish_start();
    }
  }

  void fail(beast::error_code ec) {
    if (!closing_) {
      if (!subscribed_) {
        std::cerr << "subscriber: " << ec.message() << "\n";
        tally_.failed++;
        finish_start();
      }
    }
    closing_ = true;
  }

  void finish_start() {
    if (done_) std::exchange(done_, nullptr)();
  }

  websocket::stream<tcp::socket> ws_;  // a plain socket: the lightest read path
  const Options& o_;
  Tally& tally_;
  std::string subscribe_;
  beast::flat_buffer buffer_;
  std::function<void()> done_;
  bool subscribed_ = false;
  bool closing_ = false;
};

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
                 const std::vector<std::shared_ptr<Subscriber>>& subs) {
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
               const std::vector<std::shared_ptr<Subscriber>>& subs) {
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

  net::io_context ioc(o.threads);
  auto guard = net::make_work_guard(ioc);
  std::vector<std::thread> io;
  for (int i = 0; i < o.threads; ++i) io.emplace_back([&] { ioc.run(); });

  Tally tally;
  const auto endpoints = tcp::resolver(ioc).resolve(o.host, o.port);
  std::vector<std::shared_ptr<Subscriber>> subs;
  const auto t0 = Clock::now();
  for (int i = 0; i < o.subscribers; i += kConnectBatch) {
    const int n = std::min(kConnectBatch, o.subscribers - i);
    std::atomic<int> left{n};
    for (int k = 0; k < n; ++k) {
      subs.push_back(std::make_shared<Subscriber>(ioc, o, tally, subscribe));
      subs.back()->start(endpoints, [&] {
        if (--left == 0) tally.notify();
      });
    }
    std::unique_lock lock(tally.mu);
    tally.cv.wait(lock, [&] { return left.load() == 0; });
  }
  if (tally.failed) throw std::runtime_error(std::to_string(tally.failed.load()) + " subscribers failed");
  std::printf("%d subscribers connected in %.1f s\n", o.subscribers,
              std::chrono::duration<double>(Clock::now() - t0).count());

  if (o.rounds > 0) run_latency(o, pid, version, tally, subs);
  if (o.flood_seconds > 0) run_flood(o, pid, version, tally, subs);

  for (const auto& s : subs) s->close();
  guard.reset();
  ioc.stop();
  for (auto& t : io) t.join();
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bench_live_load: " << e.what() << "\n";
  return 1;
}
