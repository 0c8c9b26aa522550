// GET /api/sync and /api/sync/digest (SPEC §6): since-cursor sync per role,
// coalescing, added/updated/deleted, snapshot paging under concurrent
// writes, cursor errors and expiry, long-poll wait, digests, tenant isolation.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { digestOfAll } from '../../clients/js/src/digest.js';
import { startServer, api, sleep } from './lib/server.mjs';
import { assertProblem, assertStatus, create, listAll } from './lib/check.mjs';
import {
  MP, syncOnce, syncSince, syncSnapshot, applySync, headCursor, checkSyncBody, pool, eventually,
  LiveSocket,
} from './lib/live.mjs';

let srv;

before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

async function tenant(name) {
  const t = await srv.createTenant(name);
  return { t, admin: api(srv.url, t.admin_token), pub: api(srv.url, t.public_token) };
}

async function patch(client, id, body, coll = 'products') {
  const res = await client.patch(`/api/${coll}/${id}`, body, MP);
  assertStatus(res, 200, `PATCH ${coll}/${id} ${JSON.stringify(body)}`);
  return res.body;
}

const product = (n, extra = {}) => ({ title: `Product ${n}`, price: 100 + n, status: 'active', ...extra });

// One since-sync answer (asserting it needed no second page).
async function changesSince(client, cursor, entities) {
  const { bodies } = await syncSince(client, cursor, { entities });
  assert.equal(bodies.length, 1, 'a handful of changes fits one page');
  return bodies[0];
}

const idsOf = (recs) => recs.map((r) => r.id).sort();

