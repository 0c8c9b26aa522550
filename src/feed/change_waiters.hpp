#pragma once
// Long-poll support: run a callback once a tenant's log moves past a seq, or
// at a deadline, whichever comes first. Nothing blocks while waiting: the
// callbacks run on this object's timer thread and must only hand work off
// (post to a pool).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "util/listener_gate.hpp"
#include "util/mutex.hpp"
#include "util/periodic_thread.hpp"

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
            std::function<void()> callback) EXCLUDES(mu_);

  std::size_t waiting() const EXCLUDES(mu_);

 private:
  struct Waiter {
    std::string tenant;
    std::int64_t after_seq;
    std::function<void()> callback;
  };
  void on_commit(const std::string& tenant, std::int64_t head) EXCLUDES(mu_);
  // Runs the callbacks that are due; returns the next deadline.
  PeriodicThread::Wake run_due() EXCLUDES(mu_);

  mutable Mutex mu_;
  std::multimap<Clock::time_point, Waiter> waiters_ GUARDED_BY(mu_);  // by deadline
  std::map<std::string, std::int64_t> heads_ GUARDED_BY(mu_);
  PeriodicThread thread_;  // runs run_due() on the members above; poked by wait() and commits
  // Last, so closed first: the store keeps the commit listener, and a commit
  // after the waiters went must not reach them.
  ListenerGate commits_;
};

}  // namespace shelfsync
