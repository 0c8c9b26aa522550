// Live updates (SPEC §7) over WebSocket /api/live and SSE /api/stream:
// snapshot then live with no gap, resume, batching, filter moves, roles,
// protocol errors, tenant isolation, watch, ping, Last-Event-ID, reset.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, rng, sleep } from './lib/server.mjs';
import { assertProblem, assertStatus, create, listAll } from './lib/check.mjs';
import {
  MP, View, LiveSocket, SseStream, subscribeOk, headCursor, pool, eventually,
} from './lib/live.mjs';

let srv;
let hb; // an idle SSE stream kept open to see heartbeats
let hbOpened = 0;
const HEARTBEAT_SLACK_MS = 5000;

before(async () => {
  srv = await startServer();
  const t = await srv.createTenant('live-heartbeat');
  hb = await SseStream.open(srv.url, { topic: 'products', access_token: t.public_token });
  hbOpened = Date.now();
});
after(async () => {
  hb?.close();
  await srv?.stop();
});

async function tenant(name) {
  const t = await srv.createTenant(name);
  return { t, admin: api(srv.url, t.admin_token), pub: api(srv.url, t.public_token) };
}

async function patch(client, id, body) {
  const res = await client.patch(`/api/products/${id}`, body, MP);
  assertStatus(res, 200, `PATCH ${id} ${JSON.stringify(body)}`);
  return res.body;
}

const product = (n, extra = {}) => ({ title: `Product ${n}`, price: 100 + n, status: 'active', ...extra });

// The records a view should hold now: a fresh listing with the view's token,
// narrowed by its filter.
async function expected(client, filter = null) {
  let recs = await listAll(client, '/api/products');
  if (filter?.category_id) recs = recs.filter((r) => r.category_ids.includes(filter.category_id));
  if (filter?.ids) recs = recs.filter((r) => filter.ids.includes(r.id));
  return recs;
}

// Waits until every [view, client, filter] equals a fresh listing; asserts
// no guarantee was broken.
async function settle(entries, { timeout = 60000 } = {}) {
  const exp = await Promise.all(entries.map(([, client, filter]) => expected(client, filter)));
  const ok = await eventually(() => entries.every(([v], i) => v.diff(exp[i]) === null), { timeout, interval: 100 });
  for (const [i, [v]] of entries.entries()) {
    assert.deepEqual(v.violations, [], `${v.name}: guarantees broken`);
    if (!ok) assert.equal(v.diff(exp[i]), null, `${v.name} differs from a fresh listing`);
  }
}

// Random writes until stopped: patches (price, status, title), creates, deletes.
function writer(admin, productsList, seed, { pause = 5 } = {}) {
  const r = rng(seed);
  let stop = false;
  let n = 0;
  const done = (async () => {
    while (!stop) {
      const x = r();
      const live = productsList.filter((p) => !p.deleted);
      const p = live[Math.floor(r() * live.length)];
      if (x < 0.15 || !p) {
        productsList.push(await create(admin, 'products', product(1000 + n, { status: r() < 0.7 ? 'active' : 'draft' })));
      } else if (x < 0.2) {
        p.deleted = true;
        const res = await admin.del(`/api/products/${p.id}`);
        assert.ok([204, 404].includes(res.status), `DELETE ${res.status}`);
      } else {
        const body = x < 0.35 ? { status: r() < 0.6 ? 'active' : 'draft' } : { price: Math.floor(r() * 10000) };
        const res = await admin.patch(`/api/products/${p.id}`, body, MP);
        assert.ok([200, 404].includes(res.status), `PATCH ${res.status} ${res.text}`);
      }
      n++;
      if (pause) await sleep(Math.floor(r() * pause));
    }
  })();
  return { stop: async () => { stop = true; await done; return n; }, get count() { return n; } };
}

