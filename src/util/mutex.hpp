#pragma once
// std::mutex and std::condition_variable as Clang's thread-safety analysis
// understands them (libstdc++'s carry no annotations): data marked
// GUARDED_BY(mu_) is then touched only inside a MutexLock on mu_, or the
// clang build fails (util/thread_annotations.hpp).
//
//   Mutex mu_;
//   CondVar cv_;
//   std::deque<Job> queue_ GUARDED_BY(mu_);
//
//   MutexLock lock(&mu_);
//   while (queue_.empty()) cv_.wait(lock);
//
// CondVar waits take no predicate: the analysis cannot see that a lambda runs
// under the lock, so the condition is a loop around wait() instead.

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "util/thread_annotations.hpp"

namespace shelfsync {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() ACQUIRE() { mu_.lock(); }
  void unlock() RELEASE() { mu_.unlock(); }

 private:
  friend class MutexLock;
  std::mutex mu_;
};

// Holds a Mutex from construction to destruction. unlock() and lock() let go
// of it for a while inside the scope (a blocking call, a callback); the
// analysis then treats the guarded data as unlocked until lock().
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ACQUIRE(mu) : mu_(mu->mu_) { mu_.lock(); }
  ~MutexLock() RELEASE() {
    if (held_) mu_.unlock();
  }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  void unlock() RELEASE() {
    mu_.unlock();
    held_ = false;
  }
  void lock() ACQUIRE() {
    mu_.lock();
    held_ = true;
  }

 private:
  friend class CondVar;
  std::mutex& mu_;
  bool held_ = true;
};

// A condition variable waited on with a MutexLock: the wait lets go of the
// mutex and takes it again before it returns, so to the analysis the mutex
// stays held throughout. Wakes may be spurious: wait in a loop.
class CondVar {
 public:
  void wait(MutexLock& lock) {
    std::unique_lock<std::mutex> inner(lock.mu_, std::adopt_lock);
    cv_.wait(inner);
    inner.release();  // still locked: the MutexLock unlocks it
  }
  // False once `deadline` has passed. A system_clock deadline follows the
  // wall clock if it is set meanwhile; a steady_clock one does not.
  template <class Clock, class Duration>
  bool wait_until(MutexLock& lock, const std::chrono::time_point<Clock, Duration>& deadline) {
    std::unique_lock<std::mutex> inner(lock.mu_, std::adopt_lock);
    const auto status = cv_.wait_until(inner, deadline);
    inner.release();
    return status == std::cv_status::no_timeout;
  }
  template <class Rep, class Period>
  bool wait_for(MutexLock& lock, const std::chrono::duration<Rep, Period>& timeout) {
    return wait_until(lock, std::chrono::steady_clock::now() + timeout);
  }

  void notify_one() noexcept { cv_.notify_one(); }
  void notify_all() noexcept { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace shelfsync
