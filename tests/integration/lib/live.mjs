// Helpers for the sync and live tests: sync paging, a WebSocket client for
// /api/live, a hand-written text/event-stream parser over fetch for
// /api/stream, a per-subscription view that checks the version guarantees,
// a concurrency pool and the server's RSS.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

export const MP = { contentType: 'application/merge-patch+json' };

function describe(res) {
  const t = typeof res.text === 'string' ? res.text : '';
  return `HTTP ${res.status} ${t.length > 600 ? t.slice(0, 600) + '…' : t}`;
}

// ---------------------------------------------------------------- sync --

// Merges one /api/sync answer into `state` (Map entity → Map id → record).
// Checks the per-response rules: each id at most once per entity, counts
// match the arrays. Returns {seen: Map entity → Set ids} for the caller.
export function checkSyncBody(body, where = 'sync') {
  assert.equal(typeof body, 'object', `${where}: body not JSON`);
  assert.equal(typeof body.cursor, 'string', `${where}: cursor must be a string: ${JSON.stringify(body).slice(0, 300)}`);
  assert.ok(body.cursor.length > 0, `${where}: empty cursor`);
  assert.equal(typeof body.has_more, 'boolean', `${where}: has_more must be boolean`);
  assert.equal(typeof body.has_changes, 'boolean', `${where}: has_changes must be boolean`);
  assert.equal(typeof body.data, 'object', `${where}: data must be an object`);
  let total = 0;
  for (const [entity, d] of Object.entries(body.data)) {
    for (const k of ['added', 'updated', 'deleted']) {
      assert.ok(Array.isArray(d[k]), `${where}: data.${entity}.${k} must be an array`);
    }
    assert.deepEqual(d.count, { added: d.added.length, updated: d.updated.length, deleted: d.deleted.length },
      `${where}: data.${entity}.count must match the arrays`);
    const once = new Set();
    for (const r of [...d.added, ...d.updated]) {
      assert.equal(typeof r.id, 'string', `${where}: ${entity} record without id`);
      assert.ok(Number.isInteger(r.version), `${where}: ${entity} ${r.id} without integer version`);
      assert.ok(!once.has(r.id), `${where}: ${entity} ${r.id} appears more than once in one response`);
      once.add(r.id);
    }
    for (const id of d.deleted) {
      assert.equal(typeof id, 'string', `${where}: ${entity} deleted entries must be id strings`);
      assert.ok(!once.has(id), `${where}: ${entity} ${id} appears more than once in one response`);
      once.add(id);
    }
    total += once.size;
  }
  if (total > 0) assert.equal(body.has_changes, true, `${where}: has_changes false with ${total} entries`);
  return body;
}

export async function syncOnce(client, query, where) {
  const res = await client.get(`/api/sync${query ? `?${query}` : ''}`);
  assert.equal(res.status, 200, `${where ?? 'GET /api/sync?' + query}: ${describe(res)}`);
  return checkSyncBody(res.body, where ?? `sync?${query}`);
}

// Applies a sync answer to state (Map entity → Map id → record); a version
// never goes backwards.
export function applySync(state, body, where = 'sync') {
  for (const [entity, d] of Object.entries(body.data)) {
    if (!state.has(entity)) state.set(entity, new Map());
    const m = state.get(entity);
    for (const r of [...d.added, ...d.updated]) {
      const prev = m.get(r.id);
      if (prev) assert.ok(r.version >= prev.version, `${where}: ${entity} ${r.id} went from v${prev.version} to v${r.version}`);
      m.set(r.id, r);
    }
    for (const id of d.deleted) m.delete(id);
  }
}

// Full snapshot (no since), paging until has_more is false.
// Returns {cursor, state, pages: [body]}.
export async function syncSnapshot(client, { entities, limit } = {}) {
  const q = [];
  if (entities) q.push(`entities=${entities}`);
  if (limit) q.push(`limit=${limit}`);
  const state = new Map();
  const pages = [];
  let cursor = null;
  for (let guard = 0; guard < 100000; guard++) {
    const qs = [...q, ...(cursor ? [`since=${encodeURIComponent(cursor)}`] : [])].join('&');
    const body = await syncOnce(client, qs, `snapshot page ${pages.length}`);
    pages.push(body);
    applySync(state, body, `snapshot page ${pages.length}`);
    cursor = body.cursor;
    if (!body.has_more) return { cursor, state, pages };
  }
  throw new Error('syncSnapshot: too many pages');
}