test('since-sync returns exactly the changes since the cursor, coalesced, per role', async () => {
  const t = await tenant('sync-since');
  const p2 = await create(t.admin, 'products', product(2));
  const p3 = await create(t.admin, 'products', product(3));
  const p4 = await create(t.admin, 'products', product(4));
  const p8 = await create(t.admin, 'products', product(8, { status: 'draft' }));
  const untouched = await create(t.admin, 'products', product(9));
  const cat0 = await create(t.admin, 'categories', { name: 'Before' });

  const cAdmin = await headCursor(t.admin, 'products,categories');
  const cPub = await headCursor(t.pub, 'products,categories');

  const p1 = await create(t.admin, 'products', product(1));
  for (let i = 1; i <= 5; i++) await patch(t.admin, p2.id, { price: 1000 + i });
  await patch(t.admin, p3.id, { status: 'draft' });
  assertStatus(await t.admin.del(`/api/products/${p4.id}`), 204);
  const p5 = await create(t.admin, 'products', product(5));
  assertStatus(await t.admin.del(`/api/products/${p5.id}`), 204);
  const p6 = await create(t.admin, 'products', product(6, { status: 'draft' }));
  const p7 = await create(t.admin, 'products', product(7));
  for (let i = 1; i <= 3; i++) await patch(t.admin, p7.id, { title: `Product 7 take ${i}` });
  const cat1 = await create(t.admin, 'categories', { name: 'After' });
  await patch(t.admin, cat0.id, { name: 'Before, renamed' }, 'categories');

  // admin
  const a = await changesSince(t.admin, cAdmin, 'products,categories');
  assert.equal(a.has_changes, true);
  assert.equal(a.has_more, false);
  assert.notEqual(a.cursor, cAdmin, 'the cursor moves on');
  const ap = a.data.products;
  assert.deepEqual(idsOf(ap.added), [p1.id, p6.id, p7.id].sort(), 'admin added');
  assert.deepEqual(idsOf(ap.updated), [p2.id, p3.id].sort(), 'admin updated');
  assert.ok(ap.deleted.includes(p4.id), 'admin: deleted product listed');
  for (const id of ap.deleted) assert.ok([p4.id, p5.id].includes(id), `admin: unexpected deleted ${id}`);
  const aUp = Object.fromEntries(ap.updated.map((r) => [r.id, r]));
  const aAdd = Object.fromEntries(ap.added.map((r) => [r.id, r]));
  assert.equal(aUp[p2.id].version, 6, 'five edits → one entry with the last version');
  assert.equal(aUp[p2.id].price, 1005);
  assert.equal(aUp[p3.id].status, 'draft', 'admin sees the draft in updated');
  assert.equal(aAdd[p7.id].version, 4, 'created then edited → one added entry, latest version');
  assert.equal(aAdd[p7.id].title, 'Product 7 take 3');
  for (const r of [...ap.added, ...ap.updated]) {
    assert.deepEqual(r, assertStatus(await t.admin.get(`/api/products/${r.id}`), 200), `admin record ${r.id} = GET`);
  }
  for (const id of [p8.id, untouched.id]) {
    assert.ok(![...ap.added, ...ap.updated].some((r) => r.id === id) && !ap.deleted.includes(id), `${id} did not change`);
  }
  assert.deepEqual(idsOf(a.data.categories.added), [cat1.id]);
  assert.deepEqual(idsOf(a.data.categories.updated), [cat0.id]);
  assert.equal(a.data.categories.updated[0].name, 'Before, renamed');
  assert.deepEqual(a.data.categories.deleted, []);

  // public: active only, public projection, a product turned draft is deleted
  const b = await changesSince(t.pub, cPub, 'products,categories');
  const bp = b.data.products;
  assert.deepEqual(idsOf(bp.added), [p1.id, p7.id].sort(), 'public added (no draft)');
  assert.deepEqual(idsOf(bp.updated), [p2.id], 'public updated');
  assert.ok(bp.deleted.includes(p3.id), 'public: product turned draft is in deleted');
  assert.ok(bp.deleted.includes(p4.id), 'public: deleted product listed');
  for (const id of bp.deleted) {
    assert.ok([p3.id, p4.id, p5.id, p6.id].includes(id), `public: unexpected deleted ${id}`);
  }
  for (const r of [...bp.added, ...bp.updated]) {
    for (const k of ['stock_total', 'low_stock_threshold', 'track_inventory', 'allow_backorder']) {
      assert.equal(k in r, false, `public sync record ${r.id} must not carry ${k}`);
    }
    assert.deepEqual(r, assertStatus(await t.pub.get(`/api/products/${r.id}`), 200), `public record ${r.id} = public GET`);
  }
  assert.equal(bp.updated[0].version, 6);
  assert.deepEqual(idsOf(b.data.categories.added), [cat1.id]);

  // nothing new: no changes, same cursor
  const again = await syncOnce(t.admin, `since=${encodeURIComponent(a.cursor)}&entities=products,categories`);
  assert.equal(again.has_changes, false);
  assert.equal(again.cursor, a.cursor, 'no change → the same cursor');
  for (const d of Object.values(again.data)) assert.deepEqual(d.count, { added: 0, updated: 0, deleted: 0 });

  // the draft turning active again is an update for admin and (re-)appears for the public
  await patch(t.admin, p3.id, { status: 'active' });
  const a2 = await changesSince(t.admin, a.cursor, 'products');
  assert.deepEqual(idsOf(a2.data.products.updated), [p3.id]);
  const b2 = await changesSince(t.pub, b.cursor, 'products');
  assert.deepEqual([...idsOf(b2.data.products.added), ...idsOf(b2.data.products.updated)], [p3.id],
    'a product that becomes visible again reaches the public reader');
  assert.deepEqual(b2.data.products.deleted, []);
});

// A draft that was never published is never named to a shopper: not by a
// since-sync, not by a live replay from a cursor, whatever happens to it.
test('a shopper is never told of a draft it never saw, from any cursor', async () => {
  const t = await tenant('sync-draft-leak');
  const draft = await create(t.admin, 'products', product(1, { status: 'draft' }));
  const wasPublic = await create(t.admin, 'products', product(2));
  await patch(t.admin, wasPublic.id, { status: 'draft' });
  const cPub = await headCursor(t.pub, 'products');

  await patch(t.admin, draft.id, { title: 'Still a draft' });
  await patch(t.admin, wasPublic.id, { title: 'A draft again, once public' });
  assertStatus(await t.admin.del(`/api/products/${draft.id}`), 204);
  const marker = await create(t.admin, 'products', product(3));

  const b = await changesSince(t.pub, cPub, 'products');
  assert.deepEqual(idsOf(b.data.products.added), [marker.id]);
  assert.deepEqual(b.data.products.updated, []);
  assert.equal(b.data.products.deleted.includes(draft.id), false, 'the draft is not named');
  // A record the shopper may hold (it was public once) may be named.
  for (const id of b.data.products.deleted) assert.equal(id, wasPublic.id);

  const sock = await LiveSocket.connect(srv.url, t.t.public_token);
  try {
    sock.send({ type: 'subscribe', sub: 'r', topic: 'products', since: cPub });
    await sock.waitFor((m) => m.type === 'changes' && m.changes.some((c) => c.id === marker.id),
      { what: 'the replay up to the marker' });
    const named = sock.items.filter((m) => m.type === 'changes').flatMap((m) => m.changes.map((c) => c.id));
    assert.equal(named.includes(draft.id), false, `the replay named the draft: ${named}`);
  } finally {
    await sock.close();
  }
});

