// The two live transports. A link carries subscriptions for feeds and tells
// each feed what happened (subscribed, changes, reset, error, connection
// down); the feed owns the cursor and the cache, so a reconnect over either
// transport resumes from the same place.
//
//   WsLink  — one WebSocket (/api/live) shared by every feed, ping keepalive.
//   SseLink — one event stream (/api/stream) per feed, heartbeat watchdog.
//
// Both reconnect by themselves with the client's backoff; every (re)subscribe
// uses a fresh `sub` name so a late message for an old subscription can never
// be mistaken for the current one.

import { openEventStream } from './sse.js';
import { resolveUrl } from './util.js';

const noop = () => {};

export class WsLink {
  /** @param {import('./live.js').LiveClient} live */
  constructor(live) {
    this.live = live;
    /** @type {Map<object, string | null>} feed → current sub name */
    this.feeds = new Map();
    /** @type {Map<string, object>} sub name → feed */
    this.bySub = new Map();
    this.ws = null;
    this.state = 'idle'; // idle | connecting | open | waiting (for a reconnect timer)
    this.timer = null;
    this.keepalive = null;
    this.nextSub = 0;
    this.heard = false; // any message on this connection (it did work)
    this.lastSeen = 0;
    this.pingSentAt = 0;
  }

  attach(feed) {
    this.feeds.set(feed, null);
    if (this.state === 'open') this.subscribe(feed);
    else if (this.state === 'idle') this.connect();
  }

  detach(feed) {
    const sub = this.feeds.get(feed);
    this.feeds.delete(feed);
    if (sub) {
      this.bySub.delete(sub);
      this.send({ type: 'unsubscribe', sub });
    }
    if (this.feeds.size === 0) this.stop();
  }

  /** A new subscription for the feed (after a reset or for a resync). */
  resubscribe(feed) {
    const old = this.feeds.get(feed);
    if (old) {
      this.bySub.delete(old);
      this.send({ type: 'unsubscribe', sub: old });
    }
    this.feeds.set(feed, null);
    if (this.state === 'open') this.subscribe(feed);
  }

  subscribe(feed) {
    const sub = `s${++this.nextSub}`;
    this.feeds.set(feed, sub);
    this.bySub.set(sub, feed);
    this.send({ type: 'subscribe', sub, ...feed.params({ canWatch: true }) });
    // The server applies a watch sent before `subscribed` once it is.
    if (feed.unsettled.length) this.send({ type: 'watch', sub, add: feed.unsettled });
  }

  /** Changes a feed's ids in place; without a subscription now, the next subscribe carries them. */
  watch(feed, add, remove) {
    const sub = this.feeds.get(feed);
    if (sub) this.send({ type: 'watch', sub, ...(add.length ? { add } : {}), ...(remove.length ? { remove } : {}) });
  }

  send(msg) {
    if (this.state !== 'open') return;
    try { this.ws.send(JSON.stringify(msg)); } catch { this.teardown(true); }
  }

  url() {
    const u = new URL('/api/live', resolveUrl(this.live.url).replace(/^http/, 'ws'));
    if (this.live.token) u.searchParams.set('access_token', this.live.token);
    return u.toString();
  }

  connect() {
    clearTimeout(this.timer);
    this.state = 'connecting';
    this.heard = false;
    let ws;
    try {
      ws = new this.live.WebSocket(this.url());
    } catch (e) {
      this.live.emit('error', e);
      this.state = 'idle';
      this.retry();
      return;
    }
    this.ws = ws;
    const connectTimer = setTimeout(() => this.teardown(true), this.live.connectTimeout);
    ws.onopen = () => {
      clearTimeout(connectTimer);
      this.state = 'open';
      this.lastSeen = Date.now();
      this.pingSentAt = 0;
      this.startKeepalive();
      for (const feed of this.feeds.keys()) this.subscribe(feed);
      this.live.setStatus('open');
    };
    ws.onmessage = (e) => this.receive(e.data);
    // A closed or failed socket is handled once; later events are ignored.
    ws.onclose = () => { clearTimeout(connectTimer); this.teardown(true); };
    ws.onerror = () => { clearTimeout(connectTimer); this.teardown(true); };
    this.live.setStatus('connecting');
  }

  receive(raw) {
    const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
    let m;
    try { m = JSON.parse(text); } catch { return; }
    this.heard = true;
    this.lastSeen = Date.now();
    if (!m || typeof m !== 'object' || m.type === 'pong') return;
    const feed = typeof m.sub === 'string' ? this.bySub.get(m.sub) : undefined;
    switch (m.type) {
      case 'subscribed':
        if (feed) { this.live.noteSuccess(); feed.onSubscribed(m.cursor); }
        break;
      case 'changes':
        if (feed) feed.onChanges(m.changes, m.cursor);
        break;
      case 'reset':
      case 'error':
        if (feed) {
          // The server has ended this subscription.
          this.bySub.delete(m.sub);
          this.feeds.set(feed, null);
          if (m.type === 'reset') feed.onReset(m.code);
          else feed.onError({ status: 0, code: m.code, detail: m.message });
        } else if (m.type === 'error') {
          this.live.emit('error', Object.assign(new Error(m.message ?? m.code), { code: m.code }));
        }
        break;
      default:
        break;
    }
  }

