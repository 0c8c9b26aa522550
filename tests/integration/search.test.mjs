// ?q= on products: a case-insensitive (ASCII) substring of title, sku, tags
// and description, answered from the search index. Results follow creates,
// patches and deletes; a shopper sees active products only; pages follow
// `next`; a query under three characters reads a bounded window per page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib/server.mjs';
import { assertStatus, create, listAll, ids } from './lib/check.mjs';

const MP = { contentType: 'application/merge-patch+json' };

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const sorted = (...ps) => ps.map((p) => p.id).sort();

async function shop(name) {
  const t = await srv.createTenant(name);
  return { admin: api(srv.url, t.admin_token), shopper: api(srv.url, t.public_token) };
}

async function found(client, query) {
  const got = ids(await listAll(client, `/api/products?${query}`));
  assert.deepEqual(got, [...got].sort(), `${query}: ascending id order`);
  return got;
}

test('q follows creates, title patches and deletes', async () => {
  const { admin } = await shop('search-writes');
  const kettle = await create(admin, 'products', { title: 'Copper Kettle', sku: 'KT-1', status: 'active', price: 100 });
  const mug = await create(admin, 'products', { title: 'Blue Mug', sku: 'MG-1', status: 'active', price: 100, tags: ['Kitchen'] });
  assert.deepEqual(await found(admin, 'q=kettle'), sorted(kettle));
  assert.deepEqual(await found(admin, 'q=COPPER%20KET'), sorted(kettle), 'case-insensitive, spaces kept');
  assert.deepEqual(await found(admin, 'q=kitch'), sorted(mug), 'tags are searched');
  assert.deepEqual(await found(admin, 'q=mg-1'), sorted(mug), 'the sku is searched');

  // A title change moves a product out of one result and into another.
  let res = await admin.patch(`/api/products/${kettle.id}`, { title: 'Copper Teapot' }, MP);
  assertStatus(res, 200, 'PATCH title');
  assert.deepEqual(await found(admin, 'q=kettle'), []);
  assert.deepEqual(await found(admin, 'q=teapot'), sorted(kettle));
  res = await admin.patch(`/api/products/${mug.id}`, { title: 'Blue Teapot' }, MP);
  assertStatus(res, 200, 'PATCH title');
  assert.deepEqual(await found(admin, 'q=teapot'), sorted(kettle, mug));
  res = await admin.patch(`/api/products/${kettle.id}`, { description: 'A kettle, really' }, MP);
  assertStatus(res, 200, 'PATCH description');
  assert.deepEqual(await found(admin, 'q=kettle'), sorted(kettle), 'the description is searched');

  res = await admin.del(`/api/products/${mug.id}`);
  assertStatus(res, 204, 'DELETE');
  assert.deepEqual(await found(admin, 'q=teapot'), sorted(kettle), 'a deleted product never appears');
  assert.deepEqual(await found(admin, 'q=te'), sorted(kettle), 'nor through a short query');
  const again = await create(admin, 'products', { title: 'Steel Teapot', status: 'active', price: 100 });
  assert.deepEqual(await found(admin, 'q=teapot'), sorted(kettle, again));
});

test('a shopper finds active products only; staff find every status', async () => {
  const { admin, shopper } = await shop('search-view');
  const active = await create(admin, 'products', { title: 'Lamp One', status: 'active', price: 100 });
  const draft = await create(admin, 'products', { title: 'Lamp Two', status: 'draft', price: 100 });
  const archived = await create(admin, 'products', { title: 'Lamp Three', status: 'archived', price: 100 });
  assert.deepEqual(await found(shopper, 'q=lamp'), sorted(active));
  assert.deepEqual(await found(shopper, 'q=la'), sorted(active), 'short queries keep the view too');
  assert.deepEqual(await found(admin, 'q=lamp'), sorted(active, draft, archived));
  assert.deepEqual(await found(admin, 'q=lamp&status=draft'), sorted(draft));

  // Publishing a draft brings it into the shopper's results; archiving takes it out.
  let res = await admin.patch(`/api/products/${draft.id}`, { status: 'active' }, MP);
  assertStatus(res, 200, 'publish');
  res = await admin.patch(`/api/products/${active.id}`, { status: 'archived' }, MP);
  assertStatus(res, 200, 'archive');
  assert.deepEqual(await found(shopper, 'q=lamp'), sorted(draft));
});

