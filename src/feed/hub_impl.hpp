#pragma once
// Internals of the Hub, shared by hub.cpp (threads, API, subscribe) and
// hub_pump.cpp (the delivery path). Everything here runs on the hub thread
// unless marked otherwise; nothing is locked but the two marked below.

#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "feed/hub.hpp"
#include "feed/hub_interest.hpp"
#include "feed/hub_messages.hpp"
#include "feed/reader.hpp"
#include "feed/subscribe_request.hpp"
#include "util/mutex.hpp"

namespace shelfsync {

struct TenantState;

// A live subscription: a reader (view, cursor, pending batch, the snapshot's
// pages; feed/reader.hpp) plus what its transport needs — flow control, the
// batch window, watches waiting for `subscribed`.
struct Subscription {
  Subscription(Hub::ConnId conn_id, SubscribeRequest& req)
      : conn(conn_id), batch_ms(req.batch_ms), reader(std::move(req.view), req.mode), sub(std::move(req.sub)) {}

  // What a commit's fan-out reads of every subscription comes first, so it
  // touches few cache lines per subscription.
  Hub::ConnId conn = 0;
  TenantState* tenant = nullptr;  // its tenant's ring and index (tenants are never erased)
  int batch_ms = 0;
  bool live = false;  // `subscribed` was sent
  bool busy = false;  // a store call for it is in flight; don't pump
  bool ended = false;
  bool replaying = false;  // catching up: coalesce like a replay until the ring's end
  bool timer_armed = false;
  bool flush_due = false;                               // the window closed while the connection was full
  bool counted_pending = false;                         // counted in the pending_batches gauge
  CatchUpReason replay_reason = CatchUpReason::replay;  // why, while replaying
  // Set by the pump when the subscription has consumed the ring to its end
  // and waits for nothing (live, idle, nothing pending): the cursor then.
  // While it still equals the cursor, every later entry the hub appended came
  // from a commit that did not concern it (else it would have been pumped),
  // so the next commit that does may move the cursor past them unread.
  // -1: not idle (or its filter is changing).
  std::int64_t idle_at = -1;
  std::uint64_t interest_round = 0;  // InterestIndex::collect's mark
  // The store's log reached this seq when last read: the subscription must
  // consume it before the end of the ring means "up to date".
  std::int64_t catch_up_to = 0;
  std::uint64_t window = 0;  // bumped by each flush; a stale timer sees it changed

  Reader reader;    // the view, the cursor, the pending batch, the snapshot's pages
  std::string sub;  // the client's name for it
  // Watches that arrived before `subscribed` or while a read was in flight,
  // applied once live and not busy (net ids).
  std::set<std::string> watch_add, watch_remove;
  // The batch window; made on first use, as most subscriptions have none (batch_ms 0).
  std::unique_ptr<boost::asio::steady_timer> timer;

  const ReaderView& view() const { return reader.view(); }
  std::int64_t cursor() const { return reader.cursor(); }
};

struct ConnState {
  std::shared_ptr<LiveConnection> conn;
  bool ws = true;
  std::map<std::string, std::shared_ptr<Subscription>> subs;
  // A snapshot page is being read for one of its subscriptions: the others
  // wait, so a connection holds one page at a time, not one per subscription.
  bool reading_page = false;
};

struct TenantState {
  TenantState(std::size_t capacity, std::atomic<std::int64_t>* followed_ids) : ring(capacity), interest(followed_ids) {}
  TenantRing ring;
  InterestIndex interest;  // every live subscription of the tenant
  // The hub saw every commit from this seq on, in order (0: none yet); an
  // idle subscription may skip only what the hub saw and judged.
  std::int64_t contiguous_from = 0;
  // Customers whose kind the hub saw change, with their kind now: a
  // subscription whose token was read before the change takes it from here.
  std::unordered_map<std::string, CustomerKind> customer_kinds;
};

struct Hub::Impl {
  Impl(Store& store, BlockingRunner run_blocking, HubOptions options);

  Store& store;
  BlockingRunner run_blocking;
  HubOptions options;
  boost::asio::io_context ioc;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
  std::thread thread;

  // The commit listener outlives the hub (the store keeps it); it reaches
  // the hub only through this gate.
  struct ListenerGate {
    Mutex mu;
    Impl* impl GUARDED_BY(mu) = nullptr;
  };
  std::shared_ptr<ListenerGate> gate;

  std::unordered_map<ConnId, ConnState> conns;
  std::unordered_map<std::string, TenantState> tenants;
  // Live subscriptions per (tenant, topic), for the topics gauge.
  std::map<std::pair<std::string, std::string>, int> topic_subs;
  std::atomic<ConnId> next_conn{1};
  MessageCache messages;

  // Store calls in flight; ~Hub waits for them (any thread).
  Mutex jobs_mu;
  CondVar jobs_cv;
  int jobs GUARDED_BY(jobs_mu) = 0;