test('sync entities, limit, wait and cursor validation', async () => {
  const t = await tenant('sync-params');
  await create(t.admin, 'products', product(1));
  const only = await syncOnce(t.admin, 'entities=products');
  assert.deepEqual(Object.keys(only.data), ['products'], 'entities=products → only products');
  const all = await syncOnce(t.admin, '');
  for (const e of ['products', 'categories', 'brands', 'units', 'customers']) {
    assert.ok(e in all.data, `admin default entities include ${e}: ${Object.keys(all.data)}`);
  }
  const pubAll = await syncOnce(t.pub, '');
  assert.ok('products' in pubAll.data && 'categories' in pubAll.data, `public default: ${Object.keys(pubAll.data)}`);
  for (const e of ['customers', 'orders', 'bills', 'stock_movements']) {
    assert.equal(e in pubAll.data, false, `public default entities must not include ${e}`);
  }
  assertProblem(await t.admin.get('/api/sync?entities=products,gizmos'), 400, 'bad_query');
  assertProblem(await t.pub.get('/api/sync?entities=customers'), 403, 'forbidden');
  assertProblem(await t.pub.get('/api/sync?entities=products,customers'), 403, 'forbidden');
  for (const q of ['limit=0', 'limit=1001', 'limit=abc', 'wait=61', 'wait=-1', 'wait=abc', 'colour=red']) {
    assertProblem(await t.admin.get(`/api/sync?${q}`), 400, 'bad_query');
  }
  for (const c of ['garbage', 'c', 'c-1', 'cabc', '%00', 'x'.repeat(300)]) {
    assertProblem(await t.admin.get(`/api/sync?since=${encodeURIComponent(c)}`), 400, 'bad_cursor');
    assertProblem(await t.admin.get(`/api/sync?since=${encodeURIComponent(c)}&wait=1`), 400, 'bad_cursor');
  }
  assertProblem(await api(srv.url, null).get('/api/sync'), 401, 'unauthorized');
  // a well-formed cursor ahead of the log's head is expired, not served
  const head = await headCursor(t.admin);
  const m = /^c(\d+)$/.exec(head);
  if (m) {
    const ahead = `c${Number(m[1]) + 100000}`;
    assertProblem(await t.admin.get(`/api/sync?since=${ahead}`), 410, 'cursor_expired');
  }
});

