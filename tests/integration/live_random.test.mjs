// Randomized end-to-end test of the live guarantees (SPEC §7), per fixed seed:
// 4 concurrent writers make 3,000 random creates, patches (incl. status and
// category moves in and out of views) and deletes while ≥ 50 clients —
// WebSocket and SSE, admin and public, no filter / category_id / ids, data
// and invalidate mode, various batch_ms — drop at random moments (also during
// their snapshot or replay) and resume from their last cursor. A writer on a
// second tenant runs alongside. At the end every client's state equals a
// fresh listing of its view, and no client ever saw a version twice, a
// version going backwards, or another tenant's id.
//
// LIVE_SEEDS=3,4,5 picks other seeds; LIVE_CLIENTS and LIVE_OPS scale it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, rng, sleep } from './lib/server.mjs';
import { assertStatus, create, listAll } from './lib/check.mjs';
import { MP, View, LiveSocket, SseStream, pool, eventually } from './lib/live.mjs';

const SEEDS = (process.env.LIVE_SEEDS ?? '101,202,303').split(',').map((x) => Number(x.trim()));
const CLIENTS = Number(process.env.LIVE_CLIENTS ?? 56);
const OPS = Number(process.env.LIVE_OPS ?? 3000);
const WRITERS = 4;
const CATEGORIES = 4;
const INITIAL = 120;

const pick = (r, arr) => arr[Math.floor(r() * arr.length)];

class RandomClient {
  constructor(i, cfg, ctx) {
    Object.assign(this, cfg);
    this.i = i;
    this.ctx = ctx;
    this.r = rng(ctx.seed * 1000 + i);
    this.view = new View(`#${i} ${cfg.transport} ${cfg.role} ${cfg.filterKind} ${cfg.mode} b${cfg.batch_ms}`,
      { mode: cfg.mode, foreignIds: ctx.foreignIds });
    this.conn = null;
    this.reconnects = 0;
    this.connectErrors = [];
    this.final = false;
    this.wakeFinal = null;
    this.finalPromise = new Promise((res) => { this.wakeFinal = res; });
    this.subs = 0;
  }

  get token() { return this.role === 'admin' ? this.ctx.tokens.admin : this.ctx.tokens.public; }

  async connect() {
    const v = this.view;
    const resume = v.subscribed && v.cursor; // before the first `subscribed`, a snapshot is never resumed
    if (this.transport === 'ws') {
      const sock = await LiveSocket.connect(this.ctx.url, this.token, { header: this.r() < 0.3 });
      this.conn = sock;
      const sub = `s${++this.subs}`;
      const msg = { sub, topic: 'products', batch_ms: this.batch_ms, mode: this.mode };
      if (this.filter) msg.filter = this.filter;
      if (resume) msg.since = v.cursor;
      sock.subscribe(msg, v).then((m) => {
        if (m.type !== 'subscribed') v.violation(`subscribe answered ${JSON.stringify(m)}`);
      }, () => { /* dropped before subscribed */ });
    } else {
      const params = { topic: 'products', batch_ms: this.batch_ms, mode: this.mode, access_token: this.token };
      if (this.filter) params.filter = this.filter;
      const opts = { view: v };
      if (resume) {
        if (this.r() < 0.5) params.since = v.cursor;
        else opts.lastEventId = v.cursor;
      }
      const s = await SseStream.open(this.ctx.url, params, opts);
      this.conn = s;
      if (s.status !== 200) throw new Error(`SSE answered ${s.status} ${s.body}`);
    }
  }

  drop() {
    const c = this.conn;
    this.conn = null;
    if (!c) return;
    if (c instanceof LiveSocket) {
      c.views.clear(); // nothing more from this connection reaches the view
      if (this.r() < 0.5) c.terminate(); else c.close();
    } else {
      c.view = null;
      c.close();
    }
  }

  async run() {
    for (;;) {
      try {
        await this.connect();
      } catch (e) {
        this.connectErrors.push(e.message);
        this.drop();
        if (this.final && this.connectErrors.length > 20) return;
        await sleep(200);
        continue;
      }
      if (this.final) return;
      await Promise.race([sleep(30 + this.r() * 2500), this.finalPromise]);
      if (this.final) return; // stays connected for the final comparison
      this.drop();
      this.reconnects++;
      await Promise.race([sleep(this.r() * 400), this.finalPromise]);
    }
  }

