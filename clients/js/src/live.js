// Live subscriptions: a Feed keeps one cached view (topic + filter) current
// over WebSocket or SSE, resuming from its cursor after any disconnect and
// taking a fresh snapshot when the server says `reset`. A fresh snapshot is
// staged and swapped in whole when `subscribed` arrives, so a view never
// shows half a snapshot and a connection lost mid-snapshot costs nothing.

import { Cache } from './cache.js';
import { ShelfsyncError } from './errors.js';
import { WsLink, SseLink } from './transport.js';
import { Emitter, backoffDelay, sleep } from './util.js';

/**
 * @typedef {object} LiveOptions
 * @property {string | (() => string)} url base URL; a function is asked again on every reconnect
 * @property {string} [token] sent as `access_token` (WebSocket) or Authorization (SSE over fetch)
 * @property {any} [WebSocket] WebSocket constructor (default: global WebSocket; in Node e.g. the `ws` package)
 * @property {any} [EventSource] EventSource constructor; without one SSE is read over fetch
 * @property {typeof fetch} [fetch]
 * @property {'auto' | 'websocket' | 'sse'} [transport] default `auto`: WebSocket, SSE when it keeps failing
 * @property {import('./rest.js').RestClient} [rest] needed by Feed.verify()
 * @property {Cache} [cache] default: a new in-memory cache
 * @property {{initial?: number, max?: number}} [backoff] reconnect delays in ms (default 250 … 30000)
 * @property {number} [pingInterval] ms of silence before a WebSocket ping (default 25000)
 * @property {number} [pongTimeout] ms to wait for any answer to a ping (default 10000)
 * @property {number} [connectTimeout] ms for a WebSocket to open (default 10000)
 * @property {number} [sseIdleTimeout] ms without a byte (heartbeats come every 15 s) before an event stream counts as dead (default 45000)
 * @property {number} [fallbackAfter] failed connects in a row before `auto` switches transport (default 3)
 */

