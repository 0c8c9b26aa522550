#pragma once
// The live hub (SPEC §7, docs/architecture.md "Live core"): every live
// subscription is a cursor into its tenant's change log plus a ReaderView.
// One code path, pump(), delivers everything: advance the cursor through the
// ring of recent changes (or through Store::replay when the cursor fell out
// of the ring), filter, coalesce within the batch window, send.
//
// Threading: all hub state lives on the hub's own thread; every public
// method is thread-safe and only posts work there. Blocking store calls
// (snapshot, replay, horizon) run through `run_blocking` (a worker pool),
// never on the hub thread or an IO thread. The hub registers itself as the
// store's commit listener; that listener only enqueues and returns.
//
// Lifetime: construct before the server accepts; destroy after every
// transport thread has stopped (it waits for its store calls in flight).

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "feed/live_connection.hpp"
#include "feed/subscribe_request.hpp"
#include "feed/view.hpp"
#include "store/store.hpp"

namespace shelfsync {

// Runs a blocking task on a worker thread (e.g. posts it to a thread pool).
using BlockingRunner = std::function<void(std::function<void()>)>;

struct HubOptions {
  // Recent changes kept per tenant. Each entry holds parsed documents, so
  // this bounds the hub's memory (a few KiB to tens of KiB an entry); a
  // reader further behind is caught up from the store.
  std::size_t ring_capacity = 4096;
  std::size_t high_water = kLiveQueueHighWater;
  std::size_t low_water = kLiveQueueLowWater;
  std::size_t chunk = 500;                              // records per snapshot/replay message
  std::size_t max_subscriptions = 100;                  // per connection
  std::size_t max_filter_ids = kMaxFilterIds;           // in one subscription's ids filter, watches included
  std::size_t max_ws_message = std::size_t{64} * 1024;  // bytes of one client message (read by the WebSocket session)
  // Told of every subscription as it is asked for, on the asking thread:
  // what keeps a topic's records on demand (the stats publisher) hears
  // that someone follows them. Must not block.
  std::function<void(const std::string& tenant, std::string_view topic)> on_subscribe;
};

// Why versions of a record were collapsed into its latest (coalesced), and
// why a subscription read the log from the store instead of the ring.
enum class CatchUpReason {
  window,       // the subscription's batch_ms window (coalescing only)
  replay,       // a snapshot settling, a subscribe with `since`, a watch
  slow_reader,  // the connection's socket did not take the bytes (flow control)
  ring,         // a live reader's cursor fell out of the ring of recent changes
};
inline constexpr int kCatchUpReasons = 4;
const char* reason_name(CatchUpReason reason);

struct HubStats {
  std::int64_t connections_ws = 0;
  std::int64_t connections_sse = 0;
  std::int64_t subscriptions = 0;
  std::int64_t topics = 0;  // distinct (tenant, topic) with a subscriber
  std::int64_t pending_batches = 0;
  std::int64_t ring_entries = 0;
  std::int64_t delivered_ws = 0;
  std::int64_t delivered_sse = 0;
  std::int64_t cursor = 0;                       // the newest seq seen over all tenants
  std::int64_t followed_ids = 0;                 // ids held by ids filters (watches included), over all subscriptions
  std::int64_t catchups[kCatchUpReasons] = {};   // store reads, by CatchUpReason (never `window`)
  std::int64_t coalesced[kCatchUpReasons] = {};  // versions not sent, by CatchUpReason
};

struct WatchRequest {
  std::string sub;
  std::vector<std::string> add;
  std::vector<std::string> remove;
};

class Hub {
 public:
  using ConnId = std::uint64_t;

  Hub(Store& store, BlockingRunner run_blocking, const HubOptions& options = {});
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  const HubOptions& options() const;

  // Registers a connection; the hub keeps it until detach().
  ConnId attach(const std::shared_ptr<LiveConnection>& connection);
  // Ends every subscription of the connection. Call when it closes.
  void detach(ConnId id);

  // Starts a subscription: snapshot (or replay from `since`), `subscribed`,
  // then live. Errors (duplicate_sub, too many subscriptions) and `reset`
  // (cursor_expired) go to the connection.
  void subscribe(ConnId id, SubscribeRequest request);
  // Changes an ids filter in place: added ids get their current state as
  // upsert; removed ids are no longer delivered. Error unknown_sub/bad_filter.
  void watch(ConnId id, WatchRequest request);
  void unsubscribe(ConnId id, std::string sub);

  // Any thread; figures for /health and /metrics.
  HubStats stats() const;

  // The hub's tenant-side logic, on the hub thread.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace shelfsync
