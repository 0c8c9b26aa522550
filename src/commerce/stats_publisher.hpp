#pragma once
// Keeps each shop's `stats` records (domain/stats_collection.hpp) current.
// After commits that touch orders, bills or products it recomputes the
// tenant's figures and writes a new version of a record only if its figures
// changed, coalesced: at most one pass per tenant every kStatsMinInterval.
// A timer rewrites them when time alone changes them (the shop's midnight,
// an open bill falling due): each record's next such instant is its timed
// index key, so the timer finds what is due across tenants, also after a
// restart. What commits ask for is kept in memory only, so a crash takes the
// pass that would have followed the last commits before it: the first pass
// after a start recomputes every shop whose figures are kept (writing only
// the records whose figures changed). Everything it writes goes through the
// change log, so WebSocket, SSE, resume and /api/sync carry the figures like
// any record.

#include <chrono>
#include <set>
#include <string>

#include "util/listener_gate.hpp"
#include "util/mutex.hpp"
#include "util/periodic_thread.hpp"

namespace shelfsync {

class Store;

inline constexpr auto kStatsMinInterval = std::chrono::milliseconds(250);

class StatsPublisher {
 public:
  // Adds a commit listener to `store` (construct it before the first write)
  // and starts the publisher thread.
  explicit StatsPublisher(Store& store);

  StatsPublisher(const StatsPublisher&) = delete;
  StatsPublisher& operator=(const StatsPublisher&) = delete;

  // Asks for a pass over `tenant` (its time zone changed, a commit touched
  // its figures). A pass writes only for a followed tenant.
  void refresh(const std::string& tenant);
  // A reader asked for the tenant's figures (a `stats` subscription, a sync
  // naming `stats`, GET /api/stats): from now on its records are kept,
  // written at once if missing. A shop that never looks at its figures has
  // none in its log; once written, its records keep it followed (restarts
  // included).
  void follow(const std::string& tenant);

 private:
  // A pass over the dirty and due tenants, unless it is too soon after the
  // last one; returns when to look again.
  PeriodicThread::Wake tick();
  // Whether the tenant's figures are kept: followed, or records stored.
  bool followed(const std::string& tenant) EXCLUDES(mu_);
  // Recomputes and writes the tenant's records; false if the store failed.
  bool publish(const std::string& tenant);
  // Adds the tenants whose records' timed key is due to `due`.
  void collect_due(std::set<std::string>& due);
  // Adds every tenant whose figures are kept (records stored) to `tenants`.
  void collect_kept(std::set<std::string>& tenants);

  Store& store_;
  Mutex mu_;
  std::set<std::string> followed_ GUARDED_BY(mu_);  // asked for since start
  std::set<std::string> dirty_ GUARDED_BY(mu_);     // tenants to recompute
  // The thread's own: commits wait for the next pass until quiet_until_
  // (coalescing), and the timed keys need none before next_due_.
  PeriodicThread::SteadyTime quiet_until_{};
  PeriodicThread::SystemTime next_due_{};
  bool swept_ = false;  // the first pass read every kept tenant
  // Starts once the members above are ready, and stops after the gate (a
  // pass being written is finished). Poked when a tenant turns dirty.
  PeriodicThread thread_;
  // Last, so closed first: the store keeps the commit listener, and a commit
  // after the publisher went must not reach it.
  ListenerGate commits_;
};

}  // namespace shelfsync
