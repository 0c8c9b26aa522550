// Keyset pagination under concurrent writes: every record that existed when
// paging started is visited exactly once, no id appears twice, pages come in
// ascending id order.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, rng } from './lib/server.mjs';
import { assertProblem, assertStatus, create } from './lib/check.mjs';

const INITIAL = 300;
const PAGE = 7;

let srv;
let admin;

before(async () => {
  srv = await startServer();
  const t = await srv.createTenant('pagination-shop');
  admin = api(srv.url, t.admin_token);
});
after(async () => { await srv?.stop(); });

async function parallel(n, workers, fn) {
  let next = 0;
  const out = new Array(n);
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  }));
  return out;
}

test('limit=7 pages visit every pre-existing product exactly once while others are inserted and patched', { timeout: 180000 }, async () => {
  const initial = await parallel(INITIAL, 8, async (i) => (await create(admin, 'products', {
    title: `Paged product ${i}`, price: 100 + i, tags: ['paged'],
  })).id);
  const initialSet = new Set(initial);
  assert.equal(initialSet.size, INITIAL, 'created ids are unique');

  let paging = true;
  let inserted = 0;
  let patched = 0;
  let wake = () => {};
  const rand = rng(12345);
  const writer = (async () => {
    while (paging) {
      if (rand() < 0.6) {
        await create(admin, 'products', { title: `Concurrent ${inserted}`, price: 1, tags: ['paged'] });
        inserted++;
      } else {
        const id = initial[Math.floor(rand() * INITIAL)];
        const r = await admin.patch(`/api/products/${id}`, { price: 1 + Math.floor(rand() * 1000) },
          { contentType: 'application/merge-patch+json' });
        assertStatus(r, 200, 'concurrent patch');
        patched++;
      }
      wake();
    }
  })();
  // Between two pages the writer makes at least one write, however the
  // machine schedules the two: the writes land among the pages by
  // construction, not by luck of timing.
  const nextWrite = async () => {
    const want = inserted + patched + 1;
    while (inserted + patched < want) await Promise.race([new Promise((r) => { wake = r; }), writer]);
  };

  const seen = new Map();
  let after = null;
  let pages = 0;
  let lastId = '';
  try {
    for (;;) {
      const q = `/api/products?limit=${PAGE}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const r = await admin.get(q);
      assertStatus(r, 200, q);
      const { data, next } = r.body;
      assert.ok(Array.isArray(data));
      assert.ok(data.length <= PAGE, `page of ${data.length} > limit`);
      pages++;
      for (const item of data) {
        assert.ok(!seen.has(item.id), `id ${item.id} seen twice (pages ${seen.get(item.id)} and ${pages})`);
        assert.ok(item.id > lastId, `ids not ascending: ${lastId} then ${item.id}`);
        lastId = item.id;
        seen.set(item.id, pages);
      }
      if (next === null) break;
      assert.equal(typeof next, 'string');
      assert.ok(data.length > 0, 'a page with a next cursor is not empty');
      after = next;
      assert.ok(pages < 1000, 'runaway paging');
      await nextWrite();
    }
  } finally {
    paging = false;
    await writer;
  }
  const missing = initial.filter((id) => !seen.has(id));
  assert.deepEqual(missing, [], `${missing.length} pre-existing products never visited`);
  assert.ok(pages >= Math.ceil(INITIAL / PAGE), `only ${pages} pages`);
  // every visited id is a real product of this tenant
  const total = initialSet.size + inserted;
  assert.ok(seen.size <= total, `${seen.size} visited > ${total} existing`);
});

test('limit bounds: 1 and 1000 accepted, default 50, 0 and 1001 refused', async () => {
  // the tenant holds well over 50 products after the first test (or create them)
  let all = await admin.get('/api/products?limit=1000');
  assertStatus(all, 200);
  if (all.body.data.length < 60) {
    for (let i = 0; i < 60; i++) await create(admin, 'products', { title: `Filler ${i}`, price: 1 });
    all = await admin.get('/api/products?limit=1000');
  }
  assert.ok(all.body.data.length <= 1000);
  const def = await admin.get('/api/products');
  assertStatus(def, 200);
  assert.equal(def.body.data.length, 50, 'default page size');
  assert.equal(typeof def.body.next, 'string');
  assert.deepEqual(def.body.data.map((x) => x.id), all.body.data.slice(0, 50).map((x) => x.id));
  const one = await admin.get('/api/products?limit=1');
  assertStatus(one, 200);
  assert.equal(one.body.data.length, 1);
  assert.equal(one.body.data[0].id, all.body.data[0].id);
  const two = await admin.get(`/api/products?limit=1&after=${encodeURIComponent(one.body.next)}`);
  assert.equal(two.body.data[0].id, all.body.data[1].id);
  assertProblem(await admin.get('/api/products?limit=0'), 400, 'bad_query');
  assertProblem(await admin.get('/api/products?limit=1001'), 400, 'bad_query');
  assertProblem(await admin.get(`/api/products?after=${encodeURIComponent('{{garbage}}')}`), 400, 'bad_cursor');
});

test('a filtered listing pages with its filter kept', async () => {
  const t = await srv.createTenant('pagination-filter-shop');
  const A = api(srv.url, t.admin_token);
  const want = [];
  for (let i = 0; i < 23; i++) {
    const p = await create(A, 'products', { title: `F ${i}`, price: 1, tags: i % 2 ? ['odd'] : ['even'] });
    if (i % 2) want.push(p.id);
  }
  const got = [];
  let after = null;
  do {
    const r = await A.get(`/api/products?tag=odd&limit=4${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    assertStatus(r, 200);
    got.push(...r.body.data.map((x) => x.id));
    after = r.body.next;
  } while (after);
  assert.deepEqual(got, want.sort());
});
