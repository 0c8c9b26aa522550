#pragma once
// Open connections per key (a client address, a token), capped. A held
// place is released when the last copy of its ticket is dropped, on any
// thread; tickets may outlive the counter. Thread-safe.

#include <cstddef>
#include <memory>
#include <string>

namespace shelfsync {

using Ticket = std::shared_ptr<const void>;

class ConnectionCounter {
 public:
  // max_per_key <= 0: no cap (places are still counted).
  explicit ConnectionCounter(int max_per_key);

  // A place for one more connection of `key`, or null when it has `max_per_key`.
  Ticket try_hold(const std::string& key);

  int open(const std::string& key) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace shelfsync
