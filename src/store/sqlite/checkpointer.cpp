#include "store/sqlite/checkpointer.hpp"

#include <pthread.h>

#include <iostream>

namespace shelfsync::sqlite {

Checkpointer::Checkpointer(std::string path) : path_(std::move(path)) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "store-ckpt");
    loop();
  });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void Checkpointer::attach(Connection& writer) {
  // Installing a WAL hook also turns SQLite's automatic checkpoint off.
  sqlite3_wal_hook(writer.handle(), &Checkpointer::on_wal_commit, this);
}

int Checkpointer::on_wal_commit(void* self, sqlite3*, const char*, int frames) {
  if (frames < kThresholdFrames) return SQLITE_OK;
  auto* me = static_cast<Checkpointer*>(self);
  {
    std::lock_guard lock(me->mu_);
    me->due_ = true;
  }
  me->cv_.notify_one();
  return SQLITE_OK;
}

void Checkpointer::loop() {
  std::unique_ptr<Connection> db;
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return due_ || stopping_; });
      if (stopping_) return;
      due_ = false;
    }
    try {
      if (!db) db = std::make_unique<Connection>(path_);
      int log = 0, done = 0;
      const int rc = sqlite3_wal_checkpoint_v2(db->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                               &log, &done);
      // BUSY: another checkpoint is running; the next commit asks again.
      if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        std::cerr << "store: checkpoint failed: " << sqlite3_errmsg(db->handle()) << "\n";
    } catch (const std::exception& e) {
      std::cerr << "store: checkpoint failed: " << e.what() << "\n";
      db.reset();
    }
  }
}

}  // namespace shelfsync::sqlite
