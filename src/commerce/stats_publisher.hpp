#pragma once
// Keeps each shop's `stats` records (domain/stats_collection.hpp) current.
// After commits that touch orders, bills or products it recomputes the
// tenant's figures and writes a new version of a record only if its figures
// changed, coalesced: at most one pass per tenant every kStatsMinInterval.
// A timer rewrites them when time alone changes them (the shop's midnight,
// an open bill falling due): each record's next such instant is its timed
// index key, so the timer finds what is due across tenants, also after a
// restart. Everything it writes goes through the change log, so WebSocket,
// SSE, resume and /api/sync carry the figures like any record.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace shelfsync {

class Store;

inline constexpr auto kStatsMinInterval = std::chrono::milliseconds(250);

class StatsPublisher {
 public:
  // Adds a commit listener to `store` (construct it before the first write)
  // and starts the publisher thread.
  explicit StatsPublisher(Store& store);
  // Stops the thread; a pass being written is finished first.
  ~StatsPublisher();

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
  void run();
  // Whether the tenant's figures are kept: followed, or records stored.
  bool followed(const std::string& tenant);
  // Recomputes and writes the tenant's records; false if the store failed.
  bool publish(const std::string& tenant);
  // Adds the tenants whose records' timed key is due to `due`.
  void collect_due(std::set<std::string>& due);

  Store& store_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;          // guarded by mu_
  std::set<std::string> followed_;  // guarded by mu_: asked for since start
  std::set<std::string> dirty_;    // guarded by mu_: tenants to recompute
  std::thread thread_;
};

}  // namespace shelfsync
