// The floor under a live fan-out on this machine: N loopback TCP
// connections, one small message written to each by S sender threads (the
// server's IO threads) and read by one epoll thread (the load client), with
// nothing else — no hub, no WebSocket, no HTTP. Time from "go" to each
// connection's message arriving, p50/p99/max over R rounds. What the server
// adds on top of this is what bench/live_fanout.sh measures minus this.
//
//   build/bench_loopback_floor N [rounds=50] [senders=2] [bytes=820]

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  const auto i = std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_loopback_floor N [rounds] [senders] [bytes]\n");
    return 2;
  }
  const int n = std::stoi(argv[1]);
  const int rounds = argc > 2 ? std::stoi(argv[2]) : 50;
  const int senders = argc > 3 ? std::stoi(argv[3]) : 2;
  const std::size_t bytes = argc > 4 ? std::stoul(argv[4]) : 820;  // a one-change message

  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  check(listener >= 0, "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  check(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0, "bind");
  socklen_t len = sizeof addr;
  check(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0, "getsockname");
  check(::listen(listener, 4096) == 0, "listen");

  std::vector<int> server_side, client_side;
  for (int i = 0; i < n; ++i) {
    const int c = ::socket(AF_INET, SOCK_STREAM, 0);
    check(c >= 0, "socket");
    check(::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0, "connect");
    const int s = ::accept(listener, nullptr, nullptr);
    check(s >= 0, "accept");
    const int one = 1;
    ::setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    server_side.push_back(s);
    client_side.push_back(c);
  }

  const std::string message(bytes, 'x');
  std::vector<std::int64_t> arrived(static_cast<std::size_t>(n));
  std::atomic<int> round{-1};
  std::atomic<std::int64_t> go_ns{0};
  std::atomic<int> received{0};
  std::atomic<bool> stop{false};

  std::vector<std::thread> threads;
  for (int t = 0; t < senders; ++t)
    threads.emplace_back([&, t] {
      int seen = -1;
      while (true) {
        round.wait(seen, std::memory_order_acquire);  // sleeps, as an idle IO thread does
        if (stop) return;
        seen = round.load(std::memory_order_acquire);
        for (int i = t; i < n; i += senders)
          check(::send(server_side[static_cast<std::size_t>(i)], message.data(), message.size(), MSG_NOSIGNAL) ==
                    static_cast<ssize_t>(message.size()),
                "send");
      }
    });
  threads.emplace_back([&] {
    const int ep = ::epoll_create1(0);
    for (int i = 0; i < n; ++i) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u32 = static_cast<std::uint32_t>(i);
      ::epoll_ctl(ep, EPOLL_CTL_ADD, client_side[static_cast<std::size_t>(i)], &ev);
    }
    std::vector<epoll_event> events(1024);
    std::vector<char> buf(65536);
    std::vector<std::size_t> got(static_cast<std::size_t>(n));
    while (!stop) {
      const int k = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 20);
      const auto t = now_ns();
      for (int e = 0; e < k; ++e) {
        const auto i = events[static_cast<std::size_t>(e)].data.u32;
        const ssize_t m = ::read(client_side[i], buf.data(), buf.size());
        if (m <= 0) continue;
        got[i] += static_cast<std::size_t>(m);
        if (got[i] >= message.size()) {
          got[i] -= message.size();
          arrived[i] = t - go_ns.load(std::memory_order_acquire);
          received.fetch_add(1, std::memory_order_release);
        }
      }
    }
    ::close(ep);
  });

  std::vector<double> ms;
  for (int r = 0; r < rounds; ++r) {
    received = 0;
    go_ns = now_ns();
    round.store(r, std::memory_order_release);
    round.notify_all();
    while (received.load(std::memory_order_acquire) < n)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    for (const auto a : arrived) ms.push_back(static_cast<double>(a) / 1e6);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop = true;
  round.store(rounds, std::memory_order_release);
  round.notify_all();
  for (auto& t : threads) t.join();
  const double max = *std::max_element(ms.begin(), ms.end());
  std::printf("%d connections, %d senders, %zu-byte messages, %d rounds: go -> received p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
              n, senders, bytes, rounds, quantile(ms, 0.5), quantile(ms, 0.99), max);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "bench_loopback_floor: %s\n", e.what());
  return 1;
}