export class LiveClient extends Emitter {
  /** @param {LiveOptions} opts */
  constructor(opts) {
    super();
    if (!opts?.url) throw new TypeError('LiveClient: url is required');
    this.url = opts.url;
    this.token = opts.token;
    this.WebSocket = opts.WebSocket ?? globalThis.WebSocket;
    this.EventSource = opts.EventSource;
    this.fetch = opts.fetch ?? globalThis.fetch?.bind(globalThis);
    this.rest = opts.rest;
    this.cache = opts.cache ?? new Cache();
    this.transport = opts.transport ?? 'auto';
    this.backoff = { initial: 250, max: 30000, ...(opts.backoff ?? {}) };
    this.pingInterval = opts.pingInterval ?? 25000;
    this.pongTimeout = opts.pongTimeout ?? 10000;
    this.connectTimeout = opts.connectTimeout ?? 10000;
    this.sseIdleTimeout = opts.sseIdleTimeout ?? 45000;
    this.fallbackAfter = opts.fallbackAfter ?? 3;
    if (this.transport === 'websocket' && !this.WebSocket) throw new TypeError('LiveClient: no WebSocket implementation; pass opts.WebSocket');
    if (this.transport !== 'websocket' && !this.WebSocket && !this.EventSource && !this.fetch) {
      throw new TypeError('LiveClient: neither WebSocket, EventSource nor fetch is available');
    }
    /** The transport in use now. */
    this.kind = this.transport === 'sse' || !this.WebSocket ? 'sse' : 'websocket';
    this.failures = 0; // failed connects in a row: drives the backoff
    this.kindFailures = 0; // ... on the current transport: drives the fallback
    this.ws = null;
    /** @type {Set<Feed>} */
    this.feeds = new Set();
    this.status = 'idle';
    this.closed = false;
    // A browser that comes back online reconnects at once, not after its backoff.
    this.onOnline = () => this.reconnect();
    if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
      window.addEventListener('online', this.onOnline);
    }
  }

  /**
   * Keeps the cached view of `topic` (optionally filtered) live.
   * @param {string} topic a collection, e.g. `products`
   * @param {{filter?: object, batchMs?: number, key?: string}} [opts]
   *   `key`: the cache key (default: topic, plus the filter); give one per
   *   token or role when several share a persistent store, and one for a
   *   feed whose ids change with `watch`.
   * @returns {Feed}
   */
  subscribe(topic, opts = {}) {
    if (this.closed) throw new Error('LiveClient is closed');
    const feed = new Feed(this, topic, opts);
    this.feeds.add(feed);
    feed.start();
    return feed;
  }

  /** Drops every connection now and reconnects, resuming from the cursors. */
  reconnect() {
    this.failures = 0;
    this.ws?.drop();
    for (const f of this.feeds) if (f.link instanceof SseLink) f.link.drop();
  }

  /** Closes every feed and connection. */
  close() {
    this.closed = true;
    for (const f of [...this.feeds]) f.close();
    this.ws?.stop();
    if (typeof window !== 'undefined' && typeof window.removeEventListener === 'function') {
      window.removeEventListener('online', this.onOnline);
    }
    this.setStatus('closed');
  }

  // ---------------------------------------------- used by feeds, links --

  attach(feed) {
    if (this.kind === 'websocket') {
      this.ws ??= new WsLink(this);
      feed.link = this.ws;
    } else {
      feed.link = new SseLink(this, feed);
    }
    feed.link.attach(feed);
  }

  detach(feed) {
    feed.link?.detach(feed);
    feed.link = null;
  }

  nextDelay() { return backoffDelay(this.failures, this.backoff); }
  noteFailure() { this.failures += 1; this.kindFailures += 1; }
  noteSuccess() { this.failures = 0; this.kindFailures = 0; }

  /**
   * In `auto` mode, moves every feed to the other transport after
   * `fallbackAfter` failed connects in a row. Returns true if it did.
   */
  maybeFallBack(from) {
    if (this.transport !== 'auto' || this.kind !== from || this.kindFailures < this.fallbackAfter) return false;
    const to = from === 'websocket' ? 'sse' : 'websocket';
    if (to === 'websocket' && !this.WebSocket) return false;
    this.kind = to;
    this.kindFailures = 0;
    this.emit('transport', to);
    const moving = [...this.feeds].filter((f) => f.link);
    // Leave the failing link's callbacks before starting the new ones.
    queueMicrotask(() => {
      for (const f of moving) {
        if (!f.link || f.closed) continue;
        this.detach(f);
        this.attach(f);
      }
    });
    return true;
  }

  setStatus(s) {
    if (s === this.status) return;
    this.status = s;
    this.emit('status', s);
  }
}

// Where two views of one feed differ: {id, had, now} (versions; null: absent).
function versionDiff(before, after) {
  const out = [];
  for (const [id, r] of after) {
    const had = before.get(id) ?? null;
    if (had !== r.version) out.push({ id, had, now: r.version });
  }
  for (const [id, had] of before) if (!after.has(id)) out.push({ id, had, now: null });
  return out;
}

const stableKey = (topic, filter) => (filter ? `${topic}?${JSON.stringify(sortKeys(filter))}` : topic);
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

/**
 * One live view. Events: `loaded` ({count, cursor}: the view stored by an
 * earlier visit is in, before any network), `changes` (changes, {cursor,
 * snapshot}), `status` (connecting | snapshot | live | reconnecting | error
 * | closed), `reset` (code), `error` (ShelfsyncError), `repair` (what a
 * verification found different and fixed: {topic, differed}).
 */
