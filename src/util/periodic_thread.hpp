#pragma once
// A named thread of its own for a background chore that blocks (store reads
// and writes, purges, checkpoints) and so must stay off the IO, worker and
// hub threads. Two shapes:
//
//  - every `interval`: log retention, the token recheck;
//  - a tick that returns when it wants to run next; poke() (any thread) runs
//    it sooner: the sale timer, the stats publisher, the long polls, the
//    WAL checkpointer. Its first tick runs at the first poke, so the owner
//    finishes setting up (adds its commit listener) before it.
//
// Pokes that arrive while a tick runs make the next one run at once; many
// pokes before a tick make one tick. The destructor wakes the thread and
// joins it, after the tick that is running, if any; no further tick runs.
// A tick that throws is logged, and the next one runs after its interval
// (kAfterThrow for the second shape).

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <variant>

#include "util/mutex.hpp"

namespace shelfsync {

class PeriodicThread {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  using SystemTime = std::chrono::system_clock::time_point;
  // When to tick next. A SystemTime (a sale's start, a shop's midnight)
  // follows the wall clock if it is set meanwhile; a SteadyTime (a delay, a
  // request's deadline) does not.
  using Wake = std::variant<SteadyTime, SystemTime>;
  static constexpr SteadyTime kNever = SteadyTime::max();  // only when poked
  static constexpr auto kAfterThrow = std::chrono::seconds(1);

  // `name`: the thread's name (at most 15 characters) and the log prefix.
  PeriodicThread(std::string name, std::chrono::milliseconds interval, std::function<void()> tick);
  PeriodicThread(std::string name, std::function<Wake()> tick);
  ~PeriodicThread();
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  void poke() EXCLUDES(mu_);

 private:
  PeriodicThread(std::string name, std::function<Wake()> tick, Wake first, std::chrono::milliseconds after_throw);
  void run() EXCLUDES(mu_);
  // Until `at`, a poke or the destructor.
  template <class TimePoint>
  void sleep_until(MutexLock& lock, TimePoint at) REQUIRES(mu_);

  const std::string name_;
  const std::function<Wake()> tick_;
  const Wake first_;
  const std::chrono::milliseconds after_throw_;
  Mutex mu_;
  CondVar cv_;
  bool poked_ GUARDED_BY(mu_) = false;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace shelfsync