  struct Counters {
    std::atomic<std::int64_t> connections_ws{0}, connections_sse{0}, subscriptions{0}, topics{0}, pending_batches{0},
        ring_entries{0}, delivered_ws{0}, delivered_sse{0}, cursor{0}, followed_ids{0};
    std::atomic<std::int64_t> catchups[kCatchUpReasons] = {}, coalesced[kCatchUpReasons] = {};
  } counters;

  // hub.cpp
  template <class Fn>
  void post(Fn fn);
  // Runs `work` on a worker thread, then `done(result)` on the hub thread.
  template <class Work, class Done>
  void blocking(Work work, Done done);
  void on_commit(const std::string& tenant, std::vector<CommittedChange> changes);
  // hub_customer_kinds.cpp: a customer whose kind changes is rendered in its
  // new projection from that change on, on every subscription it holds.
  void follow_customer_kinds(TenantState& t, const std::string& tenant, const std::vector<CommittedChange>& changes);
  void apply_customer_kind(Principal& who);
  void do_subscribe(ConnId id, SubscribeRequest request);
  void do_watch(ConnId id, WatchRequest request);
  void end(Subscription& s);
  // The subscriptions and topics gauges, kept as subscriptions start and end.
  void count_subscription(const Subscription& s, int delta);
  TenantState& tenant(const std::string& id);

  // hub_pump.cpp
  // Delivers what `s` may send now (pump_once), then notes whether it is idle.
  void pump(const std::shared_ptr<Subscription>& s);
  void pump_once(const std::shared_ptr<Subscription>& s);
  // Sets s.idle_at from its state now.
  void note_idle(Subscription& s);
  void wake(ConnId id);
  // Reads the log after s.cursor from the store (s.replaying from here on).
  void start_catchup(const std::shared_ptr<Subscription>& s, CatchUpReason reason);
  // Coalesces from here until the ring's end, for `reason` (unless it already does).
  static void start_replaying(Subscription& s, CatchUpReason reason) {
    if (!s.replaying) s.replay_reason = reason;
    s.replaying = true;
  }
  // A slow reader (batch_ms 0 fallen a batch behind) whose socket has not
  // yet taken what it holds.
  static bool slow_and_writing(const Subscription& s, const ConnState& c) {
    return s.replaying && s.replay_reason == CatchUpReason::slow_reader && s.batch_ms == 0 &&
           c.conn->queued_bytes() > 0;
  }
  void apply_replay(Subscription& s, const ReplayPage& page);
  // Reads the next snapshot page if the connection has room, sends it, and
  // once the last is read, starts the replay that settles the snapshot.
  void read_snapshot_page(const std::shared_ptr<Subscription>& s);
  // The snapshot has settled at s.cursor: flush, `subscribed`, deferred watches.
  void go_live(const std::shared_ptr<Subscription>& s, ConnState& c);
  // Applies the watches deferred while not live or busy; false if there were none.
  bool apply_deferred_watch(const std::shared_ptr<Subscription>& s);
  void add_pending(Subscription& s, const std::string& id, Frame frame, bool coalesce);
  void schedule_flush(const std::shared_ptr<Subscription>& s);
  void flush(Subscription& s);
  // One change to a live, idle, unbatched subscription: sent as is.
  bool send_at_once(Subscription& s, ConnState& c, TenantRing& ring);
  void send_changes(ConnState& c, const Subscription& s, std::optional<std::int64_t> cursor,
                    std::span<const Frame> frames);
  void sync_pending(Subscription& s);
  // Ends `s` with an error (or `reset`) and forgets it.
  void fail(Subscription& s, ErrorCode code, std::string_view message);
  ConnState* conn_of(const Subscription& s);
  bool over_high(const ConnState& c) const { return c.conn->queued_bytes() > options.high_water; }
};

// Every hub task runs inside a SendBatch: a fan-out wakes the connections'
// writers in groups, not one post per connection.
template <class Fn>
void Hub::Impl::post(Fn fn) {
  boost::asio::post(ioc, [fn = std::move(fn)]() mutable {
    SendBatch batch;
    fn();
  });
}

template <class Work, class Done>
void Hub::Impl::blocking(Work work, Done done) {
  {
    MutexLock lock(&jobs_mu);
    ++jobs;
  }
  run_blocking([this, work = std::move(work), done = std::move(done)]() mutable {
    // A failing store call must not vanish: it ends as an empty result the
    // `done` side turns into an error for the subscriber.
    std::optional<decltype(work())> result;
    try {
      result.emplace(work());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "hub: store call failed: %s\n", e.what());
    }
    post([done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
    MutexLock lock(&jobs_mu);
    if (--jobs == 0) jobs_cv.notify_all();
  });
}

}  // namespace shelfsync
