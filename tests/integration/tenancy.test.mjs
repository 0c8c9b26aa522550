// Tenant isolation and role projections: tenant A never sees or changes
// tenant B's records; public and customer tokens see only what they may.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib/server.mjs';
import { assertProblem, assertStatus, create, listAll, ids, isoIn, DAY } from './lib/check.mjs';
import { makePng } from './lib/images.mjs';

const MP = { contentType: 'application/merge-patch+json' };
const HIDDEN_TOP = ['stock_total', 'low_stock_threshold', 'track_inventory', 'allow_backorder'];

let srv;
let A; // tenant A: { t, admin, pub }
let B;

async function tenant(name) {
  const t = await srv.createTenant(name);
  return { t, admin: api(srv.url, t.admin_token), pub: api(srv.url, t.public_token) };
}

function fullProduct(prefix, extra = {}) {
  return {
    title: `${prefix} Shared Widget`, sku: `${prefix}-W1`, price: 1500, status: 'active',
    description: `${prefix} widget description`, tags: ['shared-tag'],
    options: [{ name: 'size', values: ['S', 'M'] }],
    variants: [{ sku: `${prefix}-W1-S`, options: { size: 'S' }, stock: 2 }, { sku: `${prefix}-W1-M`, options: { size: 'M' }, stock: 8 }],
    low_stock_threshold: 3, track_inventory: true, allow_backorder: false,
    sale: { kind: 'percent', value: 20, starts_at: isoIn(-DAY), ends_at: isoIn(30 * DAY), stock_limit: 5 },
    ...extra,
  };
}

let bProd;
let bCat;
let bBrand;
let bCust;
let bImgId;

before(async () => {
  srv = await startServer();
  A = await tenant('tenant-a');
  B = await tenant('tenant-b');
  bCat = await create(B.admin, 'categories', { name: 'B category', slug: 'shared-slug' });
  bBrand = await create(B.admin, 'brands', { name: 'B brand' });
  bCust = await create(B.admin, 'customers', { name: 'B Customer', email: 'shared@example.com' });
  bProd = await create(B.admin, 'products', fullProduct('B', { category_ids: [bCat.id], brand_id: bBrand.id }));
  const up = await B.admin.post(`/api/products/${bProd.id}/images`, makePng(2, 2), { contentType: 'image/png' });
  assertStatus(up, 201, 'B image upload');
  bProd = up.body;
  bImgId = bProd.images[0].id;
  // A has records of its own with the same slugs, emails and tags
  await create(A.admin, 'categories', { name: 'A category', slug: 'shared-slug' });
  await create(A.admin, 'customers', { name: 'A Customer', email: 'shared@example.com' });
  await create(A.admin, 'products', fullProduct('A'));
});
after(async () => { await srv?.stop(); });

test("A's admin gets 404 on B's records for GET, PATCH, DELETE and image operations", async () => {
  const a = A.admin;
  const targets = [
    ['products', bProd.id, { title: 'hijacked' }],
    ['categories', bCat.id, { name: 'hijacked' }],
    ['brands', bBrand.id, { name: 'hijacked' }],
    ['customers', bCust.id, { name: 'hijacked' }],
  ];
  for (const [coll, id, patch] of targets) {
    assertProblem(await a.get(`/api/${coll}/${id}`), 404, 'not_found');
    assertProblem(await a.patch(`/api/${coll}/${id}`, patch, MP), 404, 'not_found');
    assertProblem(await a.patch(`/api/${coll}/${id}`, patch, { ...MP, headers: { 'If-Match': '"1"' } }), 404, 'not_found');
    assertProblem(await a.del(`/api/${coll}/${id}`), 404, 'not_found');
  }
  assertProblem(await a.post(`/api/products/${bProd.id}/images`, makePng(3, 3), { contentType: 'image/png' }), 404, 'not_found');
  assertProblem(await a.post(`/api/products/${bProd.id}/images`, { url: 'https://evil.example/x.png' }), 404, 'not_found');
  assertProblem(await a.del(`/api/products/${bProd.id}/images/${bImgId}`), 404, 'not_found');
  assertProblem(await a.put(`/api/products/${bProd.id}/images/order`, [bImgId]), 404, 'not_found');
  // B's records are untouched
  const g = await B.admin.get(`/api/products/${bProd.id}`);
  assert.deepEqual(assertStatus(g, 200), bProd);
  for (const [coll, id] of targets) {
    const r = await B.admin.get(`/api/${coll}/${id}`);
    assertStatus(r, 200, `B ${coll}`);
    assert.equal(r.body.version, coll === 'products' ? bProd.version : 1);
  }
  const stillB = await B.pub.get(`/api/products/${bProd.id}`);
  assert.equal(stillB.body.title, 'B Shared Widget');
});