// Changes since a cursor, following has_more. Returns {cursor, bodies}.
export async function syncSince(client, since, { entities, limit } = {}) {
  const bodies = [];
  let cursor = since;
  for (let guard = 0; guard < 100000; guard++) {
    const q = [`since=${encodeURIComponent(cursor)}`];
    if (entities) q.push(`entities=${entities}`);
    if (limit) q.push(`limit=${limit}`);
    const body = await syncOnce(client, q.join('&'), `sync since ${cursor}`);
    bodies.push(body);
    cursor = body.cursor;
    if (!body.has_more) return { cursor, bodies };
  }
  throw new Error('syncSince: too many pages');
}

// The head cursor of a token's view (a full snapshot of products).
export async function headCursor(client, entities = 'products') {
  return (await syncSnapshot(client, { entities, limit: 1000 })).cursor;
}

// ---------------------------------------------------------------- views --

// What one subscription holds: id → {version, data}, with the guarantees
// checked on every change (versions only increase per id, none twice, the
// entity is the topic, op upsert|delete, data present in mode data).
export class View {
  constructor(name, { topic = 'products', mode = 'data', foreignIds = null } = {}) {
    this.name = name;
    this.topic = topic;
    this.mode = mode;
    this.foreignIds = foreignIds; // a Set of ids that must never arrive
    this.records = new Map();
    this.lastVersion = new Map();
    this.lastOp = new Map();
    this.violations = [];
    this.cursor = null; // the last cursor received (resume point)
    this.subscribed = false; // got `subscribed` at least once (cursor trusted)
    this.changes = 0;
    this.messages = 0;
    this.resets = 0;
    this.allIds = new Set(); // every id ever received (never cleared)
  }

  violation(msg) {
    if (this.violations.length < 50) this.violations.push(`${this.name}: ${msg}`);
  }

  // A fresh snapshot is about to be taken: forget everything.
  clear() {
    this.records.clear();
    this.lastVersion.clear();
    this.lastOp.clear();
    this.cursor = null;
    this.subscribed = false;
  }

  applyChanges(changes, cursor, where) {
    this.messages += 1;
    if (!Array.isArray(changes)) { this.violation(`${where}: changes is not an array`); return; }
    // Snapshot chunks (before the first `subscribed` of a fresh subscription)
    // may come without a cursor: a snapshot cannot be resumed from its middle.
    // Every other changes message (replay and live) carries one.
    if ((typeof cursor !== 'string' || cursor === '') && (this.subscribed || cursor !== undefined)) {
      this.violation(`${where}: changes message without a cursor (${JSON.stringify(cursor)})`);
    }
    for (const c of changes) {
      this.changes += 1;
      if (c.entity !== this.topic) this.violation(`${where}: entity ${c.entity} on topic ${this.topic}`);
      if (typeof c.id !== 'string' || !Number.isInteger(c.version)) {
        this.violation(`${where}: bad change ${JSON.stringify(c).slice(0, 200)}`);
        continue;
      }
      this.allIds.add(c.id);
      if (this.foreignIds && this.foreignIds.has(c.id)) this.violation(`${where}: received foreign id ${c.id}`);
      // Versions never go backwards and no change arrives twice. The one
      // legitimate repeat of a version is a view change without a record
      // change (e.g. `watch` removing or re-adding an id): the record leaves
      // as delete@v after upsert@v, or re-enters as upsert@v after delete@v.
      const last = this.lastVersion.get(c.id);
      const lastOp = this.lastOp.get(c.id);
      if (last !== undefined && (c.version < last || (c.version === last && c.op === lastOp))) {
        this.violation(`${where}: ${c.id} v${c.version} ${c.version === last ? 'twice' : `after v${last}`} (${c.op})`);
      }
      if (last === undefined || c.version >= last) {
        this.lastVersion.set(c.id, c.version);
        this.lastOp.set(c.id, c.op);
      }
      if (c.op === 'upsert') {
        if (this.mode === 'data') {
          if (!c.data || typeof c.data !== 'object') this.violation(`${where}: upsert ${c.id} without data in mode data`);
          else if (c.data.id !== c.id || c.data.version !== c.version) {
            this.violation(`${where}: upsert ${c.id} v${c.version} carries data of ${c.data.id} v${c.data.version}`);
          }
        } else if (c.data !== undefined) {
          this.violation(`${where}: upsert ${c.id} carries data in mode ${this.mode}`);
        }
        this.records.set(c.id, { version: c.version, data: c.data });
      } else if (c.op === 'delete') {
        if (c.data !== undefined) this.violation(`${where}: delete ${c.id} carries data`);
        this.records.delete(c.id);
      } else {
        this.violation(`${where}: unknown op ${c.op}`);
      }
    }
    if (typeof cursor === 'string' && cursor !== '') this.cursor = cursor;
  }

