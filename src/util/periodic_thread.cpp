#include "util/periodic_thread.hpp"

#include <pthread.h>

#include <iostream>

namespace shelfsync {

PeriodicThread::PeriodicThread(std::string name, std::chrono::milliseconds interval, std::function<void()> tick)
    : PeriodicThread(
          std::move(name),
          [interval, tick = std::move(tick)]() -> Wake {
            tick();
            return std::chrono::steady_clock::now() + interval;
          },
          std::chrono::steady_clock::now() + interval, interval) {}

PeriodicThread::PeriodicThread(std::string name, std::function<Wake()> tick)
    : PeriodicThread(std::move(name), std::move(tick), kNever, kAfterThrow) {}

PeriodicThread::PeriodicThread(std::string name, std::function<Wake()> tick, Wake first,
                               std::chrono::milliseconds after_throw)
    : name_(std::move(name)), tick_(std::move(tick)), first_(first), after_throw_(after_throw) {
  thread_ = std::thread([this] { run(); });  // last: the members above are ready
}

PeriodicThread::~PeriodicThread() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void PeriodicThread::poke() {
  {
    MutexLock lock(&mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

template <class TimePoint>
void PeriodicThread::sleep_until(MutexLock& lock, TimePoint at) {
  while (!stopping_ && !poked_ && TimePoint::clock::now() < at) {
    if (at == TimePoint::max())
      cv_.wait(lock);
    else
      cv_.wait_until(lock, at);
  }
}

void PeriodicThread::run() {
  pthread_setname_np(pthread_self(), name_.substr(0, 15).c_str());
  Wake next = first_;
  MutexLock lock(&mu_);
  while (true) {
    if (const auto* at = std::get_if<SteadyTime>(&next))
      sleep_until(lock, *at);
    else
      sleep_until(lock, std::get<SystemTime>(next));
    if (stopping_) return;
    poked_ = false;  // what pokes from here on, the tick may not have seen
    lock.unlock();
    try {
      next = tick_();
    } catch (const std::exception& e) {
      std::cerr << name_ << ": " << e.what() << "\n";
      next = std::chrono::steady_clock::now() + after_throw_;
    }
    lock.lock();
  }
}

}  // namespace shelfsync
