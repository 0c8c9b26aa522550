#pragma once
// Keeps the change log and tombstones for `retention`, purging older ones
// every `interval` on a thread of its own. A cursor older than what is kept
// answers 410 cursor_expired (sync) or `reset` (live).

#include <chrono>

#include "util/periodic_thread.hpp"

namespace shelfsync {

class Store;

class RetentionJob {
 public:
  RetentionJob(Store& store, std::chrono::seconds retention, std::chrono::seconds interval);

 private:
  void purge();

  Store& store_;
  const std::chrono::seconds retention_;
  PeriodicThread thread_;  // last: runs purge() on the members above
};

}  // namespace shelfsync