test("A's lists, filters and search never contain B's ids", async () => {
  const bIds = new Set([bProd.id, bCat.id, bBrand.id, bCust.id]);
  const queries = [
    '/api/products', '/api/products?tag=shared-tag', '/api/products?q=widget', '/api/products?q=B-W1',
    `/api/products?sku=B-W1`, `/api/products?variant_sku=B-W1-S`, `/api/products?category_id=${bCat.id}`,
    `/api/products?brand_id=${bBrand.id}`, '/api/products?status=active',
    '/api/categories', '/api/categories?slug=shared-slug', '/api/brands', '/api/customers',
    '/api/customers?email=shared@example.com',
  ];
  for (const q of queries) {
    for (const client of [A.admin, A.pub]) {
      if (client === A.pub && q.startsWith('/api/customers')) continue;
      const items = await listAll(client, q);
      const leaked = ids(items).filter((id) => bIds.has(id));
      assert.deepEqual(leaked, [], `${q} leaked B's ids`);
    }
  }
  assert.deepEqual(await listAll(A.admin, `/api/products?category_id=${bCat.id}`), []);
  assert.equal((await listAll(A.admin, '/api/categories?slug=shared-slug')).length, 1, "A's own category only");
  assert.equal((await listAll(A.admin, '/api/customers?email=shared@example.com')).length, 1, "A's own customer only");
  // and B's public token does not see A's products
  const bPublic = ids(await listAll(B.pub, '/api/products'));
  assert.deepEqual(bPublic, [bProd.id]);
});

test("creating a record with B's id in A never touches B's record", async () => {
  const same = await A.admin.post('/api/products', { id: bProd.id, title: 'A twin', price: 1 });
  assert.ok([201, 409].includes(same.status), `create with B's id: ${same.status}`);
  if (same.status === 201) {
    assert.equal(same.body.title, 'A twin');
    assert.equal(same.body.version, 1);
    assert.equal((await A.admin.get(`/api/products/${bProd.id}`)).body.title, 'A twin');
  }
  const g = await B.admin.get(`/api/products/${bProd.id}`);
  assert.deepEqual(assertStatus(g, 200), bProd, "B's product unchanged");
  assert.deepEqual(ids(await listAll(B.admin, '/api/products')), [bProd.id]);
});

test('public token: only active products, only public fields; draft/archived 404', async () => {
  const t = await tenant('public-shop');
  const active = await create(t.admin, 'products', fullProduct('PUB'));
  const draft = await create(t.admin, 'products', fullProduct('PUBD', { status: 'draft' }));
  const archived = await create(t.admin, 'products', fullProduct('PUBA', { status: 'archived' }));
  const cat = await create(t.admin, 'categories', { name: 'Public cat' });
  const brand = await create(t.admin, 'brands', { name: 'Public brand' });
  const unit = await create(t.admin, 'units', { name: 'Public unit', slug: 'pu' });

  const checkPublic = (p, where) => {
    for (const k of HIDDEN_TOP) assert.equal(k in p, false, `${where}: ${k} must be hidden`);
    for (const v of p.variants) assert.equal('stock' in v, false, `${where}: variants[].stock must be hidden`);
    assert.ok(p.sale, `${where}: sale itself is public`);
    assert.equal('sold' in p.sale, false, `${where}: sale.sold must be hidden`);
    assert.equal('stock_limit' in p.sale, false, `${where}: sale.stock_limit must be hidden`);
    // what a storefront needs stays
    assert.equal(p.price, 1500);
    assert.equal(p.price_now, 1200);
    assert.equal(p.on_sale, true);
    assert.equal(p.sale.kind, 'percent');
    assert.equal(p.sale.value, 20);
    assert.equal(p.stock_status, 'in_stock');
    assert.equal(p.title, 'PUB Shared Widget');
    assert.equal(p.variants.length, 2);
    assert.equal(p.variants[0].sku, 'PUB-W1-S');
    assert.equal(p.variants[0].price_now, 1200);
    assert.equal(p.variants[0].stock_status, 'low_stock');
  };
  for (const client of [t.pub, api(srv.url, await srv.createToken(t.t.tenant, 'customer', 'cust_public_shopper'))]) {
    const list = await listAll(client, '/api/products');
    assert.deepEqual(ids(list), [active.id]);
    checkPublic(list[0], 'list');
    const g = await client.get(`/api/products/${active.id}`);
    checkPublic(assertStatus(g, 200), 'GET');
    assertProblem(await client.get(`/api/products/${draft.id}`), 404, 'not_found');
    assertProblem(await client.get(`/api/products/${archived.id}`), 404, 'not_found');
    for (const q of ['status=draft', 'status=archived', `sku=PUBD-W1`, 'q=PUBD']) {
      const r = await client.get(`/api/products?${q}`);
      if (r.status === 200) assert.deepEqual(r.body.data, [], `?${q} must not reveal drafts`);
      else assertProblem(r, r.status, undefined);
    }
    for (const [coll, rec] of [['categories', cat], ['brands', brand], ['units', unit]]) {
      assertStatus(await client.get(`/api/${coll}/${rec.id}`), 200, `${coll} readable`);
      assert.deepEqual(ids(await listAll(client, `/api/${coll}`)), [rec.id]);
    }
  }
  assertProblem(await t.pub.get('/api/customers'), 403, 'forbidden');
  // admin and staff see everything
  const staff = api(srv.url, await srv.createToken(t.t.tenant, 'staff'));
  const service = api(srv.url, await srv.createToken(t.t.tenant, 'service'));
  for (const c of [t.admin, staff, service]) {
    const all = await listAll(c, '/api/products');
    assert.deepEqual(ids(all), [active.id, draft.id, archived.id].sort());
    const d = assertStatus(await c.get(`/api/products/${draft.id}`), 200);
    assert.equal(d.stock_total, 10);
    assert.equal(d.sale.sold, 0);
    assert.equal(d.variants[0].stock, 2);
  }
  // an active product that becomes draft disappears for the public at once
  const r = await t.admin.patch(`/api/products/${active.id}`, { status: 'draft' }, MP);
  assertStatus(r, 200);
  assertProblem(await t.pub.get(`/api/products/${active.id}`), 404, 'not_found');
  assert.deepEqual(await listAll(t.pub, '/api/products'), []);
  // and comes back when active again
  await t.admin.patch(`/api/products/${active.id}`, { status: 'active' }, MP);
  assertStatus(await t.pub.get(`/api/products/${active.id}`), 200);
});