test('snapshot then live with no gap (WS and SSE, admin and public, data and invalidate)', async () => {
  const t = await tenant('live-nogap');
  const list = await pool(150, 16, (i) => create(t.admin, 'products', product(i, { status: i % 4 === 0 ? 'draft' : 'active' })));
  const w = [writer(t.admin, list, 1), writer(t.admin, list, 2)];
  await sleep(300);
  const entries = [];
  const socks = [];
  const streams = [];
  for (const [role, token, client] of [['admin', t.t.admin_token, t.admin], ['public', t.t.public_token, t.pub]]) {
    for (const mode of ['data', 'invalidate']) {
      const s = await LiveSocket.connect(srv.url, token, { header: mode === 'invalidate' });
      socks.push(s);
      const v = new View(`ws ${role} ${mode}`, { mode });
      const m = await subscribeOk(s, { sub: 's1', topic: 'products', mode }, v);
      assert.ok(v.records.size > 0, `${v.name}: the snapshot came before subscribed (${m.cursor})`);
      entries.push([v, client, null]);
    }
    const sv = new View(`sse ${role}`);
    streams.push(await SseStream.open(srv.url, { topic: 'products', access_token: token }, { view: sv }));
    assert.equal(streams.at(-1).status, 200, `SSE: ${streams.at(-1).body}`);
    assert.match(streams.at(-1).headers.get('content-type'), /^text\/event-stream/);
    entries.push([sv, client, null]);
    await sleep(100);
  }
  // Live traffic after the last snapshot by construction: wait for the
  // writers to make 50 more writes, however long that takes, rather than
  // counting what a fixed second happened to hold.
  const written = w[0].count + w[1].count;
  assert.ok(await eventually(() => w[0].count + w[1].count >= written + 50), 'the writers stalled');
  const n = (await w[0].stop()) + (await w[1].stop());
  assert.ok(n > 50, `writers made ${n} writes`);
  try {
    await settle(entries);
    for (const s of streams) assert.ok(s.items.some((e) => e.event === 'subscribed'), 'SSE sent subscribed');
    for (const [v] of entries) {
      if (v.name.startsWith('ws public') || v.name.startsWith('sse public')) {
        for (const r of v.records.values()) if (r.data) assert.equal(r.data.status, 'active');
      }
    }
  } finally {
    for (const s of socks) s.terminate();
    for (const s of streams) s.close();
  }
});

test('resume with since after a disconnect loses nothing and replays each record once', async () => {
  const t = await tenant('live-resume');
  const [a, b, c, d] = await pool(4, 4, (i) => create(t.admin, 'products', product(i)));
  const va = new View('ws admin');
  const vp = new View('ws public');
  let sa = await LiveSocket.connect(srv.url, t.t.admin_token);
  let sp = await LiveSocket.connect(srv.url, t.t.public_token);
  await subscribeOk(sa, { sub: 'a', topic: 'products' }, va);
  await subscribeOk(sp, { sub: 'p', topic: 'products', batch_ms: 50 }, vp);
  const pa = await patch(t.admin, a.id, { price: 1 });
  await eventually(() => va.records.get(a.id)?.version === pa.version && vp.records.get(a.id)?.version === pa.version);
  assert.equal(vp.records.get(a.id)?.version, pa.version, 'public got the change before the disconnect');
  sa.terminate();
  await sp.close();

  // the gap
  for (let i = 0; i < 3; i++) await patch(t.admin, a.id, { price: 10 + i });
  assertStatus(await t.admin.del(`/api/products/${b.id}`), 204);
  const e = await create(t.admin, 'products', product(5));
  await patch(t.admin, d.id, { status: 'draft' });
  const f = await create(t.admin, 'products', product(6, { status: 'draft' }));
  await patch(t.admin, f.id, { title: 'draft, edited' });

  sa = await LiveSocket.connect(srv.url, t.t.admin_token);
  sp = await LiveSocket.connect(srv.url, t.t.public_token);
  const fromA = sa.items.length;
  const fromP = sp.items.length;
  try {
    await subscribeOk(sa, { sub: 'a2', topic: 'products', since: va.cursor }, va);
    await subscribeOk(sp, { sub: 'p2', topic: 'products', since: vp.cursor, batch_ms: 50 }, vp);
    await settle([[va, t.admin, null], [vp, t.pub, null]]);
    await sleep(300);
    const replay = (s, from) => s.items.slice(from).filter((m) => m.type === 'changes').flatMap((m) => m.changes);
    const ra = replay(sa, fromA);
    const count = (chs) => chs.reduce((m, ch) => m.set(ch.id, (m.get(ch.id) ?? 0) + 1), new Map());
    for (const [id, k] of count(ra)) assert.equal(k, 1, `admin replay carries ${id} ${k} times`);
    const byId = new Map(ra.map((ch) => [ch.id, ch]));
    assert.deepEqual([byId.get(a.id)?.op, byId.get(a.id)?.version], ['upsert', pa.version + 3], 'a: latest state once');
    assert.equal(byId.get(b.id)?.op, 'delete', 'b: deleted');
    assert.equal(byId.get(e.id)?.op, 'upsert', 'e: created');
    assert.equal(byId.get(d.id)?.op, 'upsert', 'd: draft is an update for admin');
    assert.equal(byId.get(f.id)?.version, 2);
    assert.equal(byId.has(c.id), false, 'c did not change and is not replayed');
    const rp = replay(sp, fromP);
    for (const [id, k] of count(rp)) assert.equal(k, 1, `public replay carries ${id} ${k} times`);
    const pById = new Map(rp.map((ch) => [ch.id, ch]));
    assert.equal(pById.get(d.id)?.op, 'delete', 'd turned draft arrives as delete for the public');
    assert.equal(pById.get(b.id)?.op, 'delete');
    assert.equal(pById.get(a.id)?.version, pa.version + 3);
    assert.ok(!pById.has(f.id) || pById.get(f.id).op === 'delete', 'a draft never arrives as upsert for the public');
    // live continues after the replay
    const pa2 = await patch(t.admin, a.id, { price: 99 });
    await eventually(() => va.records.get(a.id)?.version === pa2.version && vp.records.get(a.id)?.version === pa2.version);
    assert.equal(va.records.get(a.id)?.version, pa2.version);
    assert.equal(vp.records.get(a.id)?.version, pa2.version);
    assert.deepEqual([...va.violations, ...vp.violations], []);
  } finally {
    sa.terminate();
    sp.terminate();
  }
});

