#include "feed/retention.hpp"

#include <iostream>

#include "store/store.hpp"

namespace shelfsync {

RetentionJob::RetentionJob(Store& store, std::chrono::seconds retention,
                           std::chrono::seconds interval)
    : store_(store), retention_(retention), interval_(interval) {
  thread_ = std::thread([this] { run(); });
}

RetentionJob::~RetentionJob() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void RetentionJob::run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    try {
      const auto before =
          now_ms() - std::chrono::duration_cast<std::chrono::milliseconds>(retention_).count();
      store_.purge(before);
    } catch (const std::exception& e) {
      std::cerr << "retention: purge failed: " << e.what() << "\n";
    }
    lock.lock();
  }
}

}  // namespace shelfsync