test('full snapshot paging (limit=7) under concurrent creates and patches, then since-sync = fresh listing', async () => {
  const t = await tenant('sync-paging');
  const initial = await pool(200, 16, (i) => create(t.admin, 'products', product(i, {
    status: i % 5 === 0 ? 'draft' : 'active',
  })));
  const atStart = new Set(initial.map((p) => p.id));

  // The writer makes at least one write between every two pages, however
  // the machine schedules the two: the writes land among the pages by
  // construction, not by luck of timing (a count of writes made "meanwhile"
  // would depend on how fast each side runs).
  let stop = false;
  let writes = 0;
  let wake = () => {};
  const created = [];
  const writer = (async () => {
    let i = 0;
    while (!stop) {
      i++;
      if (i % 3 === 0) {
        created.push(await create(t.admin, 'products', product(1000 + i)));
      } else {
        const pool2 = [...initial, ...created];
        const p = pool2[(i * 7919) % pool2.length];
        await patch(t.admin, p.id, { price: 5000 + i, ...(i % 11 === 0 ? { status: 'archived' } : {}) });
      }
      writes++;
      wake();
    }
  })();
  const nextWrite = async () => {
    const want = writes + 1;
    while (writes < want) await Promise.race([new Promise((r) => { wake = r; }), writer]);
  };

  const seenInPages = new Map(); // id → page index
  const state = new Map();
  let cursor = null;
  let pages = 0;
  for (;;) {
    const q = `entities=products&limit=7${cursor ? `&since=${encodeURIComponent(cursor)}` : ''}`;
    const body = await syncOnce(t.admin, q, `page ${pages}`);
    const d = body.data.products;
    const recs = [...d.added, ...d.updated];
    assert.ok(recs.length + d.deleted.length <= 7, `page ${pages} holds ${recs.length + d.deleted.length} > limit 7 entries`);
    for (const r of recs) {
      assert.ok(!seenInPages.has(r.id), `${r.id} on page ${pages} already on page ${seenInPages.get(r.id)}`);
      seenInPages.set(r.id, pages);
    }
    applySync(state, body, `page ${pages}`);
    pages++;
    cursor = body.cursor;
    if (!body.has_more) break;
    assert.ok(pages < 1000, 'paging does not end');
    await nextWrite();
  }
  stop = true;
  await writer;
  assert.ok(pages >= Math.ceil(200 / 7), `only ${pages} pages for ≥ 200 products`);
  assert.ok(writes >= pages - 1, `the writer wrote between every two pages (${writes} writes, ${pages} pages)`);
  const missing = [...atStart].filter((id) => !seenInPages.has(id));
  assert.deepEqual(missing, [], 'every product existing at the start appears in the snapshot');

  const { bodies } = await syncSince(t.admin, cursor, { entities: 'products' });
  for (const b of bodies) applySync(state, b, 'since after snapshot');
  const fresh = await listAll(t.admin, '/api/products');
  const mine = Object.fromEntries([...state.get('products')].map(([id, r]) => [id, r.version]));
  const theirs = Object.fromEntries(fresh.map((r) => [r.id, r.version]));
  assert.deepEqual(mine, theirs, 'snapshot + changes since its cursor = a fresh listing (ids and versions)');
  const byId = new Map(fresh.map((r) => [r.id, r]));
  for (const [id, r] of state.get('products')) assert.deepEqual(r, byId.get(id), `${id}: record = fresh listing`);

  // the public view after the same procedure
  const pubSnap = await syncSnapshot(t.pub, { entities: 'products', limit: 7 });
  const pubFresh = await listAll(t.pub, '/api/products');
  assert.deepEqual(
    Object.fromEntries([...pubSnap.state.get('products')].map(([id, r]) => [id, r.version])),
    Object.fromEntries(pubFresh.map((r) => [r.id, r.version])),
    'public snapshot = public listing',
  );
  assert.ok([...pubSnap.state.get('products').values()].every((r) => r.status === 'active'));
});

test('a cursor older than the retention horizon answers 410 cursor_expired', async () => {
  const s = await startServer({ args: ['--retention', '1', '--purge-interval', '1'] });
  try {
    const t = await s.createTenant('sync-retention');
    const admin = api(s.url, t.admin_token);
    const pub = api(s.url, t.public_token);
    const p = await create(admin, 'products', product(1));
    const old = await headCursor(admin);
    const oldPub = await headCursor(pub);
    assertStatus(await admin.patch(`/api/products/${p.id}`, { price: 7 }, MP), 200);
    // Wait for the purge (retention 1 s, every 1 s) to pass the cursor rather
    // than sleeping a fixed time a slow (sanitized) run may not cover.
    const expired = await eventually(async () => (await admin.get(`/api/sync?since=${encodeURIComponent(old)}`)).status === 410,
      { timeout: 30000, interval: 200 });
    assert.ok(expired, 'the purge never passed the old cursor');
    assertProblem(await admin.get(`/api/sync?since=${encodeURIComponent(old)}`), 410, 'cursor_expired');
    assertProblem(await pub.get(`/api/sync?since=${encodeURIComponent(oldPub)}&entities=products`), 410, 'cursor_expired');
    assertProblem(await admin.get(`/api/sync?since=${encodeURIComponent(old)}&wait=5`), 410, 'cursor_expired');
    assertProblem(await admin.get('/api/sync?since=garbage!'), 400, 'bad_cursor');
    // the client's remedy: a fresh snapshot, which works and gives a live cursor
    const snap = await syncSnapshot(admin, { entities: 'products' });
    assert.equal(snap.state.get('products').get(p.id).version, 2);
    assertStatus(await admin.patch(`/api/products/${p.id}`, { price: 8 }, MP), 200);
    const next = await syncSince(admin, snap.cursor, { entities: 'products' });
    assert.deepEqual(next.bodies[0].data.products.updated.map((r) => [r.id, r.version]), [[p.id, 3]]);
  } finally {
    await s.stop();
  }
});

