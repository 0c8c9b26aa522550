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

#include <memory>
#include <string>

#include "store/sqlite/connection.hpp"
#include "util/periodic_thread.hpp"

namespace shelfsync::sqlite {

class Checkpointer {
 public:
  // Frames in the WAL that start a checkpoint (SQLite's default threshold).
  static constexpr int kThresholdFrames = 1000;

  explicit Checkpointer(std::string path);
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Replaces `writer`'s automatic checkpoints with signals to this thread.
  // The connection must be closed before this object is destroyed.
  void attach(Connection& writer);

 private:
  static int on_wal_commit(void* self, sqlite3* db, const char* schema, int frames);
  void checkpoint();

  const std::string path_;
  std::unique_ptr<Connection> db_;  // the thread's own, opened at the first checkpoint
  PeriodicThread thread_;           // last: runs checkpoint() when the hook pokes it
};

}  // namespace shelfsync::sqlite