test('batching: batch_ms 300 collapses 100 PATCHes, batch_ms 0 delivers every version in order', async () => {
  const t = await tenant('live-batch');
  const p = await create(t.admin, 'products', product(1));
  const other = await create(t.admin, 'products', product(2));
  const s300 = await LiveSocket.connect(srv.url, t.t.admin_token);
  const s0 = await LiveSocket.connect(srv.url, t.t.admin_token);
  const v300 = new View('batch 300');
  const v0 = new View('batch 0');
  try {
    await subscribeOk(s300, { sub: 'b', topic: 'products', filter: { ids: [p.id] }, batch_ms: 300 }, v300);
    await subscribeOk(s0, { sub: 'b', topic: 'products', filter: { ids: [p.id] }, batch_ms: 0 }, v0);
    assert.equal(v300.records.get(p.id)?.version, 1);
    assert.equal(v0.records.get(p.id)?.version, 1);
    const from300 = s300.items.length;
    const from0 = s0.items.length;
    const t0 = Date.now();
    let last;
    for (let i = 1; i <= 100; i++) last = await patch(t.admin, p.id, { price: 1000 + i });
    const elapsed = Date.now() - t0;
    await patch(t.admin, other.id, { price: 5 }); // outside both filters
    assert.equal(last.version, 101);
    await eventually(() => v300.records.get(p.id)?.version === 101 && v0.records.get(p.id)?.version === 101);
    await sleep(700);
    const msgs300 = s300.items.slice(from300).filter((m) => m.type === 'changes');
    const ch300 = msgs300.flatMap((m) => m.changes);
    const maxMsgs = Math.ceil(elapsed / 300) + 2;
    console.log(`# batch_ms 300: 100 PATCHes in ${elapsed} ms → ${msgs300.length} messages, ${ch300.length} changes`);
    assert.ok(ch300.length < 100, `batch_ms 300 delivered ${ch300.length} changes for 100 PATCHes`);
    assert.ok(msgs300.length <= maxMsgs, `${msgs300.length} messages in ${elapsed} ms (≤ ${maxMsgs} expected)`);
    for (const m of msgs300) {
      assert.ok(m.changes.filter((c) => c.id === p.id).length <= 1, 'within a batch a record collapses to its latest');
    }
    assert.equal(ch300.at(-1).version, 101, 'the last message carries the final version');
    assert.equal(ch300.at(-1).data.price, 1100);
    assert.ok(ch300.every((c) => c.id === p.id), 'only the filtered product');

    const ch0 = s0.items.slice(from0).filter((m) => m.type === 'changes').flatMap((m) => m.changes);
    assert.deepEqual(ch0.map((c) => c.version), Array.from({ length: 100 }, (_, i) => i + 2),
      'batch_ms 0: every version, in order');
    assert.deepEqual(ch0.map((c) => c.data.price), Array.from({ length: 100 }, (_, i) => 1001 + i));
    assert.deepEqual([...v300.violations, ...v0.violations], []);
  } finally {
    s300.terminate();
    s0.terminate();
  }
});

