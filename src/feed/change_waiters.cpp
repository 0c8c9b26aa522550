#include "feed/change_waiters.hpp"

#include <vector>

#include "store/store.hpp"

namespace shelfsync {

ChangeWaiters::ChangeWaiters(Store& store) : thread_("change-waiters", [this] { return run_due(); }) {
  store.add_commit_listener(
      commits_.guard([this](const std::string& tenant, const std::vector<CommittedChange>& changes) {
        if (!changes.empty()) on_commit(tenant, changes.back().entry.seq);
      }));
}

ChangeWaiters::~ChangeWaiters() {
  // The server has stopped: nobody to answer. Dropped outside the lock.
  std::multimap<Clock::time_point, Waiter> dropped;
  {
    MutexLock lock(&mu_);
    dropped.swap(waiters_);
  }
}

void ChangeWaiters::wait(const std::string& tenant, std::int64_t after_seq, Clock::time_point deadline,
                         std::function<void()> callback) {
  {
    MutexLock lock(&mu_);
    auto head = heads_.find(tenant);
    if (head != heads_.end() && head->second > after_seq) deadline = Clock::now();
    waiters_.emplace(deadline, Waiter{tenant, after_seq, std::move(callback)});
  }
  thread_.poke();
}

std::size_t ChangeWaiters::waiting() const {
  MutexLock lock(&mu_);
  return waiters_.size();
}

void ChangeWaiters::on_commit(const std::string& tenant, std::int64_t head) {
  {
    MutexLock lock(&mu_);
    heads_[tenant] = head;
    const auto now = Clock::now();
    // Move the tenant's waiters to "due now"; the timer thread runs them.
    std::vector<Waiter> due;
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (it->second.tenant == tenant && it->second.after_seq < head) {
        due.push_back(std::move(it->second));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
    for (auto& w : due) waiters_.emplace(now, std::move(w));
  }
  thread_.poke();
}

PeriodicThread::Wake ChangeWaiters::run_due() {
  while (true) {
    std::function<void()> callback;
    {
      MutexLock lock(&mu_);
      if (waiters_.empty()) return PeriodicThread::kNever;
      auto first = waiters_.begin();
      if (first->first > Clock::now()) return first->first;
      callback = std::move(first->second.callback);
      waiters_.erase(first);
    }
    callback();
  }
}

}  // namespace shelfsync
