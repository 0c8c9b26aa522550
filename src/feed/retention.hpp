#pragma once
// Keeps the change log and tombstones for `retention`, purging older ones
// every `interval` on a thread of its own. A cursor older than what is kept
// answers 410 cursor_expired (sync) or `reset` (live).

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace shelfsync {

class Store;

class RetentionJob {
 public:
  RetentionJob(Store& store, std::chrono::seconds retention, std::chrono::seconds interval);
  ~RetentionJob();

 private:
  void run();

  Store& store_;
  const std::chrono::seconds retention_;
  const std::chrono::seconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace shelfsync