test('a product leaving the filter arrives as delete, entering as upsert; public never sees a draft', async () => {
  const t = await tenant('live-filter');
  const c1 = await create(t.admin, 'categories', { name: 'C1' });
  const c2 = await create(t.admin, 'categories', { name: 'C2' });
  const p = await create(t.admin, 'products', product(1, { category_ids: [c1.id] }));
  const q = await create(t.admin, 'products', product(2, { category_ids: [c2.id] }));
  const d = await create(t.admin, 'products', product(3, { status: 'draft', category_ids: [c1.id] }));
  const sa = await LiveSocket.connect(srv.url, t.t.admin_token);
  const sp = await LiveSocket.connect(srv.url, t.t.public_token);
  const sse = new View('sse public c1');
  const va = new View('ws admin c1');
  const vp = new View('ws public c1');
  const vpAll = new View('ws public all');
  const stream = await SseStream.open(srv.url, {
    topic: 'products', filter: { category_id: c1.id }, access_token: t.t.public_token,
  }, { view: sse });
  try {
    await subscribeOk(sa, { sub: 'f', topic: 'products', filter: { category_id: c1.id } }, va);
    await subscribeOk(sp, { sub: 'f', topic: 'products', filter: { category_id: c1.id } }, vp);
    await subscribeOk(sp, { sub: 'all', topic: 'products' }, vpAll);
    assert.deepEqual(Object.keys(va.versions()).sort(), [p.id, d.id].sort(), 'admin snapshot: c1 products incl. draft');
    assert.deepEqual(Object.keys(vp.versions()), [p.id], 'public snapshot: active c1 products only');
    assert.deepEqual(Object.keys(vpAll.versions()).sort(), [p.id, q.id].sort());
    await eventually(() => sse.subscribed);

    const mark = sp.items.length;
    const p2 = await patch(t.admin, p.id, { category_ids: [c2.id] }); // leaves c1
    const q2 = await patch(t.admin, q.id, { category_ids: [c1.id, c2.id] }); // enters c1
    const d2 = await patch(t.admin, d.id, { price: 7 }); // a draft edit
    const q3 = await patch(t.admin, q.id, { status: 'draft' }); // leaves the public view
    const d3 = await patch(t.admin, d.id, { status: 'active' }); // enters the public view
    await settle([[va, t.admin, { category_id: c1.id }], [vp, t.pub, { category_id: c1.id }],
      [vpAll, t.pub, null], [sse, t.pub, { category_id: c1.id }]]);
    const got = (s, sub) => s.items.filter((m) => m.type === 'changes' && m.sub === sub).flatMap((m) => m.changes);
    const sig = (chs, id) => chs.filter((c) => c.id === id).map((c) => `${c.op}@${c.version}`);
    const adminCh = got(sa, 'f');
    assert.deepEqual(sig(adminCh, p.id), ['upsert@1', `delete@${p2.version}`], 'p leaves c1: delete');
    assert.deepEqual(sig(adminCh, q.id), [`upsert@${q2.version}`, `upsert@${q3.version}`], 'q enters c1: upsert');
    assert.deepEqual(sig(adminCh, d.id), ['upsert@1', `upsert@${d2.version}`, `upsert@${d3.version}`]);
    const pubCh = got(sp, 'f');
    assert.deepEqual(sig(pubCh, p.id), ['upsert@1', `delete@${p2.version}`]);
    assert.deepEqual(sig(pubCh, q.id), [`upsert@${q2.version}`, `delete@${q3.version}`], 'q turned draft: delete for the public');
    // d was a draft until d3: the public gets no upsert before it (a delete for an
    // id it never saw is tolerated), then the upsert when it turns active
    assert.deepEqual(sig(pubCh, d.id).filter((x) => x.startsWith('upsert')), [`upsert@${d3.version}`],
      'd: never seen as a draft, upsert when active');
    assert.equal(sig(pubCh, d.id).at(-1), `upsert@${d3.version}`);
    const pubAllCh = got(sp, 'all');
    assert.deepEqual(sig(pubAllCh, q.id).at(-1), `delete@${q3.version}`);
    for (const ch of [...pubCh, ...pubAllCh, ...stream.items.filter((e) => e.event === 'changes').flatMap((e) => e.data.changes)]) {
      if (ch.op === 'upsert') {
        assert.equal(ch.data.status, 'active', `public received a ${ch.data.status} product`);
        for (const k of ['stock_total', 'low_stock_threshold', 'track_inventory', 'allow_backorder']) {
          assert.equal(k in ch.data, false, `public change data carries ${k}`);
        }
      }
    }
    assert.ok(sp.items.slice(mark).every((m) => m.type !== 'error'));
    // a draft-only filter gives the public nothing
    const vd = new View('ws public ids[draft]');
    const dd = await create(t.admin, 'products', product(4, { status: 'draft' }));
    await subscribeOk(sp, { sub: 'ids', topic: 'products', filter: { ids: [dd.id] } }, vd);
    await patch(t.admin, dd.id, { price: 3 });
    await sleep(300);
    assert.equal(vd.records.size, 0);
    assert.ok(got(sp, 'ids').every((c) => c.op === 'delete'), 'no draft upsert for the public');
  } finally {
    sa.terminate();
    sp.terminate();
    stream.close();
  }
});