  // Idle connections send a ping; a connection that answers nothing within
  // pongTimeout is dead (a half-open TCP connection never closes by itself).
  startKeepalive() {
    clearInterval(this.keepalive);
    const { pingInterval, pongTimeout } = this.live;
    this.keepalive = setInterval(() => {
      const now = Date.now();
      if (this.pingSentAt && this.lastSeen < this.pingSentAt) {
        if (now - this.pingSentAt >= pongTimeout) this.teardown(true);
        return;
      }
      if (now - this.lastSeen >= pingInterval) {
        this.pingSentAt = now;
        this.send({ type: 'ping' });
      }
    }, Math.max(50, Math.min(pingInterval, pongTimeout) / 2));
  }

  /** Closes the connection; with `reconnect`, schedules the next attempt. */
  teardown(reconnect) {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    clearInterval(this.keepalive);
    ws.onopen = ws.onmessage = ws.onclose = noop;
    ws.onerror = noop; // keep a listener: some implementations throw on unheard errors
    try { ws.close(); } catch { /* already closed */ }
    this.state = 'idle';
    this.bySub.clear();
    if (!this.heard) this.live.noteFailure();
    for (const feed of [...this.feeds.keys()]) {
      this.feeds.set(feed, null);
      feed.onDown();
    }
    this.live.setStatus('disconnected');
    if (reconnect && this.feeds.size > 0 && !this.live.maybeFallBack('websocket')) this.retry();
  }

  retry() {
    clearTimeout(this.timer);
    this.state = 'waiting';
    this.timer = setTimeout(() => { this.state = 'idle'; this.connect(); }, this.live.nextDelay());
  }

  /** Drops the connection now and reconnects (resuming every feed). */
  drop() {
    if (this.ws) this.teardown(true);
    else if (this.state === 'waiting') { clearTimeout(this.timer); this.connect(); }
  }

  stop() {
    clearTimeout(this.timer);
    this.teardown(false);
    this.state = 'idle';
  }
}

export class SseLink {
  /** @param {import('./live.js').LiveClient} live */
  constructor(live, feed) {
    this.live = live;
    this.feed = feed;
    this.stream = null;
    this.timer = null;
    this.watchdog = null;
    this.closed = false;
    this.heard = false;
    this.lastSeen = 0;
  }

  attach() { this.connect(); }

  detach() {
    this.closed = true;
    this.closeStream();
    clearTimeout(this.timer);
  }

  resubscribe() {
    this.closeStream();
    clearTimeout(this.timer);
    if (!this.closed) this.connect();
  }

  stop() { this.detach(); }

  // An event stream's filter is fixed: open it again for the new ids.
  watch() { this.resubscribe(); }

  drop() {
    if (this.stream) this.ended({ error: new Error('dropped') });
    else { clearTimeout(this.timer); this.connect(); }
  }

  url() {
    const p = this.feed.params();
    const u = new URL('/api/stream', resolveUrl(this.live.url));
    u.searchParams.set('topic', p.topic);
    if (p.filter) u.searchParams.set('filter', JSON.stringify(p.filter));
    if (p.since) u.searchParams.set('since', p.since);
    if (p.batch_ms !== undefined) u.searchParams.set('batch_ms', String(p.batch_ms));
    if (p.mode) u.searchParams.set('mode', p.mode);
    return u.toString();
  }

  connect() {
    this.heard = false;
    this.lastSeen = Date.now();
    this.stream = openEventStream({
      url: this.url(),
      token: this.live.token,
      fetch: this.live.fetch,
      EventSource: this.live.EventSource,
      events: ['changes', 'subscribed', 'reset', 'error', 'reconnect'],
      onActivity: () => { this.lastSeen = Date.now(); },
      onEvent: (name, data, id) => this.receive(name, data, id),
      onEnd: (info) => this.ended(info),
    });
    // The server sends a heartbeat at least every 15 s; silence past the
    // idle timeout means the connection is gone.
    clearInterval(this.watchdog);
    this.watchdog = setInterval(() => {
      if (Date.now() - this.lastSeen > this.live.sseIdleTimeout) this.ended({ error: new Error('event stream idle') });
    }, Math.max(50, this.live.sseIdleTimeout / 3));
    this.live.setStatus('connecting');
  }

  receive(name, data, id) {
    if (!data || typeof data !== 'object') return;
    this.heard = true;
    switch (name) {
      case 'subscribed':
        this.live.noteSuccess();
        this.live.setStatus('open');
        this.feed.onSubscribed(data.cursor ?? id);
        break;
      case 'changes':
        this.feed.onChanges(data.changes, data.cursor);
        break;
      case 'reset':
        this.closeStream();
        this.feed.onReset(data.code);
        break;
      case 'error':
        this.closeStream();
        this.feed.onError({ status: 0, code: data.code, detail: data.message });
        break;
      case 'reconnect': // the server is restarting
        this.ended({});
        break;
      default:
        break;
    }
  }

  closeStream() {
    clearInterval(this.watchdog);
    const s = this.stream;
    this.stream = null;
    s?.close();
  }

  ended(info) {
    if (this.closed || !this.stream) return;
    this.closeStream();
    const p = info.problem;
    // An HTTP 4xx before the stream started (bad token, bad filter) will not
    // get better by retrying; anything else is a connection problem.
    if (p && p.status >= 400 && p.status < 500 && p.status !== 408 && p.status !== 429) {
      this.feed.onError(p);
      return;
    }
    if (!this.heard) this.live.noteFailure();
    this.feed.onDown();
    this.live.setStatus('disconnected');
    if (this.live.maybeFallBack('sse')) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { if (!this.closed) this.connect(); }, this.live.nextDelay());
  }
}
