// GET /api/sync/digest scoped to what a page follows (SPEC §6): `ids=` and
// `filter=` for one entity, per reader (a shopper never counts a draft, a
// customer only its own orders), each equal to the digest computed from
// what that reader lists; the whole view read from the sums kept while
// writing, equal to a fresh computation after every kind of change;
// refusals for scopes that are malformed or not the reader's to use.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { digestOf } from '../../clients/js/src/digest.js';
import { startServer, api } from './lib/server.mjs';
import { assertProblem, assertStatus, create, listAll } from './lib/check.mjs';
import { MP } from './lib/live.mjs';

let srv;
let t;
let admin;
let pub;
let cat;
const products = [];

before(async () => {
  srv = await startServer();
  t = await srv.createTenant('digest-scope');
  admin = api(srv.url, t.admin_token);
  pub = api(srv.url, t.public_token);
  cat = await create(admin, 'categories', { name: 'Mugs' });
  for (let i = 0; i < 12; i++) {
    products.push(await create(admin, 'products', {
      title: `Mug ${i}`, price: 500 + i, status: i % 4 === 3 ? 'draft' : 'active',
      category_ids: i < 6 ? [cat.id] : [],
    }));
  }
});
after(async () => { await srv?.stop(); });

const digest = async (client, query) => assertStatus(await client.get(`/api/sync/digest?${query}`), 200, query);
const q = (o) => new URLSearchParams(o).toString();
const same = (got, want, what) =>
  assert.deepEqual({ count: got.count, hash: got.hash }, { count: want.count, hash: want.hash }, what);

test('an ids scope counts the named records the reader sees, and nothing else', async () => {
  const named = products.slice(0, 8).map((p) => p.id);
  for (const [client, who] of [[admin, 'admin'], [pub, 'public']]) {
    const visible = (await listAll(client, '/api/products')).filter((p) => named.includes(p.id));
    const got = await digest(client, q({ entities: 'products', ids: [...named, 'no_such_id'].join(',') }));
    same(got, await digestOf('products', visible), `${who}: the named records it lists`);
  }
  // A shopper's digest of a draft's id is that of nothing: it does not learn the draft exists.
  const draft = products[3];
  same(await digest(pub, q({ entities: 'products', ids: draft.id })), await digestOf('products', []), 'a draft, to a shopper');
  // The same scope as a filter gives the same answer.
  same(await digest(admin, q({ entities: 'products', filter: JSON.stringify({ ids: named }) })),
    await digestOf('products', (await listAll(admin, '/api/products')).filter((p) => named.includes(p.id))),
    'ids given as a filter');
});

test('a filter scope counts what the reader lists with that filter; it moves with a change in it only', async () => {
  const scope = q({ entities: 'products', filter: JSON.stringify({ category_id: cat.id }) });
  for (const client of [admin, pub]) {
    same(await digest(client, scope), await digestOf('products', await listAll(client, `/api/products?category_id=${cat.id}`)),
      'the category as listed');
  }
  const before = await digest(admin, scope);
  await admin.patch(`/api/products/${products[9].id}`, { price: 1 }, MP); // outside the category
  same(await digest(admin, scope), before, 'a change outside the scope leaves it');
  await admin.patch(`/api/products/${products[1].id}`, { price: 2 }, MP);
  assert.notEqual((await digest(admin, scope)).hash, before.hash, 'a change inside moves it');
});

test('the whole view stays equal to a fresh computation through creates, edits, publishing, deletes', async () => {
  const check = async (step) => {
    for (const client of [admin, pub]) {
      same(await digest(client, 'entities=products'), await digestOf('products', await listAll(client, '/api/products')), step);
    }
  };
  await check('start');
  const p = await create(admin, 'products', { title: 'New mug', price: 900, status: 'draft' });
  await check('a draft created');
  await admin.patch(`/api/products/${p.id}`, { status: 'active' }, MP);
  await check('published');
  await admin.patch(`/api/products/${products[0].id}`, { status: 'archived' }, MP);
  await check('archived');
  assertStatus(await admin.del(`/api/products/${p.id}`), 204);
  await check('deleted');
});

test('a customer\'s digest covers its own orders and bills; another customer\'s filter is refused', async () => {
  const item = (p) => ({ product_id: p.id, variant_id: p.variants[0].id, qty: 1, unit_price: p.price });
  const stocked = await create(admin, 'products', {
    title: 'Stocked mug', price: 700, status: 'active', variants: [{ sku: 'SM-1', stock: 10, options: {} }],
  });
  const tokens = {};
  for (const id of ['cust_dora', 'cust_eli']) {
    tokens[id] = api(srv.url, await srv.createToken(t.tenant, 'customer', id));
    const r = await tokens[id].post('/api/orders', { items: [item(stocked)] },
      { headers: { 'Idempotency-Key': `digest-${id}` } });
    assertStatus(r, 201, 'order');
  }
  const dora = tokens.cust_dora;
  for (const entity of ['orders', 'bills', 'customers']) {
    const mine = await listAll(dora, `/api/${entity}`);
    assert.equal(mine.length, 1, `${entity}: one of its own`);
    same(await digest(dora, `entities=${entity}`), await digestOf(entity, mine), `${entity}: its own only`);
  }
  same(await digest(dora, q({ entities: 'orders', filter: JSON.stringify({ customer_id: 'cust_dora' }) })),
    await digestOf('orders', await listAll(dora, '/api/orders')), 'its own customer id as a filter');
  assertProblem(await dora.get(`/api/sync/digest?${q({ entities: 'orders', filter: JSON.stringify({ customer_id: 'cust_eli' }) })}`),
    403, 'forbidden_filter');
});

test('malformed or oversized scopes are refused with 4xx', async () => {
  const many = Array.from({ length: 1001 }, (_, i) => `p${i}`).join(',');
  for (const [query, status, code] of [
    [q({ entities: 'products', ids: 'a', filter: '{}' }), 400, 'bad_query'],
    [q({ entities: 'products,categories', ids: 'a' }), 400, 'bad_query'],
    [q({ ids: 'a' }), 400, 'bad_query'],
    [q({ entities: 'products', ids: many }), 400, 'bad_query'],
    [q({ entities: 'products', ids: 'bad id!' }), 400, 'bad_filter'],
    [q({ entities: 'products', filter: '{not json' }), 400, 'bad_filter'],
    [q({ entities: 'products', filter: JSON.stringify({ colour: 'red' }) }), 400, 'bad_filter'],
    [q({ entities: 'products', filter: JSON.stringify({ status: 'draft' }) }), 403, 'forbidden_filter'],
    [q({ entities: 'products', scope: 'x' }), 400, 'bad_query'],
  ]) {
    const client = code === 'forbidden_filter' ? pub : admin;
    assertProblem(await client.get(`/api/sync/digest?${query}`), status, code);
  }
});
