// Cache-Control (SPEC §4): catalog reads send no-cache (revalidate, never
// stale); private data — orders, bills, stock movements, alerts, customers,
// answers that carry them — sends no-store. Checked for every collection.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { create, assertStatus } from './lib/check.mjs';
import { capi, order, item, newKey } from './lib/commerce.mjs';

let srv;
let admin;
let records = {};

before(async () => {
  srv = await startServer();
  const t = await srv.createTenant('cache-shop');
  admin = capi(srv.url, t.admin_token);
  const cust = await create(admin, 'customers', { name: 'Cache Cust', email: 'cache@example.com' });
  const p = await create(admin, 'products', {
    title: 'Cache product', sku: 'CACHE', price: 500, status: 'active', low_stock_threshold: 2,
    variants: [{ sku: 'CACHE', options: {}, stock: 3 }],
  });
  const o = await order(admin, { items: [item(p, 0, 2)], customer_id: cust.id });
  assertStatus(o, 201, 'order');
  records = {
    products: p.id,
    categories: (await create(admin, 'categories', { name: 'Cache cat' })).id,
    brands: (await create(admin, 'brands', { name: 'Cache brand' })).id,
    units: (await create(admin, 'units', { name: 'Cache unit' })).id,
    customers: cust.id,
    orders: o.body.id,
  };
  for (const c of ['bills', 'stock_movements', 'alerts']) {
    const list = await admin.get(`/api/${c}`);
    assert.ok(list.body.data.length > 0, `a record in ${c}`);
    records[c] = list.body.data[0].id;
  }
});
after(async () => { await srv?.stop(); });

const CATALOG = ['products', 'categories', 'brands', 'units'];
const PRIVATE = ['customers', 'orders', 'bills', 'stock_movements', 'alerts'];

function assertPolicy(res, policy, what) {
  assert.ok(res.status < 400, `${what}: ${res.status} ${res.text.slice(0, 200)}`);
  assert.equal(res.headers.get('cache-control'), policy, what);
}

test('catalog collections: list and record reads are no-cache', async () => {
  for (const c of CATALOG) {
    assertPolicy(await admin.get(`/api/${c}`), 'no-cache', `GET /api/${c}`);
    assertPolicy(await admin.get(`/api/${c}/${records[c]}`), 'no-cache', `GET /api/${c}/{id}`);
  }
  assertPolicy(await admin.get('/api/shop'), 'no-cache', 'GET /api/shop');
});

test('private collections: list and record reads are no-store', async () => {
  for (const c of PRIVATE) {
    assertPolicy(await admin.get(`/api/${c}`), 'no-store', `GET /api/${c}`);
    assertPolicy(await admin.get(`/api/${c}/${records[c]}`), 'no-store', `GET /api/${c}/{id}`);
  }
});

test('a 304 keeps the policy of its collection', async () => {
  for (const c of ['orders', 'products']) {
    const first = await admin.get(`/api/${c}/${records[c]}`);
    const again = await admin.get(`/api/${c}/${records[c]}`, { headers: { 'If-None-Match': first.headers.get('etag') } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('cache-control'), c === 'orders' ? 'no-store' : 'no-cache', c);
  }
});

test('answers carrying private data are no-store: order, checkout, transitions, stock', async () => {
  const p = await create(admin, 'products', { title: 'Cache 2', sku: 'CACHE2', price: 100, status: 'active', variants: [{ sku: 'CACHE2', options: {}, stock: 5 }] });
  const o = await order(admin, { items: [item(p, 0, 1)] });
  assertPolicy(o, 'no-store', 'POST /api/orders');
  assertPolicy(await admin.post('/api/checkout/validate', { items: [item(p, 0, 1)] }), 'no-store', 'checkout/validate');
  assertPolicy(await admin.post(`/api/orders/${o.body.id}/confirm`), 'no-store', 'confirm');
  assertPolicy(await admin.post('/api/stock/adjust', { variant_id: p.variants[0].id, delta: 1 }), 'no-store', 'stock/adjust');
  assertPolicy(await admin.post('/api/stock/sync', { levels: [{ sku: 'CACHE2', stock: 9 }] }), 'no-store', 'stock/sync');
  assertPolicy(await admin.post('/api/customers', { name: 'Created', email: 'created@example.com' }, { headers: { 'Idempotency-Key': newKey() } }), 'no-store', 'POST /api/customers');
  assertPolicy(await admin.post('/api/brands', { name: 'Created brand' }), 'no-cache', 'POST /api/brands');
});

test('sync and digest: no-store when they carry private data, no-cache for catalog only', async () => {
  for (const path of ['/api/sync', '/api/sync?entities=orders', '/api/sync?entities=products,bills',
    '/api/sync/digest', '/api/sync/digest?entities=customers']) {
    assertPolicy(await admin.get(path), 'no-store', path);
  }
  for (const path of ['/api/sync?entities=products', '/api/sync?entities=categories,brands,units',
    '/api/sync/digest?entities=products']) {
    assertPolicy(await admin.get(path), 'no-cache', path);
  }
});