test('protocol errors: forbidden_filter, bad_filter, unknown_topic, forbidden, bad_cursor, bad_message, duplicate_sub, unknown_sub', async () => {
  const t = await tenant('live-errors');
  await create(t.admin, 'products', product(1));
  const sp = await LiveSocket.connect(srv.url, t.t.public_token);
  const sa = await LiveSocket.connect(srv.url, t.t.admin_token);
  async function expectError(sock, msg, code) {
    const from = sock.items.length;
    sock.send(msg);
    const m = await sock.waitFor((x) => x.type === 'error' || x.type === 'subscribed' || x.type === 'pong'
      || x.type === 'reset', { from, what: `error ${code}` });
    assert.equal(m.type, 'error', `${JSON.stringify(msg)} → ${JSON.stringify(m)}`);
    assert.equal(m.code, code, `${typeof msg === 'string' ? msg : JSON.stringify(msg)} → ${JSON.stringify(m)}`);
    assert.equal(typeof m.message, 'string');
    return m;
  }
  try {
    await expectError(sp, { type: 'subscribe', sub: 'x1', topic: 'products', filter: { status: 'draft' } }, 'forbidden_filter');
    await expectError(sp, { type: 'subscribe', sub: 'x2', topic: 'products', filter: { status: 'active' } }, 'forbidden_filter');
    await expectError(sp, { type: 'subscribe', sub: 'x3', topic: 'customers' }, 'forbidden');
    await expectError(sa, { type: 'subscribe', sub: 'x4', topic: 'gizmos' }, 'unknown_topic');
    await expectError(sa, { type: 'subscribe', sub: 'x5', topic: 'products', filter: { colour: 'red' } }, 'bad_filter');
    await expectError(sa, { type: 'subscribe', sub: 'x6', topic: 'products', filter: { ids: 'p1' } }, 'bad_filter');
    await expectError(sa, { type: 'subscribe', sub: 'x7', topic: 'products', filter: 'x' }, 'bad_filter');
    await expectError(sa, { type: 'subscribe', sub: 'x8', topic: 'products', since: 'garbage!' }, 'bad_cursor');
    await expectError(sa, 'not json', 'bad_message');
    await expectError(sa, { sub: 'x9', topic: 'products' }, 'bad_message');
    await expectError(sa, { type: 'dance' }, 'bad_message');
    await expectError(sa, { type: 'subscribe', sub: 'x10', topic: 'products', batch_ms: 5001 }, 'bad_message');
    await expectError(sa, { type: 'subscribe', sub: 'x11', topic: 'products', mode: 'everything' }, 'bad_message');
    await expectError(sa, { type: 'subscribe', topic: 'products' }, 'bad_message');
    await subscribeOk(sa, { sub: 'ok', topic: 'products' }, new View('ok'));
    await expectError(sa, { type: 'subscribe', sub: 'ok', topic: 'products' }, 'duplicate_sub');
    await expectError(sa, { type: 'unsubscribe', sub: 'nope' }, 'unknown_sub');
    await expectError(sa, { type: 'watch', sub: 'nope', add: ['a'] }, 'unknown_sub');
    // the connection stays usable
    const from = sa.items.length;
    sa.send({ type: 'ping' });
    await sa.waitFor((m) => m.type === 'pong', { from, what: 'pong' });
    assert.equal(sa.closed, false);
    // a bad token is refused at the upgrade
    await assert.rejects(LiveSocket.connect(srv.url, 'sk_not_a_token'), (e) => e.status === 401);
    await assert.rejects(LiveSocket.connect(srv.url, null), (e) => e.status === 401);
    // SSE refuses the same things with problem+json before streaming
    const sse = async (params, status, code) => {
      const s = await SseStream.open(srv.url, params);
      const res = { status: s.status, headers: s.headers, text: s.body, body: JSON.parse(s.body || 'null') };
      s.close();
      assertProblem(res, status, code);
    };
    await sse({ topic: 'products', filter: { status: 'draft' }, access_token: t.t.public_token }, 403, 'forbidden_filter');
    await sse({ topic: 'customers', access_token: t.t.public_token }, 403, 'forbidden');
    await sse({ topic: 'gizmos', access_token: t.t.admin_token }, 404, 'unknown_topic'); // SPEC §2: unknown → 404
    await sse({ topic: 'products', filter: '{not json', access_token: t.t.admin_token }, 400, 'bad_filter');
    await sse({ topic: 'products', since: 'garbage!', access_token: t.t.admin_token }, 400, 'bad_cursor');
    await sse({ topic: 'products' }, 401, 'unauthorized');
    await sse({ topic: 'products', access_token: 'pk_nope' }, 401, 'invalid_token');
  } finally {
    sp.terminate();
    sa.terminate();
  }
});

