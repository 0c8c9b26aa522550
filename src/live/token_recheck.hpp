#pragma once
// Revocation reaches open live connections: `token revoke` is another
// process writing the database, so every `interval` a thread of its own
// looks up each distinct token of the open sessions once and closes the
// sessions of a token that is revoked or gone (SPEC §3). Off the IO and hub
// threads: the lookups block on the store.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace shelfsync {

class Store;

namespace live {

class Registry;

class TokenRecheck {
 public:
  TokenRecheck(Store& store, Registry& sessions, std::chrono::milliseconds interval);
  ~TokenRecheck();
  TokenRecheck(const TokenRecheck&) = delete;
  TokenRecheck& operator=(const TokenRecheck&) = delete;

  // One pass, on the calling thread: returns how many sessions it closed.
  std::size_t check_now();

 private:
  void run();

  Store& store_;
  Registry& sessions_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace live
}  // namespace shelfsync