test('customer token: lists and reads only its own customer record', async () => {
  const t = await tenant('customer-shop');
  const alice = await create(t.admin, 'customers', { id: 'cust_alice', name: 'Alice', email: 'alice@example.com' });
  const bob = await create(t.admin, 'customers', { name: 'Bob', email: 'bob@example.com' });
  const aliceTok = api(srv.url, await srv.createToken(t.t.tenant, 'customer', alice.id));
  const list = await listAll(aliceTok, '/api/customers');
  assert.deepEqual(ids(list), [alice.id]);
  assert.equal(list[0].email, 'alice@example.com');
  assertStatus(await aliceTok.get(`/api/customers/${alice.id}`), 200);
  assertProblem(await aliceTok.get(`/api/customers/${bob.id}`), 404, 'not_found');
  assert.deepEqual(await listAll(aliceTok, '/api/customers?email=bob@example.com'), []);
  // a customer id that does not exist yet is created by `token create`
  const carolTok = api(srv.url, await srv.createToken(t.t.tenant, 'customer', 'cust_carol'));
  assertStatus(await t.admin.get('/api/customers/cust_carol'), 200, 'token create made the customer');
  assert.deepEqual(ids(await listAll(carolTok, '/api/customers')), ['cust_carol']);
  assertProblem(await carolTok.get(`/api/customers/${alice.id}`), 404, 'not_found');
  // another tenant's customer token sees none of these
  const other = await tenant('customer-shop-2');
  const otherTok = api(srv.url, await srv.createToken(other.t.tenant, 'customer', 'cust_alice'));
  assertProblem(await otherTok.get(`/api/customers/${bob.id}`), 404, 'not_found');
  const own = await listAll(otherTok, '/api/customers');
  assert.deepEqual(ids(own), ['cust_alice']);
  assert.notEqual(own[0].email, 'alice@example.com', "not tenant customer-shop's alice");
});

test('a revoked token answers 401 invalid_token right after `token revoke`', async () => {
  const tok = await srv.createToken(A.t.tenant, 'staff');
  const c = api(srv.url, tok);
  assertStatus(await c.get('/api/products'), 200, 'before revoke');
  await srv.revokeToken(tok);
  assertProblem(await c.get('/api/products'), 401, 'invalid_token');
  assertProblem(await c.get(`/api/products/${bProd.id}`), 401, 'invalid_token');
  // an admin token too, on a write
  const adminTok = await srv.createToken(A.t.tenant, 'admin');
  const ac = api(srv.url, adminTok);
  assertStatus(await ac.post('/api/products', { title: 'before revoke', price: 1 }), 201);
  await srv.revokeToken(adminTok);
  assertProblem(await ac.post('/api/products', { title: 'after revoke', price: 1 }), 401, 'invalid_token');
  assertProblem(await api(srv.url, null).get('/api/products'), 401, 'unauthorized');
  const list = await listAll(A.admin, '/api/products?q=after revoke');
  assert.deepEqual(list, [], 'the revoked write did not happen');
});

test('GET /api/shop names the token\'s own shop, for every role; no token is 401', async () => {
  for (const [c, label] of [[A.admin, 'admin'], [A.pub, 'public'], [B.pub, 'B public']]) {
    const r = await c.get('/api/shop');
    assertStatus(r, 200, label);
    assert.equal(r.headers.get('cache-control'), 'no-cache');
  }
  const a = (await A.pub.get('/api/shop')).body;
  const b = (await B.admin.get('/api/shop')).body;
  assert.deepEqual(a, { tenant: A.t.tenant, name: 'tenant-a', currency: 'USD', time_zone: 'UTC' });
  assert.equal(b.tenant, B.t.tenant);
  assert.notEqual(b.name, a.name);
  const customer = api(srv.url, await srv.createToken(A.t.tenant, 'customer', 'cust_shop'));
  assert.equal((await customer.get('/api/shop')).body.tenant, A.t.tenant);
  assertProblem(await api(srv.url, null).get('/api/shop'), 401, 'unauthorized');
});
