// Shared by the client tests: the real server (started through the
// integration suite's helper), a client wired for Node, a writer that keeps
// changing products through restarts, an independent fresh sync to compare
// with, and a recorder of what a feed saw.

import WebSocket from 'ws';
import { startServer, api, rng, sleep } from '../../../tests/integration/lib/server.mjs';
import { createClient } from '../src/index.js';

export { startServer, api, rng, sleep, WebSocket };

/** A client for `srv` that follows it across restarts (new port each time). */
export function makeClient(srv, token, opts = {}) {
  return createClient({
    url: () => srv.url,
    token,
    WebSocket,
    backoff: { initial: 40, max: 600 },
    ...opts,
  });
}

/**
 * Polls cond() until truthy or timeout; returns the last value. The deadline
 * is generous: it only ends a wait that has already failed, and a sanitized
 * server runs several times slower.
 */
export async function eventually(cond, { timeout = 30000, interval = 50 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await cond();
    if (v || Date.now() >= end) return v;
    await sleep(interval);
  }
}

/**
 * A full snapshot over GET /api/sync with plain fetch (independent of the
 * client under test): the records `token` sees, sorted by id.
 */
export async function freshSync(srv, token, entity = 'products') {
  const records = new Map();
  let cursor = null;
  for (;;) {
    const q = `entities=${entity}&limit=1000${cursor ? `&since=${encodeURIComponent(cursor)}` : ''}`;
    const res = await fetch(`${srv.url}/api/sync?${q}`, { headers: { Authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`fresh sync: HTTP ${res.status} ${await res.text()}`);
    const body = await res.json();
    const d = body.data[entity];
    for (const r of [...d.added, ...d.updated]) records.set(r.id, r);
    for (const id of d.deleted) records.delete(id);
    cursor = body.cursor;
    if (!body.has_more) break;
  }
  return [...records.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Short description of how a feed's records differ from `expected`, or null. */
export function diffRecords(have, expected) {
  const exp = new Map(expected.map((r) => [r.id, r]));
  const got = new Map(have.map((r) => [r.id, r]));
  const out = [];
  for (const [id, r] of exp) {
    const h = got.get(id);
    if (!h) out.push(`missing ${id} v${r.version}`);
    else if (h.version !== r.version) out.push(`${id}: cache v${h.version}, server v${r.version}`);
    else if (JSON.stringify(h) !== JSON.stringify(r)) out.push(`${id} v${r.version}: data differs`);
  }
  for (const [id, h] of got) if (!exp.has(id)) out.push(`extra ${id} v${h.version}`);
  return out.length ? `${out.length} differences: ${out.slice(0, 8).join('; ')}` : null;
}

/**
 * Records what a feed delivers: per id the (version, op) sequence in arrival
 * order, each tagged with its epoch (one per `subscribed`: the first
 * subscription is epoch 0, every resume starts the next) and its batch
 * number within that epoch; and the windows in which the feed was not live.
 */
export function record(feed) {
  const rec = { byId: new Map(), outages: [], resets: 0, snapshots: 0, batches: 0, epoch: -1 };
  let downAt = null;
  let batch = 0;
  feed.on('status', (s) => {
    if (s === 'reconnecting' && downAt === null) downAt = Date.now();
    if (s === 'live') {
      rec.epoch += 1;
      batch = 0;
      if (downAt !== null) rec.outages.push({ start: downAt, end: Date.now() });
      downAt = null;
    }
  });
  feed.on('reset', () => { rec.resets += 1; });
  feed.on('changes', (changes, info) => {
    rec.batches += 1;
    batch += 1;
    if (info.snapshot) rec.snapshots += 1;
    for (const c of changes) {
      if (!rec.byId.has(c.id)) rec.byId.set(c.id, []);
      rec.byId.get(c.id).push({ v: c.version, op: c.op, snapshot: info.snapshot, epoch: rec.epoch, batch, t: Date.now() });
    }
  });
  return rec;
}

const isNetworkError = (e) => e instanceof TypeError || /fetch failed|ECONNREFUSED|socket|closed/i.test(String(e?.message ?? e));

/**
 * Creates, patches and deletes products, one request at a time, through any
 * number of server restarts. Every version it makes is logged with its
 * place in the writer's order (`versions: Map id → Map version → {order}`,
 * deletes in `deletes: Map id → order`). One request at a time means that
 * order is also the order of the server's change log.
 */
export class Writer {
  constructor(srv, token, { seed = 1, prefix = 'w' } = {}) {
    this.srv = srv;
    this.token = token;
    this.random = rng(seed);
    this.prefix = prefix;
    this.n = 0;
    this.live = new Map(); // id → {version, status}
    this.versions = new Map();
    this.deletes = new Map();
    this.order = 0;
    this.ops = 0;
  }

  client() { return api(this.srv.url, this.token); }

  // Retries a request until the server answers (it may be restarting).
  async call(fn) {
    for (let i = 0; ; i++) {
      try {
        return await fn(this.client());
      } catch (e) {
        if (!isNetworkError(e) || i > 400) throw e;
        await sleep(25);
      }
    }
  }

  note(id, version, order) {
    if (!this.versions.has(id)) this.versions.set(id, new Map());
    const m = this.versions.get(id);
    // A version made by a request whose answer was lost is logged too.
    const from = Math.max(1, ...[...m.keys()].map((v) => v + 1));
    for (let v = from; v <= version; v++) m.set(v, { order });
  }

  /** The writer's order of the write that made (id, version), or of its delete. */
  orderOf(id, version, op) {
    if (op === 'delete') return this.deletes.get(id);
    return this.versions.get(id)?.get(version)?.order;
  }

  async create(status = 'active') {
    const id = `${this.prefix}${++this.n}`;
    const order = ++this.order;
    const doc = { id, title: `Item ${id}`, price: 100 + this.n, status };
    let res = await this.call((c) => c.post('/api/products', doc));
    if (res.status === 409) res = await this.call((c) => c.get(`/api/products/${id}`)); // the first try went through
    if (res.status !== 201 && res.status !== 200) throw new Error(`create ${id}: ${res.status} ${res.text}`);
    this.live.set(id, { version: res.body.version, status: res.body.status });
    this.note(id, res.body.version, order);
    this.ops += 1;
    return res.body;
  }

  async patch(id, body) {
    const order = ++this.order;
    let res;
    try {
      res = await this.client().patch(`/api/products/${id}`, body, { contentType: 'application/merge-patch+json' });
    } catch (e) {
      if (!isNetworkError(e)) throw e;
      // Unknown whether it was applied: read what is there now.
      res = await this.call((c) => c.get(`/api/products/${id}`));
    }
    if (res.status !== 200) throw new Error(`patch ${id}: ${res.status} ${res.text}`);
    this.live.set(id, { version: res.body.version, status: res.body.status });
    this.note(id, res.body.version, order);
    this.ops += 1;
    return res.body;
  }

  async delete(id) {
    this.deletes.set(id, ++this.order);
    const res = await this.call((c) => c.del(`/api/products/${id}`));
    if (res.status !== 204 && res.status !== 404) throw new Error(`delete ${id}: ${res.status} ${res.text}`);
    this.live.delete(id);
    this.ops += 1;
  }

  pick() {
    const ids = [...this.live.keys()];
    return ids[Math.floor(this.random() * ids.length)];
  }

  /** One random step: mostly patches, some creates, status changes and deletes. */
  async step({ statuses = false } = {}) {
    const r = this.random();
    if (this.live.size < 5 || r < 0.15) return this.create(statuses && this.random() < 0.3 ? 'draft' : 'active');
    const id = this.pick();
    if (r < 0.22) return this.delete(id);
    if (statuses && r < 0.4) {
      const cur = this.live.get(id).status;
      const next = ['draft', 'active', 'archived'].filter((s) => s !== cur)[Math.floor(this.random() * 2)];
      return this.patch(id, { status: next });
    }
    return this.patch(id, { price: 1000 + Math.floor(this.random() * 100000), title: `Item ${id} ${this.ops}` });
  }
}
