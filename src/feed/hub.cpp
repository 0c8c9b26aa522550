#include "feed/hub.hpp"

#include <pthread.h>

#include <set>
#include <utility>

#include "feed/hub_impl.hpp"

namespace shelfsync {

Hub::Impl::Impl(Store& s, BlockingRunner runner, HubOptions o)
    : store(s),
      run_blocking(std::move(runner)),
      options(std::move(o)),
      work(ioc.get_executor()),
      gate(std::make_shared<ListenerGate>()) {
  gate->impl = this;
}

TenantState& Hub::Impl::tenant(const std::string& id) {
  auto it = tenants.find(id);
  if (it == tenants.end()) it = tenants.emplace(id, TenantState(options.ring_capacity, &counters.followed_ids)).first;
  return it->second;
}

Hub::Hub(Store& store, BlockingRunner run_blocking, const HubOptions& options)
    : impl_(std::make_unique<Impl>(store, std::move(run_blocking), options)) {
  auto* impl = impl_.get();
  impl->thread = std::thread([impl] {
    pthread_setname_np(pthread_self(), "live-hub");
    impl->ioc.run();
  });
  // Runs on the store's writer thread: copy and enqueue, nothing else. The
  // store cannot drop a listener, so it goes through a gate ~Hub closes.
  store.add_commit_listener(
      [gate = impl->gate](const std::string& tenant, const std::vector<CommittedChange>& changes) {
        MutexLock lock(&gate->mu);
        if (auto* impl = gate->impl) impl->post([impl, tenant, changes] { impl->on_commit(tenant, changes); });
      });
}

const HubOptions& Hub::options() const { return impl_->options; }  // set once, never changed

Hub::~Hub() {
  {
    MutexLock lock(&impl_->gate->mu);
    impl_->gate->impl = nullptr;
  }
  {
    MutexLock lock(&impl_->jobs_mu);
    while (impl_->jobs != 0) impl_->jobs_cv.wait(lock);
  }
  impl_->work.reset();
  impl_->ioc.stop();
  impl_->thread.join();
}

Hub::ConnId Hub::attach(const std::shared_ptr<LiveConnection>& connection) {
  const ConnId id = impl_->next_conn++;
  auto* impl = impl_.get();
  connection->set_wake_callback([impl, id] { impl->post([impl, id] { impl->wake(id); }); });
  impl->post([impl, id, connection] {
    const bool ws = connection->transport() == "ws";
    (ws ? impl->counters.connections_ws : impl->counters.connections_sse)++;
    impl->conns.emplace(id, ConnState{connection, ws, {}});
  });
  return id;
}

void Hub::detach(ConnId id) {
  auto* impl = impl_.get();
  impl->post([impl, id] {
    auto it = impl->conns.find(id);
    if (it == impl->conns.end()) return;
    for (auto& [name, sub] : it->second.subs) impl->end(*sub);
    (it->second.ws ? impl->counters.connections_ws : impl->counters.connections_sse)--;
    // The wake callback holds no reference to the connection; dropping ours
    // lets the transport go.
    impl->conns.erase(it);
  });
}

void Hub::subscribe(ConnId id, SubscribeRequest request) {
  auto* impl = impl_.get();
  if (impl->options.on_subscribe) impl->options.on_subscribe(request.view.who.tenant, request.view.topic());
  impl->post([impl, id, request = std::move(request)]() mutable { impl->do_subscribe(id, std::move(request)); });
}

void Hub::watch(ConnId id, WatchRequest request) {
  auto* impl = impl_.get();
  impl->post([impl, id, request = std::move(request)]() mutable { impl->do_watch(id, std::move(request)); });
}

void Hub::unsubscribe(ConnId id, std::string sub) {
  auto* impl = impl_.get();
  impl->post([impl, id, sub = std::move(sub)] {
    auto it = impl->conns.find(id);
    if (it == impl->conns.end()) return;
    auto s = it->second.subs.find(sub);
    if (s == it->second.subs.end())
      return it->second.conn->send_error(sub, ErrorCode::unknown_sub, "no such subscription");
    impl->end(*s->second);
    it->second.subs.erase(s);
  });
}

const char* reason_name(CatchUpReason reason) {
  switch (reason) {
    case CatchUpReason::window:
      return "window";
    case CatchUpReason::replay:
      return "replay";
    case CatchUpReason::slow_reader:
      return "slow_reader";
    case CatchUpReason::ring:
      return "ring";
  }
  return "unknown";
}

HubStats Hub::stats() const {
  const auto& c = impl_->counters;
  HubStats s{c.connections_ws, c.connections_sse, c.subscriptions, c.topics, c.pending_batches,
             c.ring_entries,   c.delivered_ws,    c.delivered_sse, c.cursor, c.followed_ids};
  for (int i = 0; i < kCatchUpReasons; ++i) {
    s.catchups[i] = c.catchups[i];
    s.coalesced[i] = c.coalesced[i];
  }
  return s;
}

void Hub::Impl::on_commit(const std::string& tenant_id, std::vector<CommittedChange> changes) {
  if (changes.empty()) return;
  auto& t = tenant(tenant_id);
  const auto first = changes.front().entry.seq;
  if (t.ring.empty() || first != t.ring.last_seq() + 1) t.contiguous_from = first;
  const auto before = static_cast<std::int64_t>(t.ring.size());
  for (const auto& c : changes) t.ring.append(c);
  follow_customer_kinds(t, tenant_id, changes);
  counters.ring_entries += static_cast<std::int64_t>(t.ring.size()) - before;
  const auto head = changes.back().entry.seq;
  if (head > counters.cursor) counters.cursor = head;
  // Only the subscriptions these changes may concern; the others' cursors
  // move when a change does (idle_at). A copy: a pump may end one.
  for (const auto& s : t.interest.collect(changes)) {
    if (s->idle_at == s->cursor() && s->cursor() + 1 >= t.contiguous_from && s->cursor() < first - 1)
      s->reader.seek(first - 1);
    pump(s);
  }
}

void Hub::Impl::end(Subscription& s) {
  if (s.ended) return;
  s.ended = true;
  if (s.timer) s.timer->cancel();
  s.reader.take_pending();
  sync_pending(s);
  s.reader.pages.reset();
  s.tenant->interest.remove(s);
  count_subscription(s, -1);
}

void Hub::Impl::count_subscription(const Subscription& s, int delta) {
  counters.subscriptions += delta;
  const std::pair<std::string, std::string> key{s.view().who.tenant, std::string(s.view().topic())};
  auto it = topic_subs.try_emplace(key, 0).first;
  if ((it->second += delta) == 0) topic_subs.erase(it);
  counters.topics = static_cast<std::int64_t>(topic_subs.size());
}

void Hub::Impl::do_subscribe(ConnId id, SubscribeRequest request) {
  auto it = conns.find(id);
  if (it == conns.end()) return;
  auto& c = it->second;
  if (c.subs.count(request.sub))
    return c.conn->send_error(request.sub, ErrorCode::duplicate_sub, "a subscription with this id exists");
  if (c.subs.size() >= options.max_subscriptions)
    return c.conn->send_error(request.sub, ErrorCode::too_many_subscriptions,
                              "at most " + std::to_string(options.max_subscriptions) + " subscriptions per connection");
  if (request.view.filter.ids && request.view.filter.ids->size() > options.max_filter_ids)
    return c.conn->send_error(request.sub, ErrorCode::bad_filter,
                              "filter.ids holds at most " + std::to_string(options.max_filter_ids) + " ids");
  apply_customer_kind(request.view.who);
  const auto since_cursor = request.since;
  auto s = std::make_shared<Subscription>(id, request);
  s->busy = true;
  c.subs.emplace(s->sub, s);
  s->tenant = &tenant(s->view().who.tenant);
  s->tenant->interest.add(s);
  count_subscription(*s, +1);

  const auto& tenant_id = s->view().who.tenant;
  if (since_cursor) {
    // Check the cursor against the log, then `subscribed`, then the replay
    // (Store::replay, coalesced), then live.
    const auto since = *since_cursor;
    blocking([this, tenant_id] { return std::make_pair(store.horizon(tenant_id), store.head(tenant_id)); },
             [this, s, since](auto result) {
               if (s->ended) return;
               auto* c = conn_of(*s);
               if (!result) return fail(*s, ErrorCode::unavailable, "the store failed; subscribe again");
               if (since < result->first || since > result->second) return fail(*s, ErrorCode::cursor_expired, "");
               s->reader.seek(since);
               s->live = true;
               c->conn->send_subscribed(s->sub, since);
               start_catchup(s, CatchUpReason::replay);
             });
    return;
  }
  // Snapshot: pages as the connection drains, the log replayed over them,
  // then `subscribed` and live (read_snapshot_page, docs/architecture.md).
  s->reader.pages.emplace();
  s->busy = false;
  pump(s);
}

void Hub::Impl::do_watch(ConnId id, WatchRequest request) {
  auto it = conns.find(id);
  if (it == conns.end()) return;
  auto& c = it->second;
  auto found = c.subs.find(request.sub);
  if (found == c.subs.end()) return c.conn->send_error(request.sub, ErrorCode::unknown_sub, "no such subscription");
  auto s = found->second;
  auto& ids = s->reader.view().filter.ids;
  if (!ids)
    return c.conn->send_error(request.sub, ErrorCode::bad_filter, "watch needs a subscription with an ids filter");
  if (!s->live || s->busy) {
    // Snapshot pages follow the ids filter, and a read in flight (a replay
    // after `since`, a catch-up, another watch's) was asked with the ids as
    // they were: change them once it is done (apply_deferred_watch).
    for (auto& removed_id : request.remove) {
      s->watch_add.erase(removed_id);
      s->watch_remove.insert(std::move(removed_id));
    }
    for (auto& added_id : request.add) {
      s->watch_remove.erase(added_id);
      s->watch_add.insert(std::move(added_id));
    }
    if (s->watch_add.size() + s->watch_remove.size() > 2 * options.max_filter_ids) {
      s->watch_add.clear();
      s->watch_remove.clear();
      return fail(*s, ErrorCode::bad_filter, "too many ids in watches waiting to apply");
    }
    return;
  }
  // Removed ids leave the view at once; each the reader could see goes out
  // as a delete (with its current version, read below), like any record
  // leaving a filter. The others get nothing: an answer for them would tell
  // which ids exist.
  std::vector<std::string> removed;
  auto& interest = s->tenant->interest;
  for (const auto& removed_id : request.remove) {
    if (!ids->erase(removed_id)) continue;
    interest.remove_id(*s, removed_id);
    removed.push_back(removed_id);
    s->reader.drop_pending(removed_id);
  }
  sync_pending(*s);
  std::vector<std::string> added;
  for (auto& added_id : request.add)
    if (!ids->count(added_id)) added.push_back(std::move(added_id));
  if (added.empty() && removed.empty()) return;
  if (ids->size() + added.size() > options.max_filter_ids)
    return c.conn->send_error(request.sub, ErrorCode::bad_filter,
                              "filter.ids holds at most " + std::to_string(options.max_filter_ids) + " ids");
  // Read the records' state while the subscription stands still, so its
  // cursor is at or before the state read: nothing falls in between.
  s->busy = true;
  s->idle_at = -1;  // its filter changes: nothing may be skipped unread now
  ListQuery query;
  query.tenant = s->view().who.tenant;
  query.entity = std::string(s->view().topic());
  std::vector<std::string> read = added;
  read.insert(read.end(), removed.begin(), removed.end());
  blocking([this, query, read] { return store.snapshot(query, read); },
           [this, s, added](auto result) {
             if (s->ended) return;
             s->busy = false;
             if (!result) {
               conn_of(*s)->conn->send_error(s->sub, ErrorCode::unavailable, "the store failed; watch again");
               return pump(s);
             }
             const std::set<std::string> adding(added.begin(), added.end());
             auto& interest = s->tenant->interest;
             auto& reader = s->reader;
             for (const auto& added_id : added) {
               reader.view().filter.ids->insert(added_id);
               interest.add_id(s, added_id);
             }
             for (const auto& r : result->records) {
               const Frame frame = adding.count(r.id) ? reader.snapshot_frame(r) : reader.removal_frame(r);
               if (!frame) continue;
               reader.note_sent(r.id, r.version);
               add_pending(*s, r.id, frame, true);
             }
             pump(s);
           });
}

}  // namespace shelfsync