  // id → version
  versions() {
    const out = {};
    for (const [id, r] of [...this.records].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[id] = r.version;
    return out;
  }

  // Compares with the expected records (array of full records in this
  // view). Returns null when equal, else a short description of the diff.
  diff(expected) {
    const exp = new Map(expected.map((r) => [r.id, r]));
    const problems = [];
    for (const [id, r] of exp) {
      const have = this.records.get(id);
      if (!have) problems.push(`missing ${id} v${r.version}`);
      else if (have.version !== r.version) problems.push(`${id}: has v${have.version}, server v${r.version}`);
      else if (this.mode === 'data') {
        try { assert.deepEqual(have.data, r); } catch { problems.push(`${id} v${r.version}: data differs from a fresh read`); }
      }
    }
    for (const [id, have] of this.records) if (!exp.has(id)) problems.push(`extra ${id} v${have.version}`);
    return problems.length === 0 ? null : `${problems.length} differences: ${problems.slice(0, 8).join('; ')}`;
  }
}

// ---------------------------------------------------------- waiting --

class Waitable {
  constructor() {
    this.items = [];
    this.waiters = new Set();
    this.closed = false;
  }

  push(item) {
    this.items.push(item);
    this.wake();
  }

  wake() {
    for (const w of [...this.waiters]) w();
  }

  // Resolves with the first item at index ≥ from matching pred. The default
  // deadline is generous: it only ends a wait that has already failed, and
  // a sanitized build runs several times slower.
  waitFor(pred, { timeout = 30000, from = 0, what = 'message' } = {}) {
    return new Promise((resolve, reject) => {
      let i = from;
      const check = () => {
        for (; i < this.items.length; i++) {
          if (pred(this.items[i])) { done(); resolve(this.items[i]); return true; }
        }
        if (this.closed) {
          done();
          reject(new Error(`closed while waiting for ${what}; last items: ${this.tail()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeout} ms waiting for ${what}; last items: ${this.tail()}`));
      }, timeout);
      const done = () => { clearTimeout(timer); this.waiters.delete(check); };
      if (!check()) this.waiters.add(check);
    });
  }

  tail(n = 4) {
    return this.items.slice(-n).map((m) => JSON.stringify(m).slice(0, 300)).join(' | ');
  }
}

// ---------------------------------------------------------- WebSocket --

export function wsUrl(baseUrl, token) {
  const u = new URL('/api/live', baseUrl.replace(/^http/, 'ws'));
  if (token) u.searchParams.set('access_token', token);
  return u.toString();
}

// A connection to /api/live. `msgs` holds every parsed server message;
// views registered with track(sub, view) are fed as messages arrive.
export class LiveSocket extends Waitable {
  constructor(ws) {
    super();
    this.ws = ws;
    this.views = new Map();
    this.closeCode = null;
    this.errors = [];
    ws.on('message', (data, isBinary) => {
      let m;
      try {
        m = JSON.parse(data.toString('utf8'));
      } catch {
        m = { type: '__not_json__', raw: data.toString('utf8').slice(0, 300), isBinary };
      }
      const v = m && typeof m.sub === 'string' ? this.views.get(m.sub) : undefined;
      if (v) {
        if (m.type === 'changes') v.applyChanges(m.changes, m.cursor, `ws ${m.sub}`);
        else if (m.type === 'subscribed') {
          v.subscribed = true;
          if (typeof m.cursor === 'string' && m.cursor) v.cursor = m.cursor;
          else v.violation(`subscribed without a cursor: ${JSON.stringify(m)}`);
        } else if (m.type === 'reset') v.resets += 1;
      }
      this.push(m);
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.closed = true;
      this.wake();
    });
    ws.on('error', (e) => this.errors.push(e));
  }