export class Feed extends Emitter {
  constructor(live, topic, { filter, batchMs = 0, key } = {}) {
    super();
    this.live = live;
    this.topic = topic;
    this.filter = filter ?? null;
    if (this.filter?.ids) this.filter = { ...this.filter, ids: [...new Set(this.filter.ids)] };
    /** @type {Set<string> | null} the ids an ids-filtered feed follows now */
    this.ids = this.filter?.ids ? new Set(this.filter.ids) : null;
    this.batchMs = batchMs;
    this.key = key ?? stableKey(topic, this.filter);
    /** ids to add by `watch` right after the next subscribe (see params) */
    this.unsettled = [];
    this.link = null;
    /** @type {import('./cache.js').CacheCollection | null} */
    this.collection = null;
    /** @type {string | null} where the next subscribe resumes from */
    this.cursor = null;
    /** @type {Map<string, object> | null} a fresh snapshot being received */
    this.staging = null;
    this.status = 'connecting';
    this.closed = false;
    this.waiters = []; // resolved on the next `subscribed`
    /** Resolves once the view is current (first `subscribed`); rejects on a permanent error. */
    this.ready = new Promise((resolve, reject) => { this.resolveReady = resolve; this.rejectReady = reject; });
    this.ready.catch(() => {}); // a caller that never awaits it must not see an unhandled rejection
  }

  async start() {
    try {
      this.collection = await this.live.cache.open(this.key);
    } catch (e) {
      this.fail(new ShelfsyncError({ status: 0, code: 'cache_error', detail: String(e?.message ?? e) }, { cause: e }));
      return;
    }
    if (this.closed) return;
    this.cursor = this.collection.cursor;
    // A stored view of other ids (an earlier visit watched others) keeps
    // only what this feed follows.
    if (this.ids) this.collection.drop([...this.collection.records.keys()].filter((id) => !this.ids.has(id)), this.topic);
    this.unlisten = this.collection.on('changes', (changes, info) => this.emit('changes', changes, info));
    // A page can show what it had at once, even if the server is slow or away.
    this.emit('loaded', { count: this.collection.records.size, cursor: this.cursor });
    this.live.attach(this);
  }

  /** Records in the view, sorted by id. */
  records() { return this.collection ? this.collection.list() : []; }
  get(id) { return this.collection?.get(id); }

  /**
   * What the next subscribe asks for: resume from the cursor, or a snapshot.
   * An ids-filtered feed resumes only the ids its cache holds: an id it
   * lacks was added by a watch whose answer may have been lost (or names no
   * record), so over a link that can `watch` it is added again after the
   * subscribe (`unsettled`) and read in its current state; over one that
   * cannot, the feed takes a snapshot of its scope.
   */
  params({ canWatch = false } = {}) {
    let filter = this.filter;
    this.unsettled = [];
    if (this.cursor && this.ids) {
      const known = [...this.ids].filter((id) => this.collection.records.has(id));
      if (known.length < this.ids.size) {
        if (canWatch) {
          this.unsettled = [...this.ids].filter((id) => !this.collection.records.has(id));
          filter = { ...filter, ids: known };
        } else {
          this.cursor = null;
        }
      }
    }
    this.staging = this.cursor ? null : new Map();
    this.setStatus(this.cursor ? 'connecting' : 'snapshot');
    return {
      topic: this.topic,
      ...(filter ? { filter } : {}),
      ...(this.cursor ? { since: this.cursor } : {}),
      batch_ms: this.batchMs,
      mode: 'data',
    };
  }

  onSubscribed(cursor) {
    if (this.closed) return;
    if (this.staging) {
      const snapshot = [...this.staging.values()];
      this.staging = null;
      this.cursor = cursor;
      this.collection.replace(snapshot, cursor, this.topic);
    }
    // With `since`, `subscribed` comes before the replay: the cursor moves
    // with the replayed changes, never ahead of them.
    this.setStatus('live');
    this.resolveReady();
    for (const w of this.waiters.splice(0)) w();
  }

