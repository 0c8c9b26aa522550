#pragma once
// A named thread of its own that runs `tick` every `interval` until the
// object is destroyed; the destructor wakes it at once and joins. For
// background chores that block (store reads, purges) and so must stay off
// the IO, worker and hub threads. A tick that throws is logged, and the next
// one runs as usual.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace shelfsync {

class PeriodicThread {
 public:
  // `name`: the thread's name (at most 15 characters) and the log prefix.
  PeriodicThread(std::string name, std::chrono::milliseconds interval, std::function<void()> tick);
  ~PeriodicThread();
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

 private:
  void run();

  const std::string name_;
  const std::chrono::milliseconds interval_;
  const std::function<void()> tick_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;     // last: starts once the rest is ready
};

}  // namespace shelfsync
