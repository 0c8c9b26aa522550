// Live load client: N subscribers (WebSocket or SSE, batch_ms 0) spread over
// P products, then edits sent as product PATCHes on a fixed schedule by W
// connections. Every version each subscriber receives is recorded; latency
// is stamped from the moment the edit was due (not when it was sent, so a
// server that makes the publisher late is charged for it).
//
//   build/bench_live_load URL TOKEN [options]
//     --subscribers N   (default 1000)
//     --products P      subscriber i follows product i % P (default 1)
//     --rate R          edits per second in total; edit k goes to product k % P (default 100)
//     --seconds S       length of the schedule (default 10)
//     --writers W       PATCH connections (default 32)
//     --transport T     ws | sse (default ws)
//     --threads T       client threads reading the subscribers (default 1)
//     --server-pid PID  report the server's RSS before and after subscribing
//     --hold S          no edits: subscribe, hold S seconds, report RSS and leave
//
// The last line is `result key=value ...` for scripts (bench/live_scenario.sh).

#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "subscriber.hpp"

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;
using bench::now_ns;

namespace {

struct Options {
  std::string host, port, token;
  int subscribers = 1000;
  int products = 1;
  double rate = 100;
  int seconds = 10;
  int writers = 32;
  bench::Transport transport = bench::Transport::ws;
  int threads = 1;
  int server_pid = 0;
  int hold = 0;
};

Options parse_options(int argc, char** argv) {
  if (argc < 3) throw std::invalid_argument("usage: bench_live_load URL TOKEN [options]");
  Options o;
  std::string url = argv[1];
  if (!url.starts_with("http://")) throw std::invalid_argument("URL must be http://HOST:PORT");
  url = url.substr(7, url.find('/', 7) == std::string::npos ? std::string::npos : url.find('/', 7) - 7);
  const auto colon = url.rfind(':');
  o.host = url.substr(0, colon);
  o.port = colon == std::string::npos ? "80" : url.substr(colon + 1);
  o.token = argv[2];
  for (int i = 3; i < argc; i += 2) {
    const std::string_view k = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument("option " + std::string(k) + " needs a value");
    const std::string v = argv[i + 1];
    if (k == "--subscribers")
      o.subscribers = std::stoi(v);
    else if (k == "--products")
      o.products = std::stoi(v);
    else if (k == "--rate")
      o.rate = std::stod(v);
    else if (k == "--seconds")
      o.seconds = std::stoi(v);
    else if (k == "--writers")
      o.writers = std::stoi(v);
    else if (k == "--transport" && (v == "ws" || v == "sse"))
      o.transport = v == "ws" ? bench::Transport::ws : bench::Transport::sse;
    else if (k == "--threads")
      o.threads = std::stoi(v);
    else if (k == "--server-pid")
      o.server_pid = std::stoi(v);
    else if (k == "--hold")
      o.hold = std::stoi(v);
    else
      throw std::invalid_argument("unknown option " + std::string(k) + " " + v);
  }
  if (o.products < 1 || o.subscribers < 0 || o.rate <= 0 || o.writers < 1 || o.threads < 1)
    throw std::invalid_argument("bad option value");
  return o;
}

// A keep-alive HTTP client (one request at a time).
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

struct Edit {
  int product;
  std::int64_t version;
  std::int64_t due_ns, sent_ns, answered_ns;
};

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  const auto i = std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

struct Summary {
  double p50 = 0, p99 = 0, max = 0;
};

Summary summarize(const std::vector<double>& v) {
  Summary s;
  if (v.empty()) return s;
  s.p50 = quantile(v, 0.5);
  s.p99 = quantile(v, 0.99);
  s.max = *std::max_element(v.begin(), v.end());
  return s;
}

long rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  return -1;
}

