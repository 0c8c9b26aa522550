#include "store/group_writer.hpp"

#include <pthread.h>

#include <iostream>

namespace shelfsync {

GroupWriter::GroupWriter(std::size_t max_batch, RunBatch run_batch)
    : max_batch_(max_batch), run_batch_(std::move(run_batch)) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "store-writer");  // in top -H, perf, gdb
    loop();
  });
}

GroupWriter::~GroupWriter() { stop(); }

void GroupWriter::submit(WriteFn fn, WriteDone done) {
  {
    MutexLock lock(&mu_);
    if (!stopping_) {
      queue_.push_back(Job{std::move(fn), std::move(done)});
      depth_.store(static_cast<std::int64_t>(queue_.size()), std::memory_order_relaxed);
      cv_.notify_one();
      return;
    }
  }
  done(Problem::unavailable("the store is shutting down"));
}

void GroupWriter::stop() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void GroupWriter::loop() {
  std::vector<Job> batch;
  while (true) {
    {
      MutexLock lock(&mu_);
      while (!stopping_ && queue_.empty()) cv_.wait(lock);
      if (queue_.empty()) return;  // stopping, and nothing left to write
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      depth_.store(static_cast<std::int64_t>(queue_.size()), std::memory_order_relaxed);
    }
    run_batch_(batch);
    batch.clear();
  }
}

void GroupWriter::finish(std::span<const Job> jobs, std::span<std::optional<Problem>> results) {
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    try {
      jobs[i].done(std::move(results[i]));
    } catch (const std::exception& e) {  // a caller's bug must not stop the writer
      std::cerr << "store: a write's completion threw: " << e.what() << "\n";
    }
  }
}

Problem GroupWriter::failed_job(const std::exception& e, bool in_database) {
  if (in_database) {
    std::cerr << "store: mutation failed: " << e.what() << "\n";
    return Problem::unavailable("the write failed in the database; nothing was changed");
  }
  std::cerr << "store: mutation threw: " << e.what() << "\n";
  return Problem::internal("the write failed; nothing was changed");
}

}  // namespace shelfsync
