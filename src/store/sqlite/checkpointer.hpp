#pragma once
// Moves WAL checkpoints off the writer thread. SQLite's automatic
// checkpoint runs inside the COMMIT that crosses its threshold, so the one
// writer — the store's serialization point — spends that time copying pages
// into the database file while every caller waits. Here the writer's WAL
// hook only signals, and a thread of its own runs a PASSIVE checkpoint
// (the same kind the automatic one is) on its own connection, concurrently
// with the next transactions.
//
// Threading: construct, attach() and destroy on one thread; the hook runs
// on the writer's thread.

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/connection.hpp"

namespace shelfsync::sqlite {

class Checkpointer {
 public:
  // Frames in the WAL that start a checkpoint (SQLite's default threshold).
  static constexpr int kThresholdFrames = 1000;

  explicit Checkpointer(std::string path);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Replaces `writer`'s automatic checkpoints with signals to this thread.
  // The connection must be closed before this object is destroyed.
  void attach(Connection& writer);

 private:
  static int on_wal_commit(void* self, sqlite3* db, const char* schema, int frames);
  void loop();

  const std::string path_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool due_ = false;       // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace shelfsync::sqlite