double process_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Sends the edits of slots w, w+W, w+2W, ... each at its due time.
std::vector<Edit> write_schedule(const Options& o, const std::vector<std::string>& products, int w,
                                 std::int64_t start_ns, std::int64_t slots) {
  HttpClient client(o);
  std::vector<Edit> edits;
  for (std::int64_t k = w; k < slots; k += o.writers) {
    const auto due = start_ns + static_cast<std::int64_t>(static_cast<double>(k) * 1e9 / o.rate);
    while (now_ns() < due) std::this_thread::sleep_for(std::chrono::nanoseconds(due - now_ns()));
    const int p = static_cast<int>(k % o.products);
    const auto sent = now_ns();
    const auto res = client.request(http::verb::patch, "/api/products/" + products[static_cast<std::size_t>(p)],
                                    "{\"price\":" + std::to_string(1000 + k) + "}");
    edits.push_back({p, res.at("version").to_number<std::int64_t>(), due, sent, now_ns()});
  }
  return edits;
}

}  // namespace

int main(int argc, char** argv) try {
  const auto o = parse_options(argc, argv);
  HttpClient admin(o);
  std::vector<std::string> products;
  std::vector<std::int64_t> newest;  // per product: the version after the last edit
  for (int p = 0; p < o.products; ++p) {
    const auto created =
        admin.request(http::verb::post, "/api/products",
                      R"({"title":"Load )" + std::to_string(p) + R"(","price":100,"status":"active"})");
    products.emplace_back(created.at("id").as_string());
    newest.push_back(created.at("version").to_number<std::int64_t>());
  }

  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(o.port)));
  if (::inet_pton(AF_INET, o.host.c_str(), &addr.sin_addr) != 1)
    throw std::invalid_argument("host must be an IPv4 address");

  const long rss_before = o.server_pid ? rss_kib(o.server_pid) : -1;
  std::vector<bench::Subscriber> subs(static_cast<std::size_t>(o.subscribers));
  const auto t0 = now_ns();
  for (std::size_t i = 0; i < subs.size(); ++i) {
    subs[i].product = static_cast<int>(i % static_cast<std::size_t>(o.products));
    subs[i].open(o.transport, addr, o.host + ":" + o.port, o.token,
                 products[static_cast<std::size_t>(subs[i].product)]);
  }
  std::printf("%d %s subscribers of %d product(s) subscribed in %.1f s\n", o.subscribers,
              o.transport == bench::Transport::ws ? "WebSocket" : "SSE", o.products,
              static_cast<double>(now_ns() - t0) / 1e9);
  if (o.server_pid) {
    const long rss_after = rss_kib(o.server_pid);
    std::printf("server RSS: %ld KiB before, %ld KiB with the subscribers: %.2f KiB each\n", rss_before, rss_after,
                o.subscribers ? static_cast<double>(rss_after - rss_before) / o.subscribers : 0.0);
  }
  if (o.hold > 0) {
    std::this_thread::sleep_for(std::chrono::seconds(o.hold));
    if (o.server_pid) {
      const long rss_held = rss_kib(o.server_pid);
      std::printf("server RSS after %d s idle: %ld KiB: %.2f KiB per subscriber\n", o.hold, rss_held,
                  o.subscribers ? static_cast<double>(rss_held - rss_before) / o.subscribers : 0.0);
      std::printf("result rss_kib_per_subscriber=%.2f\n",
                  o.subscribers ? static_cast<double>(rss_held - rss_before) / o.subscribers : 0.0);
    }
    for (auto& s : subs) s.close();
    return 0;
  }

  // Readers, and a sampler of what the client has not read yet (bytes in
  // its sockets' receive queues): a client that falls behind flags the run.
  std::atomic<bool> stop{false};
  std::vector<double> reader_cpu(static_cast<std::size_t>(o.threads));
  std::vector<std::thread> readers;
  for (int t = 0; t < o.threads; ++t) {
    std::vector<bench::Subscriber*> share;
    for (std::size_t i = static_cast<std::size_t>(t); i < subs.size(); i += static_cast<std::size_t>(o.threads))
      share.push_back(&subs[i]);
    readers.emplace_back(
        [&, t, share = std::move(share)] { reader_cpu[static_cast<std::size_t>(t)] = bench::read_until(share, stop); });
  }
  std::atomic<long long> backlog_max{0};
  std::atomic<bool> sampling{true};
  std::thread sampler([&] {
    while (sampling) {
      long long sum = 0;
      for (const auto& s : subs) {
        int n = 0;
        if (::ioctl(s.fd(), FIONREAD, &n) == 0) sum += n;
      }
      backlog_max = std::max<long long>(backlog_max, sum);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });

  // The schedule. Each writer sends its share of the slots at their due times.
  const auto slots = static_cast<std::int64_t>(o.rate * o.seconds);
  const auto start = now_ns() + 100'000'000;  // 100 ms for the writers to connect
  const double cpu_start = process_cpu_seconds();
  std::vector<std::vector<Edit>> by_writer(static_cast<std::size_t>(o.writers));
  std::vector<std::thread> writers;
  for (int w = 0; w < o.writers; ++w)
    writers.emplace_back(
        [&, w] { by_writer[static_cast<std::size_t>(w)] = write_schedule(o, products, w, start, slots); });
  for (auto& t : writers) t.join();

  // per product: version → due time; the newest version
  std::vector<std::map<std::int64_t, std::int64_t>> due_of(products.size());
  std::vector<double> patch_ms, late_ms;
  for (const auto& edits : by_writer)
    for (const auto& e : edits) {
      due_of[static_cast<std::size_t>(e.product)][e.version] = e.due_ns;
      newest[static_cast<std::size_t>(e.product)] = std::max(newest[static_cast<std::size_t>(e.product)], e.version);
      patch_ms.push_back(static_cast<double>(e.answered_ns - e.due_ns) / 1e6);
      late_ms.push_back(static_cast<double>(e.sent_ns - e.due_ns) / 1e6);
    }

  // Drain: until every version has reached every subscriber of its product,
  // or nothing has arrived for 10 s (versions lost or coalesced).
  std::vector<std::int64_t> subs_of(products.size());
  for (const auto& s : subs) ++subs_of[static_cast<std::size_t>(s.product)];
  std::int64_t awaited = 0;
  for (std::size_t p = 0; p < products.size(); ++p) awaited += static_cast<std::int64_t>(due_of[p].size()) * subs_of[p];
  auto seen = bench::delivered_total();
  auto last_progress = now_ns();
  while (bench::delivered_total() < awaited && now_ns() - last_progress < 10'000'000'000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (const auto n = bench::delivered_total(); n != seen) {
      seen = n;
      last_progress = now_ns();
    }
  }
  stop = true;
  for (auto& t : readers) t.join();
  sampling = false;
  sampler.join();
  const double wall = static_cast<double>(now_ns() - start) / 1e9;
  const double cpu = process_cpu_seconds() - cpu_start;

  // Every version of each subscriber's product after it subscribed, once, in order.
  std::vector<double> latency_ms;
  std::int64_t expected = 0, delivered = 0, duplicates = 0, backwards = 0, failed = 0, missing_subs = 0;
  std::int64_t first_ns = INT64_MAX, last_ns = 0;
  for (const auto& s : subs) {
    const auto& dues = due_of[static_cast<std::size_t>(s.product)];
    expected += static_cast<std::int64_t>(dues.size());
    std::int64_t prev = 0, got = 0;
    for (const auto& d : s.deliveries) {
      if (d.version == prev)
        ++duplicates;
      else if (d.version < prev)
        ++backwards;
      else if (auto it = dues.find(d.version); it != dues.end()) {
        ++got;
        latency_ms.push_back(static_cast<double>(d.received_ns - it->second) / 1e6);
        first_ns = std::min(first_ns, d.received_ns);
        last_ns = std::max(last_ns, d.received_ns);
      }
      prev = std::max(prev, d.version);
    }
    delivered += got;
    if (got != static_cast<std::int64_t>(dues.size()) && missing_subs++ < 3) {
      std::string missed;
      for (const auto& [version, due] : dues)
        if (std::none_of(s.deliveries.begin(), s.deliveries.end(),
                         [v = version](const auto& d) { return d.version == v; }))
          missed += " " + std::to_string(version);
      std::printf("a subscriber of product %d missed versions:%s\n", s.product, missed.substr(0, 200).c_str());
    }
    failed += s.failed;
  }

  const auto lat = summarize(latency_ms), patch = summarize(patch_ms), late = summarize(late_ms);
  double reader_share = 0;
  for (const auto c : reader_cpu) reader_share = std::max(reader_share, c / wall);
  // Behind: the reader thread was saturated, or more than two whole
  // fan-outs (one edit's message to each subscriber of its product, at
  // least 1 MiB) waited unread at once. One fan-out in flight is the normal
  // state of a reader that keeps up: the server writes it in a burst that
  // the reader reads socket by socket.
  std::int64_t messages = 0, message_bytes = 0;
  for (const auto& s : subs) messages += s.messages, message_bytes += s.message_bytes;
  const double fan_out_bytes = messages ? static_cast<double>(message_bytes) / static_cast<double>(messages) *
                                              static_cast<double>(subs.size()) / std::max(1, o.products)
                                        : 0;
  const bool client_behind =
      reader_share > 0.9 || static_cast<double>(backlog_max) > std::max(2 * fan_out_bytes, 1048576.0);
  const double pct = expected ? 100.0 * static_cast<double>(delivered) / static_cast<double>(expected) : 100.0;
  const double per_s =
      last_ns > first_ns ? static_cast<double>(delivered) / (static_cast<double>(last_ns - first_ns) / 1e9) : 0;
  std::printf("schedule: %lld edits at %.0f/s over %d product(s) by %d writers\n", static_cast<long long>(slots),
              o.rate, o.products, o.writers);
  std::printf("publisher behind schedule: p50 %.2f  p99 %.2f  max %.2f ms\n", late.p50, late.p99, late.max);
  std::printf("PATCH answered (from due): p50 %.2f  p99 %.2f  max %.2f ms\n", patch.p50, patch.p99, patch.max);
  std::printf("delivery (due -> received), %zu samples: p50 %.2f  p99 %.2f  max %.2f ms\n", latency_ms.size(), lat.p50,
              lat.p99, lat.max);
  std::printf(
      "delivered: %lld of %lld versions (%.3f %%), %.0f deliveries/s; duplicates %lld, backwards %lld, "
      "subscribers missing a version %lld, failed %lld\n",
      static_cast<long long>(delivered), static_cast<long long>(expected), pct, per_s,
      static_cast<long long>(duplicates), static_cast<long long>(backwards), static_cast<long long>(missing_subs),
      static_cast<long long>(failed));
  std::printf(
      "client: reader thread CPU %.0f %% of the run, process CPU %.2f s in %.2f s, receive backlog max %lld bytes (one "
      "fan-out %.0f)%s\n",
      100 * reader_share, cpu, wall, backlog_max.load(), fan_out_bytes,
      client_behind ? "  ** CLIENT FELL BEHIND: figures bound the server from above **" : "");
  std::printf(
      "result p50_ms=%.2f p99_ms=%.2f max_ms=%.2f delivered_pct=%.3f deliveries_per_s=%.0f patch_p50_ms=%.2f "
      "patch_p99_ms=%.2f late_p99_ms=%.2f client_behind=%d duplicates=%lld backwards=%lld failed=%lld\n",
      lat.p50, lat.p99, lat.max, pct, per_s, patch.p50, patch.p99, late.p99, client_behind ? 1 : 0,
      static_cast<long long>(duplicates), static_cast<long long>(backwards), static_cast<long long>(failed));
  for (auto& s : subs) s.close();
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bench_live_load: " << e.what() << "\n";
  return 1;
}
