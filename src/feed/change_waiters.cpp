#include "feed/change_waiters.hpp"

#include <vector>

#include "store/store.hpp"

namespace shelfsync {

ChangeWaiters::ChangeWaiters(Store& store) {
  store.add_commit_listener([this](const std::string& tenant,
                                   const std::vector<CommittedChange>& changes) {
    if (!changes.empty()) on_commit(tenant, changes.back().entry.seq);
  });
  thread_ = std::thread([this] { run(); });
}

ChangeWaiters::~ChangeWaiters() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ChangeWaiters::wait(const std::string& tenant, std::int64_t after_seq,
                         Clock::time_point deadline, std::function<void()> callback) {
  {
    std::lock_guard lock(mu_);
    auto head = heads_.find(tenant);
    if (head != heads_.end() && head->second > after_seq) deadline = Clock::now();
    waiters_.emplace(deadline, Waiter{tenant, after_seq, std::move(callback)});
  }
  cv_.notify_all();
}

std::size_t ChangeWaiters::waiting() const {
  std::lock_guard lock(mu_);
  return waiters_.size();
}

void ChangeWaiters::on_commit(const std::string& tenant, std::int64_t head) {
  {
    std::lock_guard lock(mu_);
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
  cv_.notify_all();
}

void ChangeWaiters::run() {
  std::unique_lock lock(mu_);
  while (true) {
    if (stopping_) return;  // the server has stopped: nobody to answer
    if (waiters_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto first = waiters_.begin();
    // A copy: the node may be erased (on_commit) while we wait.
    const Clock::time_point due = first->first;
    if (due > Clock::now()) {
      cv_.wait_until(lock, due);
      continue;
    }
    auto callback = std::move(first->second.callback);
    waiters_.erase(first);
    lock.unlock();
    callback();
    lock.lock();
  }
}

}  // namespace shelfsync