  finish() {
    this.final = true;
    this.wakeFinal();
  }

  close() {
    this.drop();
  }
}

async function runSeed(seed) {
  const srv = await startServer();
  const started = Date.now();
  const clients = [];
  try {
    const r = rng(seed);
    const T = await srv.createTenant(`random-${seed}`);
    const U = await srv.createTenant(`random-${seed}-other`);
    const admin = api(srv.url, T.admin_token);
    const pub = api(srv.url, T.public_token);
    const other = api(srv.url, U.admin_token);
    const cats = [];
    for (let i = 0; i < CATEGORIES; i++) cats.push((await create(admin, 'categories', { name: `Cat ${i}` })).id);
    const randomCats = () => {
      const k = Math.floor(r() * 3); // 0–2 categories
      return [...new Set(Array.from({ length: k }, () => pick(r, cats)))];
    };
    const randomStatus = () => (r() < 0.65 ? 'active' : r() < 0.6 ? 'draft' : 'archived');
    const specs = Array.from({ length: INITIAL }, (_, i) => ({
      title: `Item ${i}`, price: 100 + i, status: randomStatus(), category_ids: randomCats(),
    }));
    const products = await pool(INITIAL, 16, (i) => create(admin, 'products', specs[i]));
    const live = products.map((p) => ({ id: p.id, deleted: false }));
    const foreignIds = new Set();
    for (let i = 0; i < 10; i++) foreignIds.add((await create(other, 'products', { title: `Other ${i}`, price: 1, status: 'active' })).id);

    const ctx = { seed, url: srv.url, tokens: { admin: T.admin_token, public: T.public_token }, foreignIds };
    for (let i = 0; i < CLIENTS; i++) {
      const x = r();
      const filterKind = x < 0.4 ? 'none' : x < 0.7 ? 'category' : 'ids';
      let filter = null;
      if (filterKind === 'category') filter = { category_id: pick(r, cats) };
      if (filterKind === 'ids') filter = { ids: [...new Set(Array.from({ length: 8 }, () => pick(r, products).id))] };
      clients.push(new RandomClient(i, {
        transport: i % 2 === 0 ? 'ws' : 'sse',
        role: r() < 0.5 ? 'admin' : 'public',
        filterKind,
        filter,
        mode: r() < 0.2 ? 'invalidate' : 'data',
        batch_ms: pick(r, [0, 0, 0, 20, 100, 300]),
      }, ctx));
    }
    const running = clients.map((c) => c.run());

    // writers
    const perWriter = Math.ceil(OPS / WRITERS);
    const stats = { writes: 0, create: 0, patch: 0, status: 0, move: 0, delete: 0, notFound: 0 };
    const writer = async (w) => {
      const wr = rng(seed * 7 + w);
      for (let n = 0; n < perWriter; n++) {
        const x = wr();
        const alive = live.filter((p) => !p.deleted);
        const target = alive[Math.floor(wr() * alive.length)];
        let res;
        if (x < 0.15 || !target) {
          const p = await create(admin, 'products', {
            title: `New ${w}-${n}`, price: Math.floor(wr() * 9000), status: wr() < 0.6 ? 'active' : 'draft',
            category_ids: [...new Set([pick(wr, cats), pick(wr, cats)].slice(0, 1 + Math.floor(wr() * 2)))],
          });
          live.push({ id: p.id, deleted: false });
          stats.create++;
        } else if (x < 0.2) {
          target.deleted = true;
          res = await admin.del(`/api/products/${target.id}`);
          assert.ok([204, 404].includes(res.status), `DELETE ${res.status} ${res.text}`);
          stats.delete++;
        } else {
          let body;
          if (x < 0.55) { body = { price: Math.floor(wr() * 100000) }; stats.patch++; }
          else if (x < 0.7) { body = { status: pick(wr, ['active', 'active', 'draft', 'archived']) }; stats.status++; }
          else if (x < 0.9) { body = { category_ids: [...new Set([pick(wr, cats), pick(wr, cats)])].slice(0, Math.floor(wr() * 3)) }; stats.move++; }
          else {
            body = { status: pick(wr, ['active', 'draft']), category_ids: [pick(wr, cats)], title: `Moved ${w}-${n}` };
            stats.status++;
            stats.move++;
          }
          res = await admin.patch(`/api/products/${target.id}`, body, MP);
          assert.ok([200, 404].includes(res.status), `PATCH ${res.status} ${res.text}`);
        }
        if (res?.status === 404) stats.notFound++;
        else stats.writes++;
        await sleep(wr() * 50);
      }
    };
    const otherWriter = async () => {
      const wr = rng(seed * 13);
      const mine = [...foreignIds];
      for (let n = 0; n < 120; n++) {
        if (wr() < 0.3) {
          const p = await create(other, 'products', { title: `Other new ${n}`, price: 2, status: 'active' });
          foreignIds.add(p.id);
          mine.push(p.id);
        } else {
          assertStatus(await other.patch(`/api/products/${pick(wr, mine)}`, { price: n + 3 }, MP), 200);
        }
        await sleep(wr() * 80);
      }
    };
    const tw = Date.now();
    await Promise.all([...Array.from({ length: WRITERS }, (_, w) => writer(w)), otherWriter()]);
    const writeSecs = (Date.now() - tw) / 1000;

    // quiesce: every client ends connected, then compare with fresh listings
    for (const c of clients) c.finish();
    await Promise.all(running);
    const listing = { admin: await listAll(admin, '/api/products'), public: await listAll(pub, '/api/products') };
    // a server-side category filter agrees with the local one
    const byCat = await listAll(pub, `/api/products?category_id=${cats[0]}`);
    assert.deepEqual(byCat.map((p) => p.id), listing.public.filter((p) => p.category_ids.includes(cats[0])).map((p) => p.id));
    const expectedFor = (c) => listing[c.role].filter((p) => {
      if (c.filterKind === 'category') return p.category_ids.includes(c.filter.category_id);
      if (c.filterKind === 'ids') return c.filter.ids.includes(p.id);
      return true;
    });
    const exp = clients.map(expectedFor);
    const allMatch = () => clients.every((c, i) => c.view.diff(exp[i]) === null);
    await eventually(allMatch, { timeout: 30000, interval: 200 });
    await sleep(1000); // nothing stray may arrive afterwards
    const problems = [];
    for (const [i, c] of clients.entries()) {
      const d = c.view.diff(exp[i]);
      if (d) problems.push(`${c.view.name} (reconnects ${c.reconnects}, cursor ${c.view.cursor}): ${d}`);
      problems.push(...c.view.violations);
      for (const id of c.view.allIds) if (foreignIds.has(id)) problems.push(`${c.view.name}: received the other tenant's ${id}`);
      if (c.connectErrors.length) problems.push(`${c.view.name}: ${c.connectErrors.length} failed connects: ${c.connectErrors[0]}`);
    }
    const changes = clients.reduce((s, c) => s + c.view.changes, 0);
    const messages = clients.reduce((s, c) => s + c.view.messages, 0);
    const reconnects = clients.reduce((s, c) => s + c.reconnects, 0);
    const ws = clients.filter((c) => c.transport === 'ws').length;
    console.log(`# live_random seed ${seed}: ${clients.length} clients (${ws} ws, ${clients.length - ws} sse), `
      + `${stats.writes} writes (${JSON.stringify(stats)}) in ${writeSecs.toFixed(1)} s, `
      + `${changes} changes received in ${messages} messages, ${reconnects} reconnects, `
      + `${problems.length} problems, ${((Date.now() - started) / 1000).toFixed(1)} s total`);
    assert.ok(reconnects >= clients.length, `only ${reconnects} reconnects`);
    assert.deepEqual(problems.slice(0, 30), [], `${problems.length} problems`);
  } finally {
    for (const c of clients) c.close();
    await srv.stop();
  }
}

for (const seed of SEEDS) {
  test(`randomized live end-to-end, seed ${seed}`, { timeout: 240000 }, () => runSeed(seed));
}
