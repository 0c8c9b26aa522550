// The floor under a live fan-out on this machine: N loopback TCP
// connections, one small message written to each by S sender threads (the
// server's IO threads) and read by one epoll thread (the load client), with
// nothing else — no hub, no WebSocket, no HTTP. Time from "go" to each
// connection's message arriving, p50/p99/max over R rounds. What the server
// adds on top of this is what the live benchmarks measure minus this.
//
//   build/bench_loopback_floor N [rounds=50] [senders=2] [bytes=820] [options]
//     --pin S,R     run the sender threads on CPU S and the reader on CPU R
//                   (as the live scenarios pin the server and the load)
//     --flood SEC   then send to every connection back to back for SEC
//                   seconds: the most deliveries/s this machine carries

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
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

void pin_to(int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  check(::pthread_setaffinity_np(::pthread_self(), sizeof set, &set) == 0, "pthread_setaffinity_np");
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_loopback_floor N [rounds] [senders] [bytes]\n");
    return 2;
  }
  std::vector<std::string> positional;
  int sender_cpu = -1, reader_cpu = -1, flood_seconds = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--pin" && i + 1 < argc) {
      const std::string v = argv[++i];
      sender_cpu = std::stoi(v.substr(0, v.find(',')));
      reader_cpu = std::stoi(v.substr(v.find(',') + 1));
    } else if (a == "--flood" && i + 1 < argc) {
      flood_seconds = std::stoi(argv[++i]);
    } else {
      positional.push_back(a);
    }
  }
  const int n = std::stoi(positional.at(0));
  const int rounds = positional.size() > 1 ? std::stoi(positional[1]) : 50;
  const int senders = positional.size() > 2 ? std::stoi(positional[2]) : 2;
  const std::size_t bytes = positional.size() > 3 ? std::stoul(positional[3]) : 820;  // a one-change message

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
  std::atomic<std::int64_t> messages{0};  // whole messages read, ever
  std::atomic<bool> stop{false}, flooding{false};

  std::vector<std::thread> threads;
  for (int t = 0; t < senders; ++t)
    threads.emplace_back([&, t] {
      pin_to(sender_cpu);
      int seen = -1;
      while (true) {
        round.wait(seen, std::memory_order_acquire);  // sleeps, as an idle IO thread does
        if (stop) return;
        seen = round.load(std::memory_order_acquire);
        if (flooding) {
          // Back to back; a full socket buffer is skipped, not waited for.
          while (flooding.load(std::memory_order_relaxed))
            for (int i = t; i < n && flooding.load(std::memory_order_relaxed); i += senders)
              ::send(server_side[static_cast<std::size_t>(i)], message.data(), message.size(),
                     MSG_NOSIGNAL | MSG_DONTWAIT);
          continue;
        }
        for (int i = t; i < n; i += senders)
          check(::send(server_side[static_cast<std::size_t>(i)], message.data(), message.size(), MSG_NOSIGNAL) ==
                    static_cast<ssize_t>(message.size()),
                "send");
      }
    });
  threads.emplace_back([&] {
    pin_to(reader_cpu);
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
        while (got[i] >= message.size()) {
          got[i] -= message.size();
          messages.fetch_add(1, std::memory_order_relaxed);
          if (flooding.load(std::memory_order_relaxed)) continue;
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
    while (received.load(std::memory_order_acquire) < n) std::this_thread::sleep_for(std::chrono::microseconds(200));
    for (const auto a : arrived) ms.push_back(static_cast<double>(a) / 1e6);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  double per_second = 0;
  if (flood_seconds > 0) {
    flooding = true;
    const auto before = messages.load();
    const auto t0 = now_ns();
    round.store(rounds, std::memory_order_release);
    round.notify_all();
    std::this_thread::sleep_for(std::chrono::seconds(flood_seconds));
    per_second = static_cast<double>(messages.load() - before) / (static_cast<double>(now_ns() - t0) / 1e9);
    flooding = false;
  }
  stop = true;
  round.store(rounds + 1, std::memory_order_release);
  round.notify_all();
  for (auto& t : threads) t.join();
  const double max = *std::max_element(ms.begin(), ms.end());
  std::printf(
      "%d connections, %d senders, %zu-byte messages, %d rounds: go -> received p50 %.2f ms  p99 %.2f ms  max %.2f "
      "ms\n",
      n, senders, bytes, rounds, quantile(ms, 0.5), quantile(ms, 0.99), max);
  if (flood_seconds > 0) std::printf("flood: %.0f messages/s received\n", per_second);
  std::printf("result p50_ms=%.2f p99_ms=%.2f max_ms=%.2f deliveries_per_s=%.0f\n", quantile(ms, 0.5),
              quantile(ms, 0.99), max, per_second);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "bench_loopback_floor: %s\n", e.what());
  return 1;
}
