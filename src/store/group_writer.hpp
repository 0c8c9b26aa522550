#pragma once
// The queue in front of a store's single writer thread, the same for every
// backend: write_async queues a job; the thread takes up to `max_batch`
// queued jobs at a time and hands them to the backend's `run_batch`, which
// runs them in one transaction (group commit) and reports each job's end
// with `finish`. Stopping refuses new jobs and drains the queued ones.

#include <atomic>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "store/store.hpp"
#include "util/mutex.hpp"

namespace shelfsync {

class GroupWriter {
 public:
  struct Job {
    WriteFn fn;
    WriteDone done;
  };
  using RunBatch = std::function<void(const std::vector<Job>& batch)>;

  GroupWriter(std::size_t max_batch, RunBatch run_batch);
  ~GroupWriter();  // stop()
  GroupWriter(const GroupWriter&) = delete;
  GroupWriter& operator=(const GroupWriter&) = delete;

  // Queues a job; once stopping, `done` gets 503 at once.
  void submit(WriteFn fn, WriteDone done) EXCLUDES(mu_);
  // Refuses new jobs, runs those queued, joins the thread. Call it before
  // anything run_batch uses is destroyed.
  void stop() EXCLUDES(mu_);
  // Jobs waiting for the writer now.
  std::int64_t depth() const { return depth_.load(std::memory_order_relaxed); }

  // Hands each job its result; a completion that throws is logged, never
  // allowed to stop the writer.
  static void finish(std::span<const Job> jobs, std::span<std::optional<Problem>> results);
  // What a job that threw answers, logged: a database error inside one
  // mutation (a constraint, a deadlock) 503, anything else 500. The job is
  // undone alone.
  static Problem failed_job(const std::exception& e, bool in_database);

 private:
  void loop() EXCLUDES(mu_);

  const std::size_t max_batch_;
  const RunBatch run_batch_;
  Mutex mu_;
  CondVar cv_;
  std::deque<Job> queue_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::atomic<std::int64_t> depth_{0};  // queue_.size(), readable without the lock
  std::thread thread_;
};

}  // namespace shelfsync