test('wait long-polls: answers promptly after a change, or has_changes false after the wait', async () => {
  const t = await tenant('sync-wait');
  const p = await create(t.admin, 'products', product(1));
  const c0 = await headCursor(t.admin);

  // The upper bounds below are far from any normal latency and far below the
  // wait: a server that ignored the change would answer only when its 30 s
  // wait ends, so they tell "woken by the change" apart on a slow
  // (sanitized) run too.
  const WOKEN_MS = 20000;
  // a change during the wait
  const t0 = Date.now();
  const pending = syncOnce(t.admin, `since=${encodeURIComponent(c0)}&entities=products&wait=30`);
  await sleep(400);
  const patched = await patch(t.admin, p.id, { price: 4242 });
  const tPatched = Date.now();
  const got = await pending;
  const tDone = Date.now();
  assert.ok(tDone - tPatched < WOKEN_MS, `answered ${tDone - tPatched} ms after the PATCH (the wait was 30 s)`);
  assert.ok(tDone - t0 >= 350, `answered after ${tDone - t0} ms, before the change was made`);
  assert.equal(got.has_changes, true);
  assert.deepEqual(got.data.products.updated.map((r) => [r.id, r.version, r.price]), [[p.id, patched.version, 4242]]);
  console.log(`# wait: answered ${tDone - tPatched} ms after the PATCH`);

  // public reader waiting, the change is visible to it
  const cp = await headCursor(t.pub);
  const pendingPub = syncOnce(t.pub, `since=${encodeURIComponent(cp)}&entities=products&wait=30`);
  await sleep(300);
  await patch(t.admin, p.id, { title: 'Now visible' });
  const tp = Date.now();
  const gotPub = await pendingPub;
  assert.ok(Date.now() - tp < WOKEN_MS, `public answered ${Date.now() - tp} ms after the PATCH (the wait was 30 s)`);
  assert.deepEqual(gotPub.data.products.updated.map((r) => r.title), ['Now visible']);

  // no change
  const head = await headCursor(t.admin);
  const t1 = Date.now();
  const idle = await syncOnce(t.admin, `since=${encodeURIComponent(head)}&entities=products&wait=1`);
  const took = Date.now() - t1;
  assert.ok(took >= 900, `wait=1 with no change answered after ${took} ms (< 900)`);
  assert.ok(took < WOKEN_MS, `wait=1 took ${took} ms`);
  assert.equal(idle.has_changes, false);
  assert.equal(idle.cursor, head, 'no change → the same cursor');
  assert.equal(idle.data.products.count.updated, 0);

  // a change the public reader may not see does not end its wait with a visible change
  const dr = await create(t.admin, 'products', product(2, { status: 'draft' }));
  const cp2 = await headCursor(t.pub);
  const t2 = Date.now();
  const pendingPub2 = syncOnce(t.pub, `since=${encodeURIComponent(cp2)}&entities=products&wait=2`);
  await sleep(200);
  await patch(t.admin, dr.id, { title: 'still a draft' });
  const r2 = await pendingPub2;
  const d2 = r2.data.products;
  assert.equal(d2.added.length + d2.updated.length, 0, 'a draft edit shows nothing to the public');
  for (const id of d2.deleted) assert.equal(id, dr.id);
  console.log(`# public wait over a draft edit answered after ${Date.now() - t2} ms, has_changes ${r2.has_changes}`);

  // wait on a fresh snapshot request (no since) answers at once
  const t3 = Date.now();
  await syncOnce(t.admin, 'entities=products&wait=30');
  assert.ok(Date.now() - t3 < WOKEN_MS, 'a snapshot has data, so wait does not hold it');
});