test("tenant isolation: B's subscribers never receive A's changes", async () => {
  const A = await tenant('live-iso-a');
  const B = await tenant('live-iso-b');
  const aP = await pool(10, 5, (i) => create(A.admin, 'products', product(i)));
  const bP = await create(B.admin, 'products', product(1));
  const aIds = new Set(aP.map((p) => p.id));
  const sb = await LiveSocket.connect(srv.url, B.t.admin_token);
  const sbp = await LiveSocket.connect(srv.url, B.t.public_token);
  const views = [new View('B admin all', { foreignIds: aIds }), new View('B admin ids[A]', { foreignIds: aIds }),
    new View('B public', { foreignIds: aIds }), new View('B sse', { foreignIds: aIds })];
  const stream = await SseStream.open(srv.url, { topic: 'products', access_token: B.t.admin_token }, { view: views[3] });
  try {
    await subscribeOk(sb, { sub: 'all', topic: 'products' }, views[0]);
    await subscribeOk(sb, { sub: 'ids', topic: 'products', filter: { ids: [...aIds, bP.id] } }, views[1]);
    await subscribeOk(sbp, { sub: 'all', topic: 'products' }, views[2]);
    for (const p of aP) await patch(A.admin, p.id, { price: 1 });
    await create(A.admin, 'products', product(99, { id: 'live_iso_x' }));
    aIds.add('live_iso_x');
    const bv = await patch(B.admin, bP.id, { price: 2 });
    await eventually(() => views.every((v) => v.records.get(bP.id)?.version === bv.version));
    for (const v of views) {
      assert.equal(v.records.get(bP.id)?.version, bv.version, `${v.name} got B's own change`);
      assert.deepEqual(v.violations, []);
      assert.deepEqual(Object.keys(v.versions()), [bP.id]);
    }
  } finally {
    sb.terminate();
    sbp.terminate();
    stream.close();
  }
});

test('watch adds and removes ids in place; unsubscribe stops a sub; ping → pong', async () => {
  const t = await tenant('live-watch');
  const [p1, p2, p3] = await pool(3, 3, (i) => create(t.admin, 'products', product(i)));
  const s = await LiveSocket.connect(srv.url, t.t.admin_token);
  const v = new View('watch');
  try {
    await subscribeOk(s, { sub: 'w', topic: 'products', filter: { ids: [p1.id] } }, v);
    assert.deepEqual(v.versions(), { [p1.id]: 1 });
    const p2v = await patch(t.admin, p2.id, { price: 5 });
    let from = s.items.length;
    s.send({ type: 'watch', sub: 'w', add: [p2.id] });
    await eventually(() => v.records.get(p2.id)?.version === p2v.version);
    assert.equal(v.records.get(p2.id)?.version, p2v.version, 'an added id arrives as upsert in its current state');
    assert.deepEqual(v.records.get(p2.id).data, assertStatus(await t.admin.get(`/api/products/${p2.id}`), 200));
    const p2w = await patch(t.admin, p2.id, { price: 6 });
    await eventually(() => v.records.get(p2.id)?.version === p2w.version);
    assert.equal(v.records.get(p2.id)?.version, p2w.version, 'live changes of an added id arrive');

    from = s.items.length;
    s.send({ type: 'watch', sub: 'w', remove: [p1.id] });
    const rm = await s.waitFor((m) => m.type === 'changes' && m.changes.some((c) => c.id === p1.id),
      { from, what: 'delete for the removed id' }).catch((e) => e);
    assert.ok(!(rm instanceof Error), `a removed id leaves the view and arrives as delete (${rm.message ?? ''})`);
    assert.equal(rm.changes.find((c) => c.id === p1.id).op, 'delete');
    from = s.items.length;
    await patch(t.admin, p1.id, { price: 7 });
    await patch(t.admin, p3.id, { price: 7 });
    const p2x = await patch(t.admin, p2.id, { price: 8 });
    await eventually(() => v.records.get(p2.id)?.version === p2x.version);
    const after = s.items.slice(from).filter((m) => m.type === 'changes').flatMap((m) => m.changes);
    assert.deepEqual(after.map((c) => c.id), [p2.id], 'only watched ids arrive after remove');
    assert.deepEqual(Object.keys(v.versions()).sort(), [p2.id]);

    // add and remove in one message
    s.send({ type: 'watch', sub: 'w', add: [p3.id, p1.id], remove: [p2.id] });
    await eventually(() => v.records.has(p3.id) && v.records.has(p1.id) && !v.records.has(p2.id));
    assert.deepEqual(Object.keys(v.versions()).sort(), [p1.id, p3.id].sort());
    assert.deepEqual(v.violations, []);

    // unsubscribe
    from = s.items.length;
    s.send({ type: 'unsubscribe', sub: 'w' });
    await sleep(200);
    await patch(t.admin, p1.id, { price: 9 });
    s.send({ type: 'ping' });
    await s.waitFor((m) => m.type === 'pong', { from, what: 'pong' });
    await sleep(300);
    assert.deepEqual(s.items.slice(from).filter((m) => m.type === 'changes' && m.sub === 'w'), [],
      'no changes after unsubscribe');
    // the sub name is free again
    await subscribeOk(s, { sub: 'w', topic: 'products', filter: { ids: [p1.id] } }, new View('w again'));
  } finally {
    s.terminate();
  }
});

