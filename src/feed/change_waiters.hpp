#pragma once
// Long-poll support: run a callback once a tenant's log moves past a seq, or
// at a deadline, whichever comes first. Nothing blocks while waiting: the
// callbacks run on this object's timer thread and must only hand work off
// (post to a pool).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace shelfsync {

class Store;

class ChangeWaiters {
 public:
  using Clock = std::chrono::steady_clock;

  // Registers itself as a commit listener of `store`.
  explicit ChangeWaiters(Store& store);
  // Drops the callbacks still waiting: destroy only after the server stopped.
  ~ChangeWaiters();

  void wait(const std::string& tenant, std::int64_t after_seq, Clock::time_point deadline,
            std::function<void()> callback);

  std::size_t waiting() const;

 private:
  struct Waiter {
    std::string tenant;
    std::int64_t after_seq;
    std::function<void()> callback;
  };
  void on_commit(const std::string& tenant, std::int64_t head);
  void run();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<Clock::time_point, Waiter> waiters_;  // guarded by mu_, by deadline
  std::map<std::string, std::int64_t> heads_;         // guarded by mu_
  bool stopping_ = false;                             // guarded by mu_
  std::thread thread_;
};

}  // namespace shelfsync
