#pragma once
// Revocation reaches open live connections: `token revoke` is another
// process writing the database, so every `interval` a thread of its own
// looks up each distinct token of the open sessions once and closes the
// sessions of a token that is revoked or gone (SPEC §3). Off the IO and hub
// threads: the lookups block on the store.

#include <chrono>
#include <cstddef>

#include "util/periodic_thread.hpp"

namespace shelfsync {

class Store;

namespace live {

class Registry;

class TokenRecheck {
 public:
  TokenRecheck(Store& store, Registry& sessions, std::chrono::milliseconds interval);
  TokenRecheck(const TokenRecheck&) = delete;
  TokenRecheck& operator=(const TokenRecheck&) = delete;

  // One pass, on the calling thread: returns how many sessions it closed.
  std::size_t check_now();

 private:
  Store& store_;
  Registry& sessions_;
  PeriodicThread thread_;  // last: runs check_now() on the members above
};

}  // namespace live
}  // namespace shelfsync