test('digest: same view → same digest; admin ≠ public with a draft; any visible change changes it', async () => {
  const t = await tenant('sync-digest');
  const admin2 = api(srv.url, await srv.createToken(t.t.tenant, 'admin'));
  const pub2 = api(srv.url, await srv.createToken(t.t.tenant, 'public'));
  const active = await pool(20, 8, (i) => create(t.admin, 'products', product(i)));
  const draft = await create(t.admin, 'products', product(99, { status: 'draft' }));

  async function digest(client, q = 'entities=products') {
    const res = await client.get(`/api/sync/digest?${q}`);
    const b = assertStatus(res, 200, `digest ${q}`);
    assert.equal(typeof b.cursor, 'string');
    assert.ok(Number.isInteger(b.count), 'count must be an integer');
    assert.match(b.hash, /^[0-9a-f]+$/i, 'hash must be a hex string');
    assert.ok(b.hash.length >= 16, 'hash long enough to tell views apart');
    return b;
  }
  const a1 = await digest(t.admin);
  const a2 = await digest(admin2);
  assert.equal(a1.count, 21);
  assert.deepEqual([a2.count, a2.hash], [a1.count, a1.hash], 'two admin tokens, same digest');
  const p1 = await digest(t.pub);
  const p2 = await digest(pub2);
  assert.equal(p1.count, 20);
  assert.deepEqual([p2.count, p2.hash], [p1.count, p1.hash], 'two public tokens, same digest');
  assert.notEqual(p1.hash, a1.hash, 'admin and public views differ while a draft exists');

  // a change visible to both
  await patch(t.admin, active[3].id, { price: 1 });
  const a3 = await digest(t.admin);
  const p3 = await digest(t.pub);
  assert.notEqual(a3.hash, a1.hash, 'admin digest changes after a PATCH');
  assert.notEqual(p3.hash, p1.hash, 'public digest changes after a PATCH');
  assert.equal(a3.count, 21);
  // a draft edit changes the admin view only
  await patch(t.admin, draft.id, { price: 2 });
  const a4 = await digest(t.admin);
  const p4 = await digest(t.pub);
  assert.notEqual(a4.hash, a3.hash);
  assert.equal(p4.hash, p3.hash, 'an invisible change leaves the public digest as it was');
  // draft → active: the public view now equals the admin view
  await patch(t.admin, draft.id, { status: 'active' });
  const a5 = await digest(t.admin);
  const p5 = await digest(t.pub);
  assert.equal(p5.count, 21);
  assert.equal(p5.count, a5.count);
  // deletes change it too
  assertStatus(await t.admin.del(`/api/products/${active[0].id}`), 204);
  const a6 = await digest(t.admin);
  assert.equal(a6.count, 20);
  assert.notEqual(a6.hash, a5.hash);
  // the digest is reproducible and its cursor is a sync cursor
  assert.deepEqual(await digest(t.admin), a6);
  const since = await syncOnce(t.admin, `since=${encodeURIComponent(a6.cursor)}&entities=products`);
  assert.equal(since.has_changes, false, 'nothing changed after the digest cursor');
  assertProblem(await t.admin.get('/api/sync/digest?entities=gizmos'), 400, 'bad_query');
  assertProblem(await t.pub.get('/api/sync/digest?entities=customers'), 403, 'forbidden');
});

// What the digest must be, computed here from the records the reader lists.
// The digest of what the reader lists, computed by the JavaScript client's
// code (MurmurHash3 lanes summed), independently of the server's.
async function freshDigest(client, entities) {
  const byEntity = {};
  for (const e of entities.split(',')) byEntity[e] = await listAll(client, `/api/${e}`);
  return digestOfAll(byEntity);
}

