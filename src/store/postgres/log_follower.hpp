#pragma once
// Hands every change committed to the log, by this node or any other, to
// this node's commit listeners: per tenant in seq order, each once.
//
// This node's writer hands over its own changes after each commit (with
// the state before each, which only it knows). Other nodes' commits arrive
// by PostgreSQL's LISTEN/NOTIFY: each group commit sends one notification,
// "<node> <tenant>:<seq> ...", delivered with the commit; the follower then
// reads the range it has not handed over from the log (each change carries
// its record's state) and hands it over. A notification can be lost (the
// connection drops, the node restarts): the follower also compares every
// tenant's head with what it handed over every second, and after each
// reconnect, so it catches up by itself.

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/connection.hpp"
#include "store/store.hpp"
#include "util/mutex.hpp"

namespace shelfsync::pg {

inline constexpr const char* kLogChannel = "shelfsync_log";

class LogFollower {
 public:
  using Deliver = std::function<void(const std::string& tenant, const std::vector<CommittedChange>& changes)>;

  // `db`: reads every tenant's head now; changes before them are the
  // store's to replay, not the listeners'.
  LogFollower(std::string url, std::string node, Connection& db, Deliver deliver);
  ~LogFollower();
  LogFollower(const LogFollower&) = delete;
  LogFollower& operator=(const LogFollower&) = delete;

  // Held by the writer from before its COMMIT until it has handed over its
  // changes: meanwhile the follower hands over nothing, so no reader hears
  // of a write before its caller is answered, and none out of order.
  Mutex& gate() RETURN_CAPABILITY(gate_) { return gate_; }

  // The notification payload for a commit of these changes.
  std::string payload(const std::map<std::string, std::vector<CommittedChange>>& changes) const;
  // After this node's commit, under gate(): hands over these changes, after
  // any other node's before them (read on `db`, the writer's connection).
  void committed(const std::map<std::string, std::vector<CommittedChange>>& changes, Connection& db) REQUIRES(gate_)
      EXCLUDES(mu_);

 private:
  void run() EXCLUDES(gate_, mu_);
  void on_notification(const std::string& payload, Connection& db) EXCLUDES(gate_, mu_);
  void check_heads(Connection& db) REQUIRES(gate_, mu_);
  // Hands over (delivered, up_to] of the tenant's log, read on `db`. Every
  // hand-over happens under the gate.
  void catch_up(const std::string& tenant, std::int64_t up_to, Connection& db) REQUIRES(gate_, mu_);

  const std::string url_;
  const std::string node_;
  const Deliver deliver_;
  Mutex gate_;  // gate(); taken before mu_
  Mutex mu_;
  std::map<std::string, std::int64_t> delivered_ GUARDED_BY(mu_);  // per tenant, handed over up to here
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace shelfsync::pg