  onChanges(changes, cursor) {
    if (this.closed || !Array.isArray(changes)) return;
    // A change sent before a watch removed its id is no longer followed.
    if (this.ids) changes = changes.filter((c) => c.op === 'delete' || this.ids.has(c.id));
    if (this.staging) {
      for (const c of changes) {
        if (c.op === 'upsert' && c.data) this.staging.set(c.id, c.data);
        else if (c.op === 'delete') this.staging.delete(c.id);
      }
      return;
    }
    this.collection.apply(changes, cursor);
    if (cursor) this.cursor = cursor;
  }

  onReset(code) {
    if (this.closed) return;
    this.emit('reset', code);
    this.cursor = null;
    this.link?.resubscribe(this);
  }

  onError(problem) {
    if (this.closed) return;
    if (problem.code === 'bad_cursor' || problem.code === 'cursor_expired') { this.onReset(problem.code); return; }
    this.fail(new ShelfsyncError(problem));
  }

  onDown() {
    this.staging = null;
    if (!this.closed && this.status !== 'error') this.setStatus('reconnecting');
  }

  fail(err) {
    this.setStatus('error');
    this.error = err;
    this.live.detach(this);
    this.emit('error', err);
    this.rejectReady(err);
  }

  /** Drops the cache's view and takes a fresh snapshot; resolves when it is in. */
  resync() {
    if (this.closed || !this.link) return Promise.reject(new Error('feed is not running'));
    const done = new Promise((resolve) => this.waiters.push(resolve));
    this.cursor = null;
    this.link.resubscribe(this);
    return done;
  }

  /**
   * Changes which ids an ids-filtered feed follows (SPEC §7 `watch`), in
   * place: an added id arrives in its current state, a removed one leaves
   * the cache at once. Over SSE, which has no `watch`, the stream is opened
   * again for the new ids.
   * @param {{add?: string[], remove?: string[]}} change
   */
  watch({ add = [], remove = [] } = {}) {
    if (!this.ids) throw new TypeError('watch(): the feed needs an ids filter');
    if (this.closed) return;
    const removing = [...new Set(remove)].filter((id) => this.ids.has(id));
    for (const id of removing) this.ids.delete(id);
    const adding = [...new Set(add)].filter((id) => !this.ids.has(id));
    for (const id of adding) this.ids.add(id);
    if (!adding.length && !removing.length) return;
    this.filter = { ...this.filter, ids: [...this.ids] };
    for (const id of removing) this.staging?.delete(id);
    if (removing.length) this.collection?.drop(removing, this.topic);
    this.link?.watch(this, adding, removing);
  }

  /**
   * Compares the cache with the server's digest (GET /api/sync/digest) and,
   * if they still differ after a few tries (changes may be in flight),
   * repairs the cache with a fresh snapshot of the feed's scope (its filter,
   * ids or fields) and reports what differed (event `repair`).
   * @returns {Promise<{ok: boolean, healed: boolean, count: number, hash: string, differed?: {id: string, had: number | null, now: number | null}[]}>}
   */
  async verify({ heal = true, attempts = 4, interval = 250 } = {}) {
    if (!this.live.rest) throw new TypeError('verify(): the LiveClient needs a rest client');
    await this.ready;
    let server;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(interval);
      server = await this.live.rest.digest(this.topic, this.filter ? { filter: this.filter } : {});
      const local = await this.collection.digest(this.topic);
      if (local.hash === server.hash) return { ok: true, healed: false, count: local.count, hash: local.hash };
    }
    if (!heal) return { ok: false, healed: false, count: server.count, hash: server.hash };
    this.emit('heal', server);
    const before = new Map([...this.collection.records].map(([id, r]) => [id, r.version]));
    await this.resync();
    const differed = versionDiff(before, this.collection.records);
    this.emit('repair', { topic: this.topic, differed });
    return { ok: false, healed: true, count: server.count, hash: server.hash, differed };
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.unlisten?.();
    this.live.detach(this);
    this.live.feeds.delete(this);
    this.setStatus('closed');
  }

  setStatus(s) {
    if (s === this.status) return;
    this.status = s;
    this.emit('status', s);
  }
}