test('digest: repeated calls, and calls after every kind of change, equal a fresh computation', async () => {
  const t = await tenant('sync-digest-fresh');
  const items = await pool(6, 3, (i) => create(t.admin, 'products', product(i)));
  const draft = await create(t.admin, 'products', product(50, { status: 'draft' }));
  const c1 = await create(t.admin, 'customers', { name: 'Ann', email: 'ann@example.com' });
  const c2 = await create(t.admin, 'customers', { name: 'Ben', email: 'ben@example.com' });
  const ann = api(srv.url, await srv.createToken(t.t.tenant, 'customer', c1.id));
  const ben = api(srv.url, await srv.createToken(t.t.tenant, 'customer', c2.id));
  const readers = [[t.admin, 'products'], [t.pub, 'products'], [t.admin, 'products,customers'],
    [ann, 'customers'], [ben, 'customers'], [ann, 'products,customers']];

  const seen = new Set();
  async function check(step) {
    for (const [client, entities] of readers) {
      for (const round of [1, 2]) {  // the second call may be answered from what the first computed
        const res = await client.get(`/api/sync/digest?entities=${entities}`);
        const b = assertStatus(res, 200, `digest ${entities}`);
        const want = await freshDigest(client, entities);
        assert.deepEqual({ count: b.count, hash: b.hash }, want, `${step}: ${entities}, call ${round}`);
        seen.add(`${step}:${b.hash}`);
      }
    }
  }
  await check('start');
  const annStart = (await ann.get('/api/sync/digest?entities=customers')).body;
  const benStart = (await ben.get('/api/sync/digest?entities=customers')).body;
  assert.notEqual(annStart.hash, benStart.hash, 'each customer digests its own record');

  await patch(t.admin, items[2].id, { title: 'Renamed' });
  await check('a product patched');
  await patch(t.admin, draft.id, { price: 7 });
  await check('a draft patched');
  await patch(t.admin, draft.id, { status: 'active' });
  await check('a draft published');
  await patch(t.admin, c2.id, { name: 'Benjamin' }, 'customers');
  await check('a customer patched');
  const benAfter = (await ben.get('/api/sync/digest?entities=customers')).body;
  assert.notEqual(benAfter.hash, benStart.hash, 'not the answer kept from before the change');
  assert.notEqual(benAfter.cursor, benStart.cursor);
  assertStatus(await t.admin.del(`/api/products/${items[0].id}`), 204);
  await check('a product deleted');
  await create(t.admin, 'products', product(60));
  await check('a product created');
});

test("tenant isolation: A's sync never carries B's records, and B's writes do not wake A", async () => {
  const A = await tenant('sync-iso-a');
  const B = await tenant('sync-iso-b');
  await create(A.admin, 'products', product(1));
  const cA = await headCursor(A.admin, 'products,categories');
  const cApub = await headCursor(A.pub, 'products,categories');

  const t0 = Date.now();
  const waitingA = syncOnce(A.admin, `since=${encodeURIComponent(cA)}&entities=products,categories&wait=2`);
  await sleep(200);
  const bIds = new Set();
  for (let i = 0; i < 10; i++) bIds.add((await create(B.admin, 'products', product(i, { id: `iso_b_${i}` }))).id);
  bIds.add((await create(B.admin, 'categories', { name: 'B cat' })).id);
  const w = await waitingA;
  assert.equal(w.has_changes, false, 'B\'s writes are not changes for A');
  assert.ok(Date.now() - t0 >= 1800, `A's wait ended after ${Date.now() - t0} ms, before its 2 s, on B's writes`);

  // the same id in A (may be refused with 409; then A simply has no such record)
  const twin = await A.admin.post('/api/products', product(2, { id: 'iso_b_0' }));
  assert.ok([201, 409].includes(twin.status), `create with B's id in A: ${twin.status}`);
  const aId = twin.status === 201 ? twin.body.id : null;
  const check = (body, where) => {
    checkSyncBody(body, where);
    for (const d of Object.values(body.data)) {
      for (const r of [...d.added, ...d.updated]) {
        assert.ok(!bIds.has(r.id) || (r.id === aId && r.title === 'Product 2'), `${where}: B's record ${r.id} leaked`);
      }
    }
  };
  for (const client of [A.admin, A.pub]) {
    const snap = await syncSnapshot(client, { limit: 3 });
    for (const p of snap.pages) check(p, 'A snapshot');
    const ids = [...snap.state.get('products').keys()];
    assert.ok(ids.every((id) => !bIds.has(id) || id === aId));
  }
  check(await syncOnce(A.admin, `since=${encodeURIComponent(cA)}`), 'A since (admin)');
  check(await syncOnce(A.pub, `since=${encodeURIComponent(cApub)}`), 'A since (public)');
  // B's digest is its own
  const dA = assertStatus(await A.admin.get('/api/sync/digest?entities=products'), 200);
  const dB = assertStatus(await B.admin.get('/api/sync/digest?entities=products'), 200);
  assert.equal(dA.count, aId ? 2 : 1);
  assert.equal(dB.count, 10);
});