test('q pages with limit and after, each page in id order', async () => {
  const { admin, shopper } = await shop('search-pages');
  const match = [];
  for (let i = 0; i < 7; i++) {
    match.push(await create(admin, 'products', { id: `p-${i}-a`, title: `Striped sock ${i}`, status: 'active', price: 100 }));
    await create(admin, 'products', { id: `p-${i}-b`, title: `Plain sock ${i}`, status: 'active', price: 100 });
    await create(admin, 'products', { id: `p-${i}-c`, title: `Striped sock draft ${i}`, status: 'draft', price: 100 });
  }
  const want = sorted(...match);
  const pages = [];
  let after = null;
  for (let guard = 0; guard < 10; guard++) {
    const res = await shopper.get(`/api/products?q=striped&limit=3${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    assertStatus(res, 200, 'page');
    pages.push(ids(res.body.data));
    if (res.body.next === null) break;
    after = res.body.next;
  }
  assert.deepEqual(pages, [want.slice(0, 3), want.slice(3, 6), want.slice(6)]);
  assert.deepEqual(await found(admin, 'q=striped'), sorted(...match, ...[0, 1, 2, 3, 4, 5, 6].map((i) => ({ id: `p-${i}-c` }))));
});

test('q compares ASCII case-insensitively and takes its text literally', async () => {
  const { admin } = await shop('search-text');
  const a = await create(admin, 'products', { title: 'Café "Noir" 100%', status: 'active', price: 100 });
  const b = await create(admin, 'products', { title: 'Noir OR blanc', status: 'active', price: 100 });
  assert.deepEqual(await found(admin, `q=${encodeURIComponent('café')}`), sorted(a));
  assert.deepEqual(await found(admin, `q=${encodeURIComponent('CAFÉ')}`), [], 'only ASCII letters fold');
  assert.deepEqual(await found(admin, `q=${encodeURIComponent('"noir"')}`), sorted(a));
  assert.deepEqual(await found(admin, `q=${encodeURIComponent('100%')}`), sorted(a));
  assert.deepEqual(await found(admin, `q=${encodeURIComponent('noir')}`), sorted(a, b));
  assert.deepEqual(await found(admin, `q=${encodeURIComponent('noir or')}`), sorted(b), 'OR is text, not an operator');
  assert.deepEqual(await found(admin, `q=${encodeURIComponent('é')}`), sorted(a), 'one character: the short path');
});

// Under three characters there is no trigram to look up: each page reads at
// most 1,000 products in id order, so it may be short and still have a next.
test('a short q reads a bounded window per page and listAll still finds every match', async () => {
  const { admin } = await shop('search-window');
  const total = 1010;
  const made = [];
  for (let i = 0; i < total; i += 25) {
    const batch = [];
    for (let k = i; k < Math.min(total, i + 25); k++) {
      const id = `w${String(k).padStart(5, '0')}`;
      batch.push(create(admin, 'products', { id, title: k === 5 || k === 1005 ? 'zq item' : 'plain', status: 'active', price: 1 }));
    }
    made.push(...await Promise.all(batch));
  }
  const first = await admin.get('/api/products?q=zq&limit=50');
  assertStatus(first, 200, 'first page');
  assert.deepEqual(ids(first.body.data), ['w00005']);
  assert.notEqual(first.body.next, null, 'the window ended before the page filled');
  const second = await admin.get(`/api/products?q=zq&limit=50&after=${encodeURIComponent(first.body.next)}`);
  assertStatus(second, 200, 'second page');
  assert.deepEqual(ids(second.body.data), ['w01005']);
  assert.equal(second.body.next, null);
  assert.deepEqual(await found(admin, 'q=zq%20item'), ['w00005', 'w01005'], 'three or more characters: one page');
  const indexed = await admin.get('/api/products?q=zq%20item&limit=50');
  assert.equal(indexed.body.next, null);
});
