#include "util/periodic_thread.hpp"

#include <pthread.h>

#include <iostream>

namespace shelfsync {

PeriodicThread::PeriodicThread(std::string name, std::chrono::milliseconds interval,
                               std::function<void()> tick)
    : name_(std::move(name)), interval_(interval), tick_(std::move(tick)), thread_([this] { run(); }) {}

PeriodicThread::~PeriodicThread() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void PeriodicThread::run() {
  pthread_setname_np(pthread_self(), name_.substr(0, 15).c_str());
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    try {
      tick_();
    } catch (const std::exception& e) {
      std::cerr << name_ << ": " << e.what() << "\n";
    }
    lock.lock();
  }
}

}  // namespace shelfsync
