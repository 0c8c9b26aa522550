// Helpers for the tests of several servers on one database (startCluster):
// a live subscriber that can move between nodes with its cursor, a view that
// keeps each message's cursors, and the checks run once writes stop — the
// subscribers' state against a fresh sync, and the order of their changes
// against the change log (as `GET /api/sync?since=` reads it afterwards) and
// against a reference subscriber.

import { api, sleep } from './server.mjs';
import {
  View, LiveSocket, SseStream, subscribeOk, syncSnapshot, syncSince, pool, eventually,
} from './live.mjs';

// A View that also logs, for each message after `subscribed`, the cursor the
// view held before it (`prev`), the message's own and its changes: each
// change was committed after `prev` and at or before `cursor`.
export class LoggedView extends View {
  constructor(name, opts) {
    super(name, opts);
    this.log = [];
  }

  applyChanges(changes, cursor, where) {
    if (this.subscribed && this.cursor && typeof cursor === 'string' && cursor !== '' && Array.isArray(changes)) {
      this.log.push({ prev: this.cursor, cursor, changes: changes.map(({ id, version, op }) => ({ id, version, op })) });
    }
    super.applyChanges(changes, cursor, where);
  }
}

// One subscription to topic products that may move between nodes.
// opts: {transport: 'ws'|'sse', token, filter, mode, batch_ms, lastEventId}
// (an SSE subscriber with lastEventId resumes with Last-Event-ID, else with
// ?since=).
export class Subscriber {
  constructor(name, opts) {
    this.opts = { transport: 'ws', mode: 'data', batch_ms: 0, filter: null, ...opts };
    this.view = new LoggedView(`${name} (${this.opts.transport} ${this.opts.mode} b${this.opts.batch_ms}`
      + `${this.opts.filter ? ` ${JSON.stringify(this.opts.filter).slice(0, 40)}` : ''})`, { mode: this.opts.mode });
    this.conn = null;
    this.url = null;
    this.connects = 0;
    this.since = null; // the cursor the last connect resumed from (null: a snapshot)
  }

  // The connection ended (its node went away) or there is none.
  get closed() { return !this.conn || this.conn.closed; }

  // Subscribes on the node at `url`: from the last cursor once the view has
  // one, else from a snapshot. Resolves once the server sent `subscribed`.
  async connect(url) {
    this.drop();
    const v = this.view;
    const since = v.subscribed && v.cursor ? v.cursor : undefined;
    const { transport, token, filter, mode, batch_ms: batchMs } = this.opts;
    this.url = url;
    this.since = since ?? null;
    this.connects++;
    if (transport === 'ws') {
      const sock = await LiveSocket.connect(url, token);
      this.conn = sock;
      const msg = { sub: 's', topic: 'products', mode, batch_ms: batchMs };
      if (filter) msg.filter = filter;
      if (since) msg.since = since;
      await subscribeOk(sock, msg, v);
      return;
    }
    const params = { topic: 'products', mode, batch_ms: batchMs, access_token: token };
    if (filter) params.filter = filter;
    const opts = { view: v };
    if (since && this.opts.lastEventId) opts.lastEventId = since;
    else if (since) params.since = since;
    const s = await SseStream.open(url, params, opts);
    this.conn = s;
    if (s.status !== 200) throw new Error(`${v.name}: SSE answered ${s.status} ${s.body}`);
    const m = await s.waitFor((x) => ['subscribed', 'reset', 'error'].includes(x.event), { what: `${v.name} subscribed` });
    if (m.event !== 'subscribed') throw new Error(`${v.name}: SSE answered ${m.event} ${JSON.stringify(m.data)}`);
  }

  // Leaves the connection: nothing more from it reaches the view.
  drop() {
    const c = this.conn;
    this.conn = null;
    if (!c) return;
    if (c instanceof LiveSocket) c.views.clear();
    else c.view = null;
    c.close();
  }
}

// Whether a record (as its reader reads it) is in a subscription's filter.
export function inFilter(filter, record) {
  if (!filter) return true;
  if (filter.ids) return filter.ids.includes(record.id);
  return Object.entries(filter).every(([field, value]) => (field === 'category_id'
    ? (record.category_ids ?? []).includes(value) : record[field] === value));
}