  // opts.header: send the token as Authorization instead of ?access_token=
  static connect(baseUrl, token, { header = false, timeout = 10000 } = {}) {
    return new Promise((resolve, reject) => {
      const ws = header
        ? new WebSocket(wsUrl(baseUrl, null), { headers: { Authorization: `Bearer ${token}` } })
        : new WebSocket(wsUrl(baseUrl, token));
      const sock = new LiveSocket(ws);
      const timer = setTimeout(() => { ws.terminate(); reject(new Error('WebSocket connect timed out')); }, timeout);
      ws.once('open', () => { clearTimeout(timer); resolve(sock); });
      ws.once('unexpected-response', (req, res) => {
        clearTimeout(timer);
        let body = '';
        res.on('data', (c) => { body += c; });
        res.on('end', () => reject(Object.assign(new Error(`WebSocket upgrade refused: HTTP ${res.statusCode} ${body}`), { status: res.statusCode, body })));
      });
      ws.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
  }

  send(obj) {
    this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  }

  track(sub, view) {
    this.views.set(sub, view);
    return view;
  }

  // Sends subscribe and waits for `subscribed` (or an error/reset for the
  // sub). Changes that arrive before it are the snapshot/replay and are
  // already applied to the view. Resolves with the terminating message.
  async subscribe(msg, view, { timeout = 20000 } = {}) {
    if (view) {
      if (msg.since === undefined) view.clear();
      this.track(msg.sub, view);
    }
    const from = this.items.length;
    this.send({ type: 'subscribe', ...msg });
    return this.waitFor((m) => (m.sub === msg.sub && ['subscribed', 'reset'].includes(m.type))
      || (m.type === 'error'), { timeout, from, what: `subscribed for ${msg.sub}` });
  }

  close() {
    this.ws.close();
    return new Promise((r) => { if (this.closed) r(); else this.ws.once('close', r); });
  }

  terminate() {
    this.ws.terminate();
  }
}

// Subscribes and asserts the answer is `subscribed`.
export async function subscribeOk(sock, msg, view, opts) {
  const m = await sock.subscribe(msg, view, opts);
  assert.equal(m.type, 'subscribed', `subscribe ${JSON.stringify(msg)} answered ${JSON.stringify(m)}`);
  assert.equal(typeof m.cursor, 'string');
  return m;
}

// ---------------------------------------------------------------- SSE --

export function sseUrl(baseUrl, params) {
  const u = new URL('/api/stream', baseUrl);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    u.searchParams.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  return u.toString();
}

// Incremental text/event-stream parser (WHATWG HTML §9.2.6).
export class SseParser {
  constructor(onEvent, onComment = () => {}) {
    this.onEvent = onEvent;
    this.onComment = onComment;
    this.buf = '';
    this.data = [];
    this.event = '';
    this.lastEventId = '';
    this.sawCR = false;
  }

  feed(text) {
    this.buf += text;
    let start = 0;
    for (let i = 0; i < this.buf.length; i++) {
      const ch = this.buf[i];
      if (ch === '\n' && this.sawCR) { this.sawCR = false; start = i + 1; continue; }
      this.sawCR = false;
      if (ch === '\r' || ch === '\n') {
        this.line(this.buf.slice(start, i));
        if (ch === '\r') this.sawCR = true;
        start = i + 1;
      }
    }
    this.buf = this.buf.slice(start);
  }

  line(l) {
    if (l === '') {
      if (this.data.length > 0) {
        this.onEvent({ event: this.event || 'message', data: this.data.join('\n'), id: this.lastEventId });
      }
      this.data = [];
      this.event = '';
      return;
    }
    if (l[0] === ':') { this.onComment(l.slice(1)); return; }
    const c = l.indexOf(':');
    const field = c < 0 ? l : l.slice(0, c);
    let value = c < 0 ? '' : l.slice(c + 1);
    if (value[0] === ' ') value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id') { if (!value.includes('\0')) this.lastEventId = value; }
    // retry and unknown fields are ignored
  }
}

// A /api/stream connection. `items` holds {event, data (parsed), id}.
export class SseStream extends Waitable {
  constructor() {
    super();
    this.ac = new AbortController();
    this.comments = 0;
    this.view = null;
    this.status = 0;
    this.headers = null;
    this.error = null;
  }

  // params: {topic, filter, since, batch_ms, mode, access_token}
  // opts: {lastEventId, token (Authorization header), view}
  static async open(baseUrl, params, { lastEventId, token, view, timeout = 10000 } = {}) {
    const s = new SseStream();
    s.view = view ?? null;
    const headers = { Accept: 'text/event-stream' };
    if (lastEventId !== undefined && lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (view && lastEventId === undefined && params.since === undefined) view.clear();
    const timer = setTimeout(() => s.ac.abort(new Error('SSE connect timed out')), timeout);
    let res;
    try {
      res = await fetch(sseUrl(baseUrl, params), { headers, signal: s.ac.signal });
    } finally {
      clearTimeout(timer);
    }
    s.status = res.status;
    s.headers = res.headers;
    if (res.status !== 200) {
      s.body = await res.text();
      s.closed = true;
      return s;
    }
    s.pump(res.body);
    return s;
  }

  async pump(body) {
    const dec = new TextDecoder();
    const parser = new SseParser((ev) => {
      let data = ev.data;
      try { data = JSON.parse(ev.data); } catch { /* kept as text */ }
      const item = { event: ev.event, data, id: ev.id };
      const v = this.view;
      if (v) {
        if (ev.event === 'changes') {
          if (!data || typeof data !== 'object') v.violation(`sse changes event with non-JSON data: ${ev.data.slice(0, 200)}`);
          else {
            if (data.cursor !== undefined && ev.id !== data.cursor) v.violation(`sse changes event id ${ev.id} ≠ data.cursor ${data.cursor}`);
            v.applyChanges(data.changes, data.cursor, 'sse');
          }
        } else if (ev.event === 'subscribed') {
          v.subscribed = true;
          const c = (data && typeof data === 'object' && data.cursor) || ev.id;
          if (typeof c === 'string' && c) v.cursor = c;
          else v.violation(`sse subscribed without a cursor: ${ev.data}`);
        } else if (ev.event === 'reset') v.resets += 1;
      }
      this.push(item);
    }, () => { this.comments += 1; });
    try {
      for await (const chunk of body) parser.feed(dec.decode(chunk, { stream: true }));
    } catch (e) {
      if (!this.ac.signal.aborted) this.error = e;
    }
    this.closed = true;
    this.wake();
  }

  close() {
    this.ac.abort();
    this.closed = true;
    this.wake();
  }
}

// ---------------------------------------------------------------- misc --

// Runs fn(i) for i in [0, n) with at most `limit` in flight.
export async function pool(n, limit, fn) {
  let next = 0;
  const results = new Array(n);
  async function worker() {
    while (next < n) {
      const i = next++;
      results[i] = await fn(i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
  return results;
}

// Resident set size of a process in bytes (Linux /proc).
export function rssBytes(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(s);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

// Polls cond() (sync or async) until truthy or the timeout passes; returns
// the last value. The deadline is generous for the same reason as waitFor's.
export async function eventually(cond, { timeout = 30000, interval = 100 } = {}) {
  const end = Date.now() + timeout;
  let v;
  for (;;) {
    v = await cond();
    if (v || Date.now() >= end) return v;
    await new Promise((r) => setTimeout(r, interval));
  }
}

export const MiB = 1024 * 1024;
