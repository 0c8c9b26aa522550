// The delivery path of the hub: pump() advances one subscription's cursor
// through the ring (or the store), filters, coalesces, and sends, within the
// connection's flow-control budget. Hub thread only.

#include <boost/json/parse.hpp>

#include "feed/hub_impl.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

std::optional<json::object> parse_record(const StoredRecord& r) {
  boost::system::error_code ec;
  auto v = json::parse(r.data, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

}  // namespace

ConnState* Hub::Impl::conn_of(const Subscription& s) {
  auto it = conns.find(s.conn);
  return it == conns.end() ? nullptr : &it->second;
}

void Hub::Impl::fail(Subscription& s, std::string_view code, std::string_view message) {
  auto* c = conn_of(s);
  if (c) {
    if (code == "cursor_expired") c->conn->send_reset(s.req.sub, code);
    else c->conn->send_error(s.req.sub, code, message);
    c->subs.erase(s.req.sub);  // may release `s`'s last owner but one: callers hold a shared_ptr
  }
  end(s);
  update_gauges();
}

void Hub::Impl::sync_pending(Subscription& s) {
  const bool has = !s.pending.empty();
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
  const bool idle = !s.ended && !s.busy && s.live && s.pending.empty() && !s.replaying &&
                    !s.flush_due;
  const auto& ring = tenant(s.req.view.who.tenant).ring;
  s.idle_at = idle && (ring.empty() || s.cursor >= ring.last_seq()) ? s.cursor : -1;
}

void Hub::Impl::pump_once(const std::shared_ptr<Subscription>& s) {
  if (s->ended || s->busy) return;
  auto* c = conn_of(*s);
  if (!c) return;
  if (s->pages && !s->pages->done()) return read_snapshot_page(s);
  auto& ring = tenant(s->req.view.who.tenant).ring;
  if (send_at_once(*s, *c, ring)) return;
  while (true) {
    if (over_high(*c)) {
      // Stop here: the cursor keeps our place. Once the connection drains,
      // catch up like a replay (each record once, in its latest state).
      start_replaying(*s, CatchUpReason::slow_reader);
      c->conn->request_wake(options.low_water);
      return;
    }
    if (ring.empty() || s->cursor >= ring.last_seq()) {
      // The store has more than the ring yet (a replay saw it, the hub has
      // not): read it there rather than wait for the next commit.
      if (s->cursor < s->catch_up_to) return start_catchup(s, CatchUpReason::replay);
      break;
    }
    if (!ring.covers(s->cursor + 1)) return start_catchup(s, CatchUpReason::ring);
    const bool coalesce = s->req.batch_ms > 0 || s->replaying;
    while (s->cursor < ring.last_seq() && s->pending.size() < options.chunk) {
      auto& e = ring.at(s->cursor + 1);
      s->cursor = e.change.entry.seq;
      deliver(*s, e, coalesce);
    }
    if (s->pending.size() < options.chunk) break;
    // A full batch of versions waits. With batch_ms 0 this reader fell a
    // whole batch behind (its socket held a write while they came): it does
    // not keep up. From here on it gets each record's latest state, once the
    // socket has taken what it holds (see the end of this function).
    if (s->req.batch_ms == 0 && !s->replaying) start_replaying(*s, CatchUpReason::slow_reader);
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
  s->pages.reset();  // the cursor is past every page's seq: nothing more to skip
  c.conn->send_subscribed(s->req.sub, s->cursor);
  if (s->watch_add.empty() && s->watch_remove.empty()) return;
  WatchRequest w{s->req.sub, {s->watch_add.begin(), s->watch_add.end()},
                 {s->watch_remove.begin(), s->watch_remove.end()}};
  s->watch_add.clear();
  s->watch_remove.clear();
  do_watch(s->conn, std::move(w));
}

// The common case of a fan-out (batch_ms 0, the reader keeps up): exactly
// the next change, nothing pending, the connection idle. What the general
// path would do — pend it, then flush at once since the connection is idle —
// without the pending maps and the batch vector.
bool Hub::Impl::send_at_once(Subscription& s, ConnState& c, TenantRing& ring) {
  if (!s.live || s.req.batch_ms != 0 || s.replaying || !s.pending.empty() || ring.empty() ||
      ring.last_seq() != s.cursor + 1 || !ring.covers(s.cursor + 1) || c.conn->queued_bytes() != 0)
    return false;
  auto& e = ring.at(s.cursor + 1);
  s.cursor = e.change.entry.seq;
  if (const auto frame = frame_for(s, e)) {
    send_changes(c, s, s.cursor, std::span<const Frame>(&frame, 1));
    ++(c.ws ? counters.delivered_ws : counters.delivered_sse);
  }
  return true;
}

Frame Hub::Impl::frame_for(Subscription& s, RingEntry& e) {
  const auto& entry = e.change.entry;
  if (covered(s, entry.id, entry.seq)) return nullptr;
  const auto d = classify(s.req.view, e);
  if (d == Delivery::skip) return nullptr;
  if (auto sv = s.sent_version.find(entry.id); sv != s.sent_version.end()) {
    if (entry.version <= sv->second) return nullptr;  // already sent by watch
    s.sent_version.erase(sv);
  }
  return e.frame(*s.req.view.collection, s.req.view.who.role, s.req.mode, d);
}

void Hub::Impl::deliver(Subscription& s, RingEntry& e, bool coalesce) {
  if (auto frame = frame_for(s, e)) add_pending(s, e.change.entry.id, std::move(frame), coalesce);
}

void Hub::Impl::send_changes(ConnState& c, const Subscription& s, std::optional<std::int64_t> cursor,
                             std::span<const Frame> frames) {
  if (auto message = messages.get(*c.conn, s.req.sub, cursor, frames))
    return c.conn->send_encoded(std::move(message));
  c.conn->send_changes(s.req.sub, cursor, std::vector<Frame>(frames.begin(), frames.end()));
}

void Hub::Impl::add_pending(Subscription& s, const std::string& id, Frame frame, bool coalesce) {
  auto [it, fresh] = s.pending_by_id.try_emplace(id, 0);
  if (!fresh && coalesce) {
    s.pending.erase(it->second);  // keep only the latest
    const auto why = s.replaying           ? s.replay_reason
                     : s.req.batch_ms > 0 ? CatchUpReason::window
                                          : CatchUpReason::replay;  // a watch's initial state
    ++counters.coalesced[static_cast<int>(why)];
  }
  it->second = s.next_order++;
  s.pending.emplace(it->second, std::move(frame));
  sync_pending(s);
}

void Hub::Impl::schedule_flush(const std::shared_ptr<Subscription>& s) {
  if (s->pending.empty()) return;
  auto* c = conn_of(*s);
  if (s->req.batch_ms == 0) {
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
  s->timer->expires_after(std::chrono::milliseconds(s->req.batch_ms));
  s->timer->async_wait([this, weak = std::weak_ptr<Subscription>(s), window = s->window](
                           boost::system::error_code ec) {
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
  if (s.pending.empty()) return;
  auto* c = conn_of(s);
  std::vector<Frame> frames;
  frames.reserve(s.pending.size());
  for (auto& [order, frame] : s.pending) frames.push_back(std::move(frame));
  s.pending.clear();
  s.pending_by_id.clear();
  sync_pending(s);
  // No cursor before `subscribed`: a snapshot cannot be resumed from its middle.
  send_changes(*c, s, s.live ? std::optional(s.cursor) : std::nullopt, frames);
  (c->ws ? counters.delivered_ws : counters.delivered_sse) += static_cast<std::int64_t>(frames.size());
}

Frame Hub::Impl::snapshot_frame(const Subscription& s, const StoredRecord& r) {
  const auto doc = parse_record(r);
  if (r.deleted || !doc || !s.req.view.sees(r.id, *doc)) return nullptr;
  const ChangeEntry change{0, r.entity, r.id, false, r.version, "", r.updated_at};
  return std::make_shared<const std::string>(
      change_json(change, &r, *s.req.view.collection, s.req.view.who.role, s.req.mode));
}

Frame Hub::Impl::removal_frame(const Subscription& s, const StoredRecord& r) {
  const auto doc = parse_record(r);
  if (r.deleted || !doc || !s.req.view.matches(r.id, *doc)) return nullptr;
  const ChangeEntry gone{0, r.entity, r.id, true, r.version, "", r.updated_at};
  return std::make_shared<const std::string>(
      change_json(gone, nullptr, *s.req.view.collection, s.req.view.who.role, s.req.mode));
}

void Hub::Impl::read_snapshot_page(const std::shared_ptr<Subscription>& s) {
  auto* c = conn_of(*s);
  // Only into a drained queue: an unread connection holds at most the low
  // mark plus one page, not the high mark plus one.
  if (c->conn->queued_bytes() > options.low_water) return c->conn->request_wake(options.low_water);
  if (c->reading_page) return;  // its end wakes every subscription of the connection
  c->reading_page = true;
  const auto& view = s->req.view;
  ListQuery query{view.who.tenant, std::string(view.collection->name()), view.filter.equals, "",
                  s->pages->after_id(), options.chunk};
  // An ids filter pages through its own ids; else through the collection.
  std::vector<std::string> ids;
  bool ids_end = false;
  if (view.filter.ids) {
    auto it = view.filter.ids->upper_bound(s->pages->after_id());
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
        if (!result) return fail(*s, "unavailable", "the store failed; subscribe again");
        const bool last = by_ids ? ids_end : result->records.size() < options.chunk;
        s->pages->add(result->head, by_ids || result->records.empty() ? last_id : result->records.back().id,
                      last);
        std::vector<Frame> frames;
        for (const auto& r : result->records)
          if (auto f = snapshot_frame(*s, r)) frames.push_back(std::move(f));
        if (!frames.empty()) {
          c->conn->send_changes(s->req.sub, std::nullopt, frames);
          (c->ws ? counters.delivered_ws : counters.delivered_sse) += static_cast<std::int64_t>(frames.size());
        }
        if (last) {
          // Settle: replay the log from the first page's seq over the pages.
          s->cursor = s->pages->start();
          s->catch_up_to = s->pages->newest();
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
  const auto& tenant_id = s->req.view.who.tenant;
  std::vector<std::string> topics{std::string(s->req.view.collection->name())};
  blocking(
      [this, tenant_id, topics, cursor = s->cursor, limit = options.chunk] {
        CatchUp r;
        // A cursor below the horizon lost tombstones: only `reset` is honest.
        r.expired = cursor < store.horizon(tenant_id);
        if (!r.expired) r.page = store.replay(tenant_id, cursor, topics, limit);
        return r;
      },
      [this, s](std::optional<CatchUp> result) {
        if (s->ended) return;
        s->busy = false;
        if (!result) return fail(*s, "unavailable", "the store failed; subscribe again");
        if (result->expired) return fail(*s, "cursor_expired", "");
        const auto before = s->cursor;
        apply_replay(*s, std::move(result->page));
        if (s->cursor > before) pump(s);  // else: nothing to read yet; a later commit pumps
      });
}

void Hub::Impl::apply_replay(Subscription& s, ReplayPage page) {
  const auto& c = *s.req.view.collection;
  for (const auto& item : page.items) {
    if (covered(s, item.change.id, item.change.seq)) continue;
    const auto doc = item.record.deleted ? std::nullopt : parse_record(item.record);
    const auto d = classify_replay(s.req.view, item, doc ? &*doc : nullptr);
    if (d == Delivery::skip) continue;
    if (auto sv = s.sent_version.find(item.change.id); sv != s.sent_version.end()) {
      if (item.change.version <= sv->second) continue;
      s.sent_version.erase(sv);
    }
    ChangeEntry change = item.change;
    change.deleted = d == Delivery::remove;
    add_pending(s, change.id,
                std::make_shared<const std::string>(
                    change_json(change, &item.record, c, s.req.view.who.role, s.req.mode)),
                true);
  }
  s.cursor = std::max(s.cursor, page.cursor);
  s.catch_up_to = std::max(s.catch_up_to, page.head);
  s.replaying = true;  // continue coalesced until the ring's end, then flush (start_catchup set the reason)
  flush(s);
}

}  // namespace shelfsync
