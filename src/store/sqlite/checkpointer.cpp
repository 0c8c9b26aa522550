#include "store/sqlite/checkpointer.hpp"

#include <iostream>

namespace shelfsync::sqlite {

Checkpointer::Checkpointer(std::string path)
    : path_(std::move(path)), thread_("store-ckpt", [this] {
        checkpoint();
        return PeriodicThread::Wake(PeriodicThread::kNever);  // until the next commit crosses the threshold
      }) {}

void Checkpointer::attach(Connection& writer) {
  // Installing a WAL hook also turns SQLite's automatic checkpoint off.
  sqlite3_wal_hook(writer.handle(), &Checkpointer::on_wal_commit, this);
}

int Checkpointer::on_wal_commit(void* self, sqlite3*, const char*, int frames) {
  if (frames >= kThresholdFrames) static_cast<Checkpointer*>(self)->thread_.poke();
  return SQLITE_OK;
}

void Checkpointer::checkpoint() {
  try {
    if (!db_) db_ = std::make_unique<Connection>(path_);
    int log = 0, done = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    // BUSY: another checkpoint is running; the next commit asks again.
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
      std::cerr << "store: checkpoint failed: " << sqlite3_errmsg(db_->handle()) << "\n";
  } catch (const std::exception& e) {
    std::cerr << "store: checkpoint failed: " << e.what() << "\n";
    db_.reset();
  }
}

}  // namespace shelfsync::sqlite
