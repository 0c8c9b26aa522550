// The delivery path of the hub: pump() advances one subscription's cursor
// through the ring (or the store), filters, coalesces, and sends, within the
// connection's flow-control budget. Hub thread only.

#include "auth/read_rules.hpp"
#include "feed/hub_impl.hpp"

namespace shelfsync {

ConnState* Hub::Impl::conn_of(const Subscription& s) {
  auto it = conns.find(s.conn);
  return it == conns.end() ? nullptr : &it->second;
}

void Hub::Impl::fail(Subscription& s, ErrorCode code, std::string_view message) {
  auto* c = conn_of(s);
  if (c) {
    if (code == ErrorCode::cursor_expired)
      c->conn->send_reset(s.sub, code);
    else
      c->conn->send_error(s.sub, code, message);
    c->subs.erase(s.sub);  // may release `s`'s last owner but one: callers hold a shared_ptr
  }
  end(s);
}

void Hub::Impl::sync_pending(Subscription& s) {
  const bool has = s.reader.has_pending();
  if (has == s.counted_pending) return;
  s.counted_pending = has;
  counters.pending_batches += has ? 1 : -1;
}

void Hub::Impl::wake(ConnId id) {
  auto it = conns.find(id);
  if (it == conns.end()) return;
  std::vector<std::shared_ptr<Subscription>> subs;
  for (auto& [name, s] : it->second.subs) subs.push_back(s);
  for (const auto& s : subs) pump(s);
}

void Hub::Impl::pump(const std::shared_ptr<Subscription>& s) {
  pump_once(s);
  note_idle(*s);
}

void Hub::Impl::note_idle(Subscription& s) {
  const bool idle = !s.ended && !s.busy && s.live && !s.reader.has_pending() && !s.replaying && !s.flush_due;
  const auto& ring = s.tenant->ring;
  s.idle_at = idle && (ring.empty() || s.cursor() >= ring.last_seq()) ? s.cursor() : -1;
}

void Hub::Impl::pump_once(const std::shared_ptr<Subscription>& s) {
  if (s->ended || s->busy) return;
  auto* c = conn_of(*s);
  if (!c) return;
  if (s->live && apply_deferred_watch(s) && s->busy) return;
  auto& reader = s->reader;
  if (reader.pages && !reader.pages->done()) return read_snapshot_page(s);
  auto& ring = s->tenant->ring;
  if (send_at_once(*s, *c, ring)) return;
  while (true) {
    if (over_high(*c)) {
      // Stop here: the cursor keeps our place. Once the connection drains,
      // catch up like a replay (each record once, in its latest state).
      start_replaying(*s, CatchUpReason::slow_reader);
      c->conn->request_wake(options.low_water);
      return;
    }
    if (ring.empty() || reader.cursor() >= ring.last_seq()) {
      // The store has more than the ring yet (a replay saw it, the hub has
      // not): read it there rather than wait for the next commit.
      if (reader.cursor() < s->catch_up_to) return start_catchup(s, CatchUpReason::replay);
      break;
    }
    if (!ring.covers(reader.cursor() + 1)) return start_catchup(s, CatchUpReason::ring);
    const bool coalesce = s->batch_ms > 0 || s->replaying;
    while (reader.cursor() < ring.last_seq() && reader.pending_size() < options.chunk) {
      const auto& id = ring.at(reader.cursor() + 1).change.entry.id;
      if (auto frame = reader.next(ring)) add_pending(*s, id, std::move(frame), coalesce);
    }
    if (reader.pending_size() < options.chunk) break;
    // A full batch of versions waits. With batch_ms 0 this reader fell a
    // whole batch behind (its socket held a write while they came): it does
    // not keep up. From here on it gets each record's latest state, once the
    // socket has taken what it holds (see the end of this function).
    if (s->batch_ms == 0 && !s->replaying) start_replaying(*s, CatchUpReason::slow_reader);
    if (slow_and_writing(*s, *c)) return c->conn->request_wake(0);
    if (over_high(*c)) {
      c->conn->request_wake(options.low_water);
      return;
    }
    flush(*s);
  }
  if (s->replaying) {
    // A slow reader keeps collapsing versions into its pending batch while
    // its socket still writes; the batch goes out when the socket is idle.
    if (slow_and_writing(*s, *c)) return c->conn->request_wake(0);
    s->replaying = false;
    flush(*s);  // a catch-up goes out at once, whatever the batch window
  }
  if (!s->live) return go_live(s, *c);
  schedule_flush(s);
}

void Hub::Impl::go_live(const std::shared_ptr<Subscription>& s, ConnState& c) {
  flush(*s);
  s->live = true;
  s->reader.pages.reset();  // the cursor is past every page's seq: nothing more to skip
  c.conn->send_subscribed(s->sub, s->cursor());
  apply_deferred_watch(s);
}

bool Hub::Impl::apply_deferred_watch(const std::shared_ptr<Subscription>& s) {
  if (s->watch_add.empty() && s->watch_remove.empty()) return false;
  WatchRequest w{s->sub, {s->watch_add.begin(), s->watch_add.end()}, {s->watch_remove.begin(), s->watch_remove.end()}};
  s->watch_add.clear();
  s->watch_remove.clear();
  do_watch(s->conn, std::move(w));
  return true;
}

// The common case of a fan-out (batch_ms 0, the reader keeps up): exactly
// the next change, nothing pending, the connection idle. What the general
// path would do — pend it, then flush at once since the connection is idle —
// without the pending maps and the batch vector.
bool Hub::Impl::send_at_once(Subscription& s, ConnState& c, TenantRing& ring) {
  if (!s.live || s.batch_ms != 0 || s.replaying || s.reader.has_pending() || ring.empty() ||
      ring.last_seq() != s.cursor() + 1 || !ring.covers(s.cursor() + 1) || c.conn->queued_bytes() != 0)
    return false;
  if (const auto frame = s.reader.next(ring)) {
    send_changes(c, s, s.cursor(), std::span<const Frame>(&frame, 1));
    ++(c.ws ? counters.delivered_ws : counters.delivered_sse);
  }
  return true;
}

void Hub::Impl::send_changes(ConnState& c, const Subscription& s, std::optional<std::int64_t> cursor,
                             std::span<const Frame> frames) {
  if (auto message = messages.get(*c.conn, s.sub, cursor, frames)) return c.conn->send_encoded(std::move(message));
  c.conn->send_changes(s.sub, cursor, std::vector<Frame>(frames.begin(), frames.end()));
}

void Hub::Impl::add_pending(Subscription& s, const std::string& id, Frame frame, bool coalesce) {
  if (s.reader.add_pending(id, std::move(frame), coalesce)) {
    const auto why = s.replaying      ? s.replay_reason
                     : s.batch_ms > 0 ? CatchUpReason::window
                                      : CatchUpReason::replay;  // a watch's initial state
    ++counters.coalesced[static_cast<int>(why)];
  }
  sync_pending(s);
}

void Hub::Impl::schedule_flush(const std::shared_ptr<Subscription>& s) {
  if (!s->reader.has_pending()) return;
  auto* c = conn_of(*s);
  if (s->batch_ms == 0) {
    // Adaptive batching: send when the connection is idle; what arrives
    // meanwhile goes out together in the next message.
    if (c->conn->queued_bytes() == 0) return flush(*s);
    return c->conn->request_wake(0);
  }
  if (s->flush_due) {
    if (!over_high(*c)) return flush(*s);
    return c->conn->request_wake(options.low_water);
  }
  if (s->timer_armed) return;
  s->timer_armed = true;
  if (!s->timer) s->timer = std::make_unique<boost::asio::steady_timer>(ioc);
  s->timer->expires_after(std::chrono::milliseconds(s->batch_ms));
  s->timer->async_wait([this, weak = std::weak_ptr<Subscription>(s), window = s->window](boost::system::error_code ec) {
    SendBatch batch;
    auto s = weak.lock();
    if (ec || !s || s->ended || s->window != window) return;
    s->timer_armed = false;
    s->flush_due = true;
    schedule_flush(s);
    note_idle(*s);
  });
}

void Hub::Impl::flush(Subscription& s) {
  ++s.window;
  s.timer_armed = false;
  s.flush_due = false;
  if (!s.reader.has_pending()) return;
  auto* c = conn_of(s);
  const auto frames = s.reader.take_pending();
  sync_pending(s);
  // No cursor before `subscribed`: a snapshot cannot be resumed from its middle.
  send_changes(*c, s, s.live ? std::optional(s.cursor()) : std::nullopt, frames);
  (c->ws ? counters.delivered_ws : counters.delivered_sse) += static_cast<std::int64_t>(frames.size());
}

void Hub::Impl::read_snapshot_page(const std::shared_ptr<Subscription>& s) {
  auto* c = conn_of(*s);
  // Only into a drained queue: an unread connection holds at most the low
  // mark plus one page, not the high mark plus one.
  if (c->conn->queued_bytes() > options.low_water) return c->conn->request_wake(options.low_water);
  if (c->reading_page) return;  // its end wakes every subscription of the connection
  c->reading_page = true;
  const auto& view = s->view();
  auto& pages = *s->reader.pages;
  // The view's field filter and what the role may see narrow the store's
  // query; each record still goes through the view (snapshot_frame).
  auto filters = visible_query_filters(view.who, *view.collection);
  filters.insert(filters.end(), view.filter.equals.begin(), view.filter.equals.end());
  ListQuery query{view.who.tenant, std::string(view.topic()), std::move(filters), "", pages.after_id(), options.chunk};
  // An ids filter pages through its own ids; else through the collection.
  std::vector<std::string> ids;
  bool ids_end = false;
  if (view.filter.ids) {
    auto it = view.filter.ids->upper_bound(pages.after_id());
    for (; it != view.filter.ids->end() && ids.size() < options.chunk; ++it) ids.push_back(*it);
    ids_end = it == view.filter.ids->end();
  }
  s->busy = true;
  const bool by_ids = view.filter.ids.has_value();
  blocking(
      [this, query, ids, by_ids] {
        if (by_ids && ids.empty()) return Snapshot{store.head(query.tenant), {}};
        return store.snapshot(query, ids);
      },
      [this, s, by_ids, ids_end, last_id = ids.empty() ? std::string() : ids.back()](auto result) {
        auto* c = conn_of(*s);
        if (!c) return;
        c->reading_page = false;
        // Its siblings may be waiting for this read; they check the queue again.
        post([this, id = s->conn] { wake(id); });
        if (s->ended) return;
        s->busy = false;
        if (!result) return fail(*s, ErrorCode::unavailable, "the store failed; subscribe again");
        const bool last = by_ids ? ids_end : result->records.size() < options.chunk;
        auto& reader = s->reader;
        reader.pages->add(result->head, by_ids || result->records.empty() ? last_id : result->records.back().id, last);
        std::vector<Frame> frames;
        for (const auto& r : result->records)
          if (auto f = reader.snapshot_frame(r)) frames.push_back(std::move(f));
        if (!frames.empty()) {
          c->conn->send_changes(s->sub, std::nullopt, frames);
          (c->ws ? counters.delivered_ws : counters.delivered_sse) += static_cast<std::int64_t>(frames.size());
        }
        if (last) {
          // Settle: replay the log from the first page's seq over the pages.
          reader.seek(reader.pages->start());
          s->catch_up_to = reader.pages->newest();
          start_replaying(*s, CatchUpReason::replay);
        }
        pump(s);
      });
}

void Hub::Impl::start_catchup(const std::shared_ptr<Subscription>& s, CatchUpReason reason) {
  s->busy = true;
  start_replaying(*s, reason);
  ++counters.catchups[static_cast<int>(s->replay_reason)];
  struct CatchUp {
    bool expired = false;
    ReplayPage page;
  };
  const auto& tenant_id = s->view().who.tenant;
  std::vector<std::string> topics{std::string(s->view().topic())};
  blocking(
      [this, tenant_id, topics, cursor = s->cursor(), limit = options.chunk] {
        CatchUp r;
        // A cursor below the horizon lost tombstones: only `reset` is honest.
        r.expired = cursor < store.horizon(tenant_id);
        if (!r.expired) r.page = store.replay(tenant_id, cursor, topics, limit);
        return r;
      },
      [this, s](std::optional<CatchUp> result) {
        if (s->ended) return;
        s->busy = false;
        if (!result) return fail(*s, ErrorCode::unavailable, "the store failed; subscribe again");
        if (result->expired) return fail(*s, ErrorCode::cursor_expired, "");
        const auto before = s->cursor();
        apply_replay(*s, result->page);
        if (s->cursor() > before) pump(s);  // else: nothing to read yet; a later commit pumps
      });
}

void Hub::Impl::apply_replay(Subscription& s, const ReplayPage& page) {
  for (const auto& d : s.reader.read_replay(page)) add_pending(s, d.item->change.id, s.reader.frame(d), true);
  s.catch_up_to = std::max(s.catch_up_to, page.head);
  s.replaying = true;  // continue coalesced until the ring's end, then flush (start_catchup set the reason)
  flush(s);
}

}  // namespace shelfsync