test('SSE: snapshot, live, resume with Last-Event-ID (and since) loses nothing', async () => {
  const t = await tenant('live-sse');
  const list = await pool(20, 8, (i) => create(t.admin, 'products', product(i)));
  const v = new View('sse admin');
  let s = await SseStream.open(srv.url, { topic: 'products', access_token: t.t.admin_token, batch_ms: 0 }, { view: v });
  assert.equal(s.status, 200);
  await s.waitFor((e) => e.event === 'subscribed', { what: 'subscribed' });
  assert.equal(v.records.size, 20);
  const x = await patch(t.admin, list[0].id, { price: 1 });
  const ev = await s.waitFor((e) => e.event === 'changes' && e.data.changes.some((c) => c.id === list[0].id && c.version === x.version));
  assert.equal(ev.id, ev.data.cursor, 'id: is the cursor');
  s.close();
  const lastId = v.cursor;

  for (let i = 0; i < 3; i++) await patch(t.admin, list[1].id, { price: 10 + i });
  assertStatus(await t.admin.del(`/api/products/${list[2].id}`), 204);
  const added = await create(t.admin, 'products', product(50));
  await patch(t.admin, list[3].id, { status: 'draft' });

  s = await SseStream.open(srv.url, { topic: 'products', access_token: t.t.admin_token }, { view: v, lastEventId: lastId });
  try {
    assert.equal(s.status, 200);
    await settle([[v, t.admin, null]]);
    const chs = s.items.filter((e) => e.event === 'changes').flatMap((e) => e.data.changes);
    const ids = chs.map((c) => c.id).sort();
    assert.deepEqual(ids, [list[1].id, list[2].id, list[3].id, added.id].sort(), 'the replay holds each changed record once');
    assert.equal(chs.find((c) => c.id === list[1].id).version, 4);
    assert.equal(chs.find((c) => c.id === list[2].id).op, 'delete');
  } finally {
    s.close();
  }

  // the same with ?since= and a public token: the draft arrives as delete
  const vp = new View('sse public');
  let sp = await SseStream.open(srv.url, { topic: 'products', access_token: t.t.public_token }, { view: vp });
  await sp.waitFor((e) => e.event === 'subscribed', { what: 'subscribed' });
  sp.close();
  const c0 = vp.cursor;
  await patch(t.admin, list[4].id, { status: 'archived' });
  await patch(t.admin, list[5].id, { title: 'renamed' });
  sp = await SseStream.open(srv.url, { topic: 'products', access_token: t.t.public_token, since: c0 }, { view: vp });
  try {
    await settle([[vp, t.pub, null]]);
    const chs = sp.items.filter((e) => e.event === 'changes').flatMap((e) => e.data.changes);
    assert.deepEqual(chs.map((c) => `${c.id}:${c.op}`).sort(), [`${list[4].id}:delete`, `${list[5].id}:upsert`].sort());
  } finally {
    sp.close();
  }
});

test('reset for an expired cursor (WS and SSE)', async () => {
  const s2 = await startServer({ args: ['--retention', '1', '--purge-interval', '1'] });
  try {
    const t = await s2.createTenant('live-reset');
    const admin = api(s2.url, t.admin_token);
    const p = await create(admin, 'products', product(1));
    const old = await headCursor(admin);
    await patch(admin, p.id, { price: 2 });
    // Wait for the purge (retention 1 s, every 1 s) to pass the cursor rather
    // than sleeping a fixed time a slow (sanitized) run may not cover.
    assert.ok(await eventually(async () => (await admin.get(`/api/sync?since=${encodeURIComponent(old)}`)).status === 410,
      { interval: 200 }), 'the purge never passed the old cursor');
    const ws = await LiveSocket.connect(s2.url, t.admin_token);
    try {
      const v = new View('ws reset');
      const m = await ws.subscribe({ sub: 'r', topic: 'products', since: old }, v);
      assert.deepEqual({ type: m.type, sub: m.sub, code: m.code }, { type: 'reset', sub: 'r', code: 'cursor_expired' });
      // a fresh snapshot works
      const v2 = new View('ws after reset');
      await subscribeOk(ws, { sub: 'r2', topic: 'products' }, v2);
      assert.deepEqual(v2.versions(), { [p.id]: 2 });
    } finally {
      ws.terminate();
    }
    const v = new View('sse reset');
    const s = await SseStream.open(s2.url, { topic: 'products', since: old, access_token: t.admin_token }, { view: v });
    try {
      assert.equal(s.status, 200, `SSE with an expired cursor: ${s.body}`);
      const ev = await s.waitFor((e) => e.event === 'reset' || e.event === 'changes', { what: 'reset event' });
      assert.equal(ev.event, 'reset');
      assert.equal(ev.data.code, 'cursor_expired');
    } finally {
      s.close();
    }
    const s3 = await SseStream.open(s2.url, { topic: 'products', access_token: t.admin_token }, { lastEventId: old });
    try {
      const ev = await s3.waitFor((e) => e.event === 'reset' || e.event === 'changes', { what: 'reset event (Last-Event-ID)' });
      assert.equal(ev.event, 'reset');
    } finally {
      s3.close();
    }
  } finally {
    await s2.stop();
  }
});

