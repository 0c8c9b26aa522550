#pragma once
// Cluster-wide leases on PostgreSQL: a session advisory lock per duty, held
// on a connection of their own. PostgreSQL drops the lock when that
// connection ends (the node died, or lost the database), so another node
// takes the duty at its next ask; a holder checks its connection at most
// every kRecheck, so two nodes overlap at most that long after a silent
// loss (which at-least-once delivery allows).

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "store/postgres/connection.hpp"
#include "util/mutex.hpp"

namespace shelfsync::pg {

class Leases {
 public:
  explicit Leases(std::string url) : url_(std::move(url)) {}
  bool holds(const std::string& duty) EXCLUDES(mu_);

 private:
  static constexpr auto kRecheck = std::chrono::milliseconds(500);
  struct State {
    bool held = false;
    std::chrono::steady_clock::time_point checked{};
  };

  const std::string url_;
  Mutex mu_;
  std::unique_ptr<Connection> db_ GUARDED_BY(mu_) PT_GUARDED_BY(mu_);
  std::map<std::string, State> duties_ GUARDED_BY(mu_);
};

}  // namespace shelfsync::pg