// The products `token` reads now, from a fresh full sync on the node at `url`.
export async function freshProducts(url, token) {
  const { state } = await syncSnapshot(api(url, token), { entities: 'products', limit: 1000 });
  return [...(state.get('products') ?? new Map()).values()];
}

// Once writes have stopped: waits until every subscriber holds what a fresh
// sync (on `url`) shows its token through its filter, then returns the
// differences and guarantee violations that remain (empty when all is well).
export async function settledProblems(subs, url, { timeout = 30000 } = {}) {
  const byToken = new Map();
  for (const s of subs) {
    if (!byToken.has(s.opts.token)) byToken.set(s.opts.token, await freshProducts(url, s.opts.token));
  }
  const expected = subs.map((s) => byToken.get(s.opts.token).filter((r) => inFilter(s.opts.filter, r)));
  await eventually(() => subs.every((s, i) => s.view.diff(expected[i]) === null), { timeout, interval: 200 });
  await sleep(500); // nothing stray may arrive afterwards
  const problems = [];
  for (const [i, s] of subs.entries()) {
    const d = s.view.diff(expected[i]);
    if (d) problems.push(`${s.view.name} (${s.connects} connects, last on ${s.url}): ${d}`);
    problems.push(...s.view.violations);
  }
  return problems;
}

// What changed after `cursor`, read now: id → latest version of each record
// that exists now and changed after it (its last change is after it).
async function changedAfter(client, cursor) {
  const out = new Map();
  const { bodies } = await syncSince(client, cursor, { entities: 'products', limit: 1000 });
  for (const b of bodies) for (const r of [...b.data.products.added, ...b.data.products.updated]) out.set(r.id, r.version);
  return out;
}

// Checks that each subscriber got its changes in log order, once writes
// have stopped; returns the problems found.
//
// Against the log (read with `adminToken` on `url`): cursors are opaque, so
// they are compared by what changed after them. For a message with cursor c
// after cursor p,
// - c is not before p: every record changed after c also changed after p;
// - each change (id, v) is after p: its record changed after p;
// - and not after c: if the record changed after c, that is a later version.
// Only records that still exist are checked: a since sync leaves out a
// record made and deleted after its cursor.
//
// Against `reference`, a subscriber that never moved, with no filter and
// batch_ms 0 (it sees every version, in order): each message of a
// subscriber holds only versions the reference got after those of its
// previous message (the order within one message is not compared: a batch
// collapses a record's versions into its latest).
export async function orderProblems(subs, { url, adminToken, reference }) {
  const client = api(url, adminToken);
  const exists = new Set((await freshProducts(url, adminToken)).map((r) => r.id));
  const cursors = [...new Set(subs.flatMap((s) => s.view.log.flatMap((e) => [e.prev, e.cursor])))];
  const after = new Map();
  await pool(cursors.length, 8, async (i) => { after.set(cursors[i], await changedAfter(client, cursors[i])); });
  const position = new Map(reference.view.log.flatMap((e) => e.changes).map((c, i) => [`${c.id}@${c.version}`, i]));
  const problems = [];
  for (const s of subs) {
    let lastMax = -1;
    for (const e of s.view.log) {
      const p = after.get(e.prev);
      const c = after.get(e.cursor);
      const back = [...c.keys()].find((id) => !p.has(id));
      if (back) problems.push(`${s.view.name}: cursor ${e.cursor} after ${e.prev} is before it (${back} changed after it only)`);
      for (const ch of e.changes.filter((x) => exists.has(x.id))) {
        if (!p.has(ch.id)) problems.push(`${s.view.name}: ${ch.id} v${ch.version} arrived after cursor ${e.prev} but did not change after it`);
        const later = c.get(ch.id);
        if (later !== undefined && later <= ch.version) {
          problems.push(`${s.view.name}: ${ch.id} v${ch.version} arrived with cursor ${e.cursor} but was committed after it`);
        }
      }
      const at = e.changes.map((ch) => position.get(`${ch.id}@${ch.version}`)).filter((x) => x !== undefined);
      if (at.length > 0) {
        if (Math.min(...at) <= lastMax) {
          problems.push(`${s.view.name}: message with cursor ${e.cursor} holds versions the reference got before those of the previous message`);
        }
        lastMax = Math.max(...at);
      }
      if (problems.length > 50) return problems;
    }
  }
  return problems;
}