test("change objects: {entity, op, id, version, origin = the writer's X-Client-Id, data only for upsert in mode data}", async () => {
  const t = await tenant('live-origin');
  const p = await create(t.admin, 'products', product(1));
  const s = await LiveSocket.connect(srv.url, t.t.admin_token);
  const vd = new View('origin data');
  const vi = new View('origin invalidate', { mode: 'invalidate' });
  const sv = new View('origin sse');
  const stream = await SseStream.open(srv.url, { topic: 'products', access_token: t.t.admin_token }, { view: sv });
  try {
    await subscribeOk(s, { sub: 'd', topic: 'products' }, vd);
    await subscribeOk(s, { sub: 'i', topic: 'products', mode: 'invalidate' }, vi);
    await stream.waitFor((e) => e.event === 'subscribed', { what: 'subscribed' });
    const from = s.items.length;
    const fromSse = stream.items.length;
    const hdr = (id) => ({ headers: { 'X-Client-Id': id } });
    assertStatus(await t.admin.patch(`/api/products/${p.id}`, { price: 5 }, { ...MP, ...hdr('till-7') }), 200);
    const q = assertStatus(await t.admin.post('/api/products', product(2), hdr('admin-tab-3')), 201);
    assertStatus(await t.admin.del(`/api/products/${p.id}`, hdr('cleanup-job')), 204);
    await eventually(() => vd.lastVersion.get(p.id) === 3 && vi.lastVersion.get(p.id) === 3 && sv.lastVersion.get(p.id) === 3);
    const got = (sub) => s.items.slice(from).filter((m) => m.type === 'changes' && m.sub === sub).flatMap((m) => m.changes);
    const sseGot = stream.items.slice(fromSse).filter((e) => e.event === 'changes').flatMap((e) => e.data.changes);
    for (const [name, chs, mode] of [['ws data', got('d'), 'data'], ['ws invalidate', got('i'), 'invalidate'], ['sse', sseGot, 'data']]) {
      const sig = chs.map((c) => [c.entity, c.op, c.id, c.version, c.origin]);
      assert.deepEqual(sig, [
        ['products', 'upsert', p.id, 2, 'till-7'],
        ['products', 'upsert', q.id, 1, 'admin-tab-3'],
        ['products', 'delete', p.id, 3, 'cleanup-job'],
      ], `${name}: change objects`);
      for (const c of chs) {
        const keys = Object.keys(c).sort();
        const want = c.op === 'upsert' && mode === 'data'
          ? ['data', 'entity', 'id', 'op', 'origin', 'version'] : ['entity', 'id', 'op', 'origin', 'version'];
        assert.deepEqual(keys, want, `${name}: members of a ${c.op} change`);
      }
    }
    assert.deepEqual(got('d')[1].data, q, 'upsert data = the record as the API returns it');
    assert.deepEqual([...vd.violations, ...vi.violations, ...sv.violations], []);
  } finally {
    s.terminate();
    stream.close();
  }
});

// The stream has been open since the file began; the first heartbeat is due
// 15 s after it opened. Waiting for it (with slack for a slow, sanitized run)
// instead of sleeping to exactly 16 s keeps a late scheduler from failing it.
test('SSE sends a heartbeat comment at least every 15 s', { timeout: 60000 }, async () => {
  const left = 15000 + HEARTBEAT_SLACK_MS - (Date.now() - hbOpened);
  await eventually(() => hb.comments >= 1, { timeout: Math.max(0, left), interval: 100 });
  assert.equal(hb.status, 200);
  assert.ok(hb.comments >= 1, `no heartbeat comment in ${Date.now() - hbOpened} ms`);
  assert.equal(hb.closed, false, 'the idle stream stays open');
});
