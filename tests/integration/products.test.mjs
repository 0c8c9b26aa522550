// Products and the other catalog collections over REST: every field family
// round-trips, computed fields, ETags, If-Match, merge patch, soft delete,
// filters, search, list ETags and cache headers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib/server.mjs';
import { assertProblem, assertStatus, create, listAll, ids, isoIn, DAY } from './lib/check.mjs';

const MP = { contentType: 'application/merge-patch+json' };
const RFC3339_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let srv;
let T;
let admin;

before(async () => {
  srv = await startServer();
  T = await srv.createTenant('products-shop');
  admin = api(srv.url, T.admin_token);
});
after(async () => { await srv?.stop(); });

async function patch(id, body, opts = {}) {
  const res = await admin.patch(`/api/products/${id}`, body, { ...MP, ...opts });
  assertStatus(res, 200, `PATCH ${JSON.stringify(body).slice(0, 200)}`);
  return res.body;
}
async function get(id) {
  const res = await admin.get(`/api/products/${id}`);
  assertStatus(res, 200, `GET ${id}`);
  return res.body;
}
// The fields of `expected` hold in `actual` (deep), others are ignored.
function assertSubset(actual, expected, where = '') {
  for (const [k, v] of Object.entries(expected)) {
    assert.deepEqual(actual[k], v, `${where}field ${k}`);
  }
}

test('a product with every field family round-trips through POST and GET', async () => {
  const cat = await create(admin, 'categories', { name: 'Running shoes' });
  const brand = await create(admin, 'brands', { name: 'Acme' });
  const unit = await create(admin, 'units', { name: 'Pair', slug: 'pair' });
  const startsAt = isoIn(-DAY);
  const endsAt = isoIn(DAY);
  const input = {
    title: 'Trail Runner 2',
    description: 'Lightweight trail shoe.\nSecond line with ünïcödé ✓',
    sku: 'TR-2',
    status: 'active',
    condition: 'like_new',
    price: 12999,
    compare_at_price: 15999,
    sale: { kind: 'percent', value: 15, starts_at: startsAt, ends_at: endsAt, stock_limit: 10 },
    images: [{ url: 'https://cdn.example.com/tr2-front.jpg', alt: 'front', width: 800, height: 600 }],
    options: [{ name: 'size', values: ['S', 'M', 'L'] }, { name: 'color', values: ['Red', 'Blue'] }],
    variants: [
      { sku: 'TR-2-S-RED', options: { size: 'S', color: 'Red' }, stock: 3 },
      { sku: 'TR-2-L-BLUE', options: { size: 'L', color: 'Blue' }, price: 13999, stock: 10, available: true },
    ],
    track_inventory: true,
    allow_backorder: false,
    low_stock_threshold: 4,
    category_ids: [cat.id],
    tags: ['running', 'trail'],
    brand_id: brand.id,
    unit_id: unit.id,
    fulfillment: {
      pickup: true,
      pickup_locations: ['Main Street store'],
      shipping: [{ method: 'standard', price: 499, eta_days: 3 }, { method: 'express', price: 1299, eta_days: 1 }],
    },
    attributes: { material: 'mesh', dims: { w: 10, h: { x: 1, list: [1, 'two', true, null] } }, drop_mm: 6 },
  };
  const res = await admin.post('/api/products', input, { headers: { 'X-Client-Id': 'it-products' } });
  assertStatus(res, 201, 'POST product');
  const p = res.body;
  assert.match(p.id, /^prod_[A-Za-z0-9_-]+$/);
  assert.ok(p.id.length <= 64);
  assert.equal(p.version, 1);
  assert.match(p.created_at, RFC3339_MS);
  assert.match(p.updated_at, RFC3339_MS);
  const loc = res.headers.get('location');
  assert.ok(loc && loc.endsWith(`/api/products/${p.id}`), `Location header: ${loc}`);
  assertSubset(p, {
    title: input.title, description: input.description, sku: input.sku, status: 'active',
    condition: 'like_new', price: 12999, compare_at_price: 15999, options: input.options,
    track_inventory: true, allow_backorder: false, low_stock_threshold: 4,
    category_ids: [cat.id], tags: ['running', 'trail'], brand_id: brand.id, unit_id: unit.id,
    fulfillment: input.fulfillment, attributes: input.attributes,
  });
  assert.equal(typeof p.currency, 'string');
  assert.deepEqual(p.sale, { kind: 'percent', value: 15, starts_at: startsAt, ends_at: endsAt, stock_limit: 10, sold: 0 });
  assert.equal(p.images.length, 1);
  assert.match(p.images[0].id, /^img_/);
  assertSubset(p.images[0], { url: input.images[0].url, alt: 'front', width: 800, height: 600 });
  assert.equal(p.variants.length, 2);
  for (const [i, v] of p.variants.entries()) {
    assert.match(v.id, /^var_/);
    assertSubset(v, { sku: input.variants[i].sku, options: input.variants[i].options, stock: input.variants[i].stock, available: true });
  }
  assert.equal(p.variants[0].price, undefined, 'variant without override has no price');
  assert.equal(p.variants[1].price, 13999);
  // computed
  assert.equal(p.on_sale, true);
  assert.equal(p.price_now, 11049); // 12999 * 0.85 = 11049.15
  assert.equal(p.variants[0].price_now, 11049);
  assert.equal(p.variants[1].price_now, 11899); // 13999 * 0.85 = 11899.15
  assert.equal(p.stock_total, 13);
  assert.equal(p.stock_status, 'in_stock');
  assert.equal(p.variants[0].stock_status, 'low_stock');
  assert.equal(p.variants[1].stock_status, 'in_stock');

  const g = await admin.get(`/api/products/${p.id}`);
  assertStatus(g, 200);
  assert.deepEqual(g.body, p, 'GET returns what POST returned');
  assert.equal(g.headers.get('etag'), '"1"');
});

test('a minimal product gets the documented defaults and one default variant', async () => {
  const p = await create(admin, 'products', { title: 'Plain thing', price: 500, sku: 'PLAIN-1' });
  assertSubset(p, {
    description: '', status: 'draft', condition: 'new', track_inventory: true, allow_backorder: false,
    low_stock_threshold: 5, category_ids: [], tags: [], images: [], attributes: {},
    fulfillment: { pickup: false, pickup_locations: [], shipping: [] },
    price_now: 500, on_sale: false, stock_total: 0, stock_status: 'sold_out',
  });
  for (const k of ['compare_at_price', 'sale', 'brand_id', 'unit_id']) assert.equal(p[k], undefined, `${k} absent`);
  assert.deepEqual(p.options ?? [], []);
  assert.equal(p.variants.length, 1);
  const dv = p.variants[0];
  assertSubset(dv, { sku: 'PLAIN-1', options: {}, stock: 0, available: true });
  // the default variant follows the product's sku and keeps its id
  const q = await patch(p.id, { sku: 'PLAIN-2' });
  assert.equal(q.variants.length, 1);
  assert.equal(q.variants[0].id, dv.id);
  assert.equal(q.variants[0].sku, 'PLAIN-2');
});

test('each field family round-trips through PATCH, version +1 each time', async () => {
  const p = await create(admin, 'products', { title: 'Patch me', price: 1000 });
  const cat1 = await create(admin, 'categories', { name: 'Cat one' });
  const cat2 = await create(admin, 'categories', { name: 'Cat two' });
  const brand = await create(admin, 'brands', { name: 'Brandy' });
  const unit = await create(admin, 'units', { name: 'Kilogram', slug: 'kg' });
  const far = isoIn(300 * DAY);
  const steps = [
    { title: 'Patched title' },
    { description: 'A new description' },
    { sku: 'PM-1' },
    { status: 'active' },
    { status: 'archived' },
    { condition: 'refurbished' },
    { condition: 'for_parts' },
    { price: 2500 },
    { compare_at_price: 3000 },
    { sale: { kind: 'amount', value: 300, starts_at: isoIn(-DAY), ends_at: far, stock_limit: 5 } },
    { sale: { kind: 'fixed_price', value: 1999 } },
    { sale: { kind: 'percent', value: 50, ends_at: far } },
    { images: [{ url: 'https://img.example.com/a.png', alt: 'a', width: 10, height: 20 }, { url: 'https://img.example.com/b.png' }] },
    { options: [{ name: 'size', values: ['S', 'M'] }],
      variants: [{ sku: 'PM-S', options: { size: 'S' }, stock: 2 }, { sku: 'PM-M', options: { size: 'M' }, stock: 0, available: false, price: 2700 }] },
    { track_inventory: false, allow_backorder: true, low_stock_threshold: 0 },
    { category_ids: [cat1.id, cat2.id] },
    { tags: ['one', 'two', 'three'] },
    { brand_id: brand.id, unit_id: unit.id },
    { fulfillment: { pickup: true, pickup_locations: ['North', 'South'], shipping: [{ method: 'courier', price: 0, eta_days: 0 }] } },
    { attributes: { a: 1, nested: { deep: { deeper: 'x' } }, arr: [{ k: 'v' }] } },
  ];
  let version = p.version;
  for (const step of steps) {
    const r = await patch(p.id, step);
    version += 1;
    assert.equal(r.version, version, `version after ${JSON.stringify(step)}`);
    const g = await get(p.id);
    assert.deepEqual(g, r, 'GET equals PATCH answer');
    for (const [k, v] of Object.entries(step)) {
      if (k === 'images') {
        assert.equal(r.images.length, v.length);
        v.forEach((img, i) => {
          assertSubset(r.images[i], { alt: '', ...img });
          assert.match(r.images[i].id, /^img_/);
        });
      } else if (k === 'variants') {
        assert.equal(r.variants.length, v.length);
        v.forEach((vv, i) => assertSubset(r.variants[i], { available: true, ...vv }));
      } else if (k === 'sale') {
        assertSubset(r.sale, { ...v, sold: 0 });
      } else {
        assert.deepEqual(r[k], v, `field ${k}`);
      }
    }
  }
  // variants sent back with their ids keep them
  const cur = await get(p.id);
  const ids0 = cur.variants.map((v) => v.id);
  const r = await patch(p.id, { variants: cur.variants.map((v) => ({ id: v.id, sku: v.sku, options: v.options, stock: v.stock + 5 })) });
  assert.deepEqual(r.variants.map((v) => v.id), ids0);
  assert.deepEqual(r.variants.map((v) => v.stock), cur.variants.map((v) => v.stock + 5));
});

test('sale timestamps are re-emitted as canonical RFC 3339 UTC milliseconds', async () => {
  const p = await create(admin, 'products', {
    title: 'Zoned sale', price: 100,
    sale: { kind: 'amount', value: 10, starts_at: '2020-01-01T02:00:00+02:00', ends_at: '2020-06-01T12:00:00.5Z' },
  });
  assert.equal(p.sale.starts_at, '2020-01-01T00:00:00.000Z');
  assert.equal(p.sale.ends_at, '2020-06-01T12:00:00.500Z');
});

test('computed price_now and on_sale follow the sale window, kind and stock limit', async () => {
  const cases = [
    // [name, price, sale, price_now, on_sale]
    ['running percent', 1999, { kind: 'percent', value: 10, starts_at: isoIn(-DAY), ends_at: isoIn(DAY) }, 1799, true],
    ['percent rounds half up', 10, { kind: 'percent', value: 15 }, 9, true], // 8.5 → 9
    ['percent 100', 777, { kind: 'percent', value: 100 }, 0, true],
    ['running amount', 5000, { kind: 'amount', value: 1250, starts_at: isoIn(-DAY) }, 3750, true],
    ['amount above price clamps to 0', 300, { kind: 'amount', value: 1000 }, 0, true],
    ['fixed price', 5000, { kind: 'fixed_price', value: 2222, ends_at: isoIn(DAY) }, 2222, true],
    ['future sale', 1999, { kind: 'percent', value: 10, starts_at: isoIn(DAY), ends_at: isoIn(2 * DAY) }, 1999, false],
    ['ended sale', 1999, { kind: 'percent', value: 10, starts_at: isoIn(-2 * DAY), ends_at: isoIn(-DAY) }, 1999, false],
    ['stock limit reached', 1999, { kind: 'fixed_price', value: 1000, stock_limit: 3, sold: 3 }, 1999, false],
    ['stock limit not reached', 1999, { kind: 'fixed_price', value: 1000, stock_limit: 3, sold: 2 }, 1000, true],
  ];
  for (const [name, price, sale, priceNow, onSale] of cases) {
    const p = await create(admin, 'products', { title: `Sale: ${name}`, price, sale });
    assert.equal(p.price_now, priceNow, `${name}: price_now`);
    assert.equal(p.on_sale, onSale, `${name}: on_sale`);
    assert.equal(p.variants[0].price_now, priceNow, `${name}: default variant price_now`);
    const g = await get(p.id);
    assert.equal(g.price_now, priceNow, `${name}: price_now on GET`);
    assert.equal(g.on_sale, onSale, `${name}: on_sale on GET`);
  }
  // fixed_price sets every variant's price; percent applies to a variant's override
  const v = await create(admin, 'products', {
    title: 'Variant sale', price: 1000,
    options: [{ name: 'size', values: ['S', 'L'] }],
    variants: [{ options: { size: 'S' }, stock: 1 }, { options: { size: 'L' }, price: 2000, stock: 1 }],
    sale: { kind: 'percent', value: 25 },
  });
  assert.deepEqual(v.variants.map((x) => x.price_now), [750, 1500]);
  const f = await patch(v.id, { sale: { kind: 'fixed_price', value: 900 } });
  assert.deepEqual(f.variants.map((x) => x.price_now), [900, 900]);
  assert.equal(f.price_now, 900);
});

test('stock_total and stock_status follow stock, threshold, availability and tracking', async () => {
  const opts = [{ name: 'size', values: ['S', 'M', 'L'] }];
  const mk = (variants, extra = {}) => create(admin, 'products', {
    title: 'Stocky', price: 100, options: opts, low_stock_threshold: 5, variants, ...extra,
  });
  const S = (stock, more = {}) => ({ options: { size: 'S' }, stock, ...more });
  const M = (stock, more = {}) => ({ options: { size: 'M' }, stock, ...more });
  const L = (stock, more = {}) => ({ options: { size: 'L' }, stock, ...more });

  let p = await mk([S(10), M(20)]);
  assert.equal(p.stock_total, 30);
  assert.equal(p.stock_status, 'in_stock');
  p = await mk([S(2), M(3)]);
  assert.equal(p.stock_total, 5);
  assert.equal(p.stock_status, 'low_stock', '0 < 5 ≤ threshold 5');
  assert.deepEqual(p.variants.map((v) => v.stock_status), ['low_stock', 'low_stock']);
  p = await mk([S(0), M(0)]);
  assert.equal(p.stock_total, 0);
  assert.equal(p.stock_status, 'sold_out');
  p = await mk([S(0), M(9), L(100, { available: false })]);
  assert.equal(p.stock_total, 9, 'unavailable variants do not count');
  assert.equal(p.stock_status, 'in_stock');
  assert.equal(p.variants[0].stock_status, 'sold_out');
  p = await mk([S(-2), M(1)], { allow_backorder: true });
  assert.equal(p.stock_total, -1);
  assert.equal(p.stock_status, 'sold_out');
  assert.equal(p.variants[0].stock, -2);
  p = await mk([S(0)], { track_inventory: false });
  assert.equal(p.stock_status, 'in_stock', 'untracked is always in stock');
  // threshold 0: one unit is in stock
  p = await mk([S(1)], { low_stock_threshold: 0 });
  assert.equal(p.stock_status, 'in_stock');
  // a patch to stock recomputes
  const q = await patch(p.id, { variants: [{ id: p.variants[0].id, options: { size: 'S' }, stock: 0 }] });
  assert.equal(q.stock_status, 'sold_out');
});

test('titles are limited in code points, not bytes or UTF-16 units', async () => {
  const p = await create(admin, 'products', { title: '😀'.repeat(200), price: 1 });
  assert.equal(p.title, '😀'.repeat(200));
  assertProblem(await admin.post('/api/products', { title: '😀'.repeat(201), price: 1 }), 422, 'validation_failed', { field: 'title' });
});

test('ETag and If-None-Match on one record', async () => {
  const p = await create(admin, 'products', { title: 'Etag me', price: 100 });
  const g = await admin.get(`/api/products/${p.id}`);
  assert.equal(g.headers.get('etag'), '"1"');
  const nm = await admin.get(`/api/products/${p.id}`, { headers: { 'If-None-Match': '"1"' } });
  assert.equal(nm.status, 304);
  assert.equal(nm.text, '');
  await patch(p.id, { title: 'Etag me 2' });
  const g2 = await admin.get(`/api/products/${p.id}`, { headers: { 'If-None-Match': '"1"' } });
  assertStatus(g2, 200, 'stale If-None-Match');
  assert.equal(g2.headers.get('etag'), '"2"');
  assert.equal(g2.body.title, 'Etag me 2');
  const nm2 = await admin.get(`/api/products/${p.id}`, { headers: { 'If-None-Match': '"2"' } });
  assert.equal(nm2.status, 304);
});

test('If-Match: a stale version answers 412 version_mismatch with the current record', async () => {
  const p = await create(admin, 'products', { title: 'Guarded', price: 100 });
  const p2 = await patch(p.id, { title: 'Guarded v2' }, { headers: { 'If-Match': '"1"' } });
  assert.equal(p2.version, 2);
  const stale = await admin.patch(`/api/products/${p.id}`, { title: 'Lost update' }, { ...MP, headers: { 'If-Match': '"1"' } });
  const b = assertProblem(stale, 412, 'version_mismatch');
  assert.equal(b.current?.id, p.id);
  assert.equal(b.current.version, 2);
  assert.equal(b.current.title, 'Guarded v2');
  assert.deepEqual(await get(p.id), p2, 'nothing changed');
  const del = await admin.del(`/api/products/${p.id}`, { headers: { 'If-Match': '"1"' } });
  assertProblem(del, 412, 'version_mismatch');
  assert.equal((await get(p.id)).version, 2, 'stale DELETE changed nothing');
  const ok = await admin.del(`/api/products/${p.id}`, { headers: { 'If-Match': '"2"' } });
  assert.equal(ok.status, 204);
});

test('merge patch: null removes a member, objects merge, arrays replace', async () => {
  const p = await create(admin, 'products', {
    title: 'Merge', price: 1000, compare_at_price: 1500, tags: ['a', 'b'],
    sale: { kind: 'percent', value: 10 },
    attributes: { keep: 1, drop: 2, nested: { x: 1, y: 2 } },
  });
  assert.equal(p.on_sale, true);
  let r = await patch(p.id, { compare_at_price: null });
  assert.equal('compare_at_price' in r, false, 'compare_at_price removed');
  r = await patch(p.id, { sale: null });
  assert.equal('sale' in r, false, 'sale removed');
  assert.equal(r.on_sale, false);
  assert.equal(r.price_now, 1000);
  r = await patch(p.id, { attributes: { drop: null, nested: { y: null, z: 3 }, added: [1] } });
  assert.deepEqual(r.attributes, { keep: 1, nested: { x: 1, z: 3 }, added: [1] });
  r = await patch(p.id, { tags: ['c'] });
  assert.deepEqual(r.tags, ['c']);
  // plain application/json is accepted as a merge patch too
  const j = await admin.patch(`/api/products/${p.id}`, { title: 'Merged' }, { contentType: 'application/json' });
  assertStatus(j, 200);
  assert.equal(j.body.title, 'Merged');
  assert.deepEqual(j.body.attributes, r.attributes, 'untouched members stay');
  assert.equal(j.body.version, 6);
  // nulling a required field is a validation error and changes nothing
  assertProblem(await admin.patch(`/api/products/${p.id}`, { title: null }, MP), 422, 'validation_failed', { field: 'title' });
  assert.equal((await get(p.id)).version, 6);
});

test('60 concurrent merge patches of one product, each to its own attribute: none is lost, one version each', { timeout: 60000 }, async () => {
  // Most of them lose the optimistic race to another and are run again: the
  // answer of each must still be its own edit, on top of all that came before.
  const p = await create(admin, 'products', { title: 'Hot', price: 100, attributes: {} });
  const n = 60;
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => patch(p.id, { attributes: { [`a${i}`]: i } })));
  const versions = answers.map((a) => a.version).sort((x, y) => x - y);
  assert.deepEqual(versions, Array.from({ length: n }, (_, i) => p.version + 1 + i), 'each edit is one new version');
  answers.forEach((a, i) => assert.equal(a.attributes[`a${i}`], i, `answer ${i} carries its own edit`));
  for (const a of answers) assert.equal(Object.keys(a.attributes).length, a.version - p.version, 'an answer holds every edit before it');
  const final = await get(p.id);
  assert.equal(final.version, p.version + n);
  assert.deepEqual(final.attributes, Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, i])));
});

test('soft delete: 204, then 404 on GET/PATCH/DELETE and gone from lists', async () => {
  const p = await create(admin, 'products', { title: 'Doomed', price: 1, tags: ['doomed-tag'] });
  const before = await listAll(admin, '/api/products?tag=doomed-tag');
  assert.deepEqual(ids(before), [p.id]);
  const d = await admin.del(`/api/products/${p.id}`);
  assert.equal(d.status, 204);
  assertProblem(await admin.get(`/api/products/${p.id}`), 404, 'not_found');
  assertProblem(await admin.patch(`/api/products/${p.id}`, { title: 'x' }, MP), 404, 'not_found');
  assertProblem(await admin.del(`/api/products/${p.id}`), 404, 'not_found');
  assert.deepEqual(await listAll(admin, '/api/products?tag=doomed-tag'), []);
  assert.ok(!ids(await listAll(admin, '/api/products')).includes(p.id));
});

test('client-supplied ids: accepted when valid, 409 already_exists when taken', async () => {
  const res = await admin.post('/api/products', { id: 'client-Prod_1', title: 'Mine', price: 5 });
  assertStatus(res, 201);
  assert.equal(res.body.id, 'client-Prod_1');
  assert.equal(res.body.version, 1);
  assertProblem(await admin.post('/api/products', { id: 'client-Prod_1', title: 'Again', price: 5 }), 409, 'already_exists');
  assert.equal((await get('client-Prod_1')).title, 'Mine');
});

test('currency is read-only: taken from the tenant, input ignored', async () => {
  const a = await create(admin, 'products', { title: 'Cur A', price: 1 });
  const b = await create(admin, 'products', { title: 'Cur B', price: 1, currency: 'ZZZ' });
  assert.equal(typeof a.currency, 'string');
  assert.equal(b.currency, a.currency);
});

for (const coll of ['categories', 'brands', 'units']) {
  test(`${coll}: create, read, patch, filter, delete`, async () => {
    const parent = await create(admin, coll, { name: `Parent ${coll} Top` });
    assert.match(parent.id, /^[A-Za-z0-9_-]{1,64}$/);
    assert.equal(parent.version, 1);
    assert.match(parent.slug, /^[a-z0-9-]{1,200}$/, 'derived slug');
    assert.equal(parent.position, 0);
    assert.equal(parent.parent_id, undefined);
    const child = await create(admin, coll, { name: 'Child', slug: `child-${coll}`, parent_id: parent.id, position: 3 });
    assert.deepEqual({ name: child.name, slug: child.slug, parent_id: child.parent_id, position: child.position },
      { name: 'Child', slug: `child-${coll}`, parent_id: parent.id, position: 3 });
    const g = await admin.get(`/api/${coll}/${child.id}`);
    assertStatus(g, 200);
    assert.deepEqual(g.body, child);
    assert.equal(g.headers.get('etag'), '"1"');
    assert.equal((await admin.get(`/api/${coll}/${child.id}`, { headers: { 'If-None-Match': '"1"' } })).status, 304);
    assert.deepEqual(ids(await listAll(admin, `/api/${coll}?parent_id=${parent.id}`)), [child.id]);
    assert.deepEqual(ids(await listAll(admin, `/api/${coll}?slug=child-${coll}`)), [child.id]);
    const r = await admin.patch(`/api/${coll}/${child.id}`, { name: 'Child renamed', position: 7, parent_id: null }, MP);
    assertStatus(r, 200);
    assert.equal(r.body.version, 2);
    assert.equal(r.body.name, 'Child renamed');
    assert.equal(r.body.position, 7);
    assert.equal(r.body.parent_id, undefined);
    assert.equal(r.body.slug, `child-${coll}`, 'slug unchanged by rename');
    assert.deepEqual(await listAll(admin, `/api/${coll}?parent_id=${parent.id}`), []);
    assertProblem(await admin.patch(`/api/${coll}/${child.id}`, { name: 'x' }, { ...MP, headers: { 'If-Match': '"1"' } }), 412, 'version_mismatch');
    assert.equal((await admin.del(`/api/${coll}/${child.id}`)).status, 204);
    assertProblem(await admin.get(`/api/${coll}/${child.id}`), 404, 'not_found');
    assert.ok(!ids(await listAll(admin, `/api/${coll}`)).includes(child.id));
  });
}

test('customers: create, read, patch, filter by email, delete', async () => {
  const c = await create(admin, 'customers', { name: 'Ada Lovelace', email: 'ada@example.com' });
  assert.equal(c.version, 1);
  assert.match(c.id, /^cust_/);
  assert.deepEqual({ name: c.name, email: c.email }, { name: 'Ada Lovelace', email: 'ada@example.com' });
  const g = await admin.get(`/api/customers/${c.id}`);
  assert.deepEqual(assertStatus(g, 200), c);
  assert.match(g.headers.get('cache-control') || '', /no-store/);
  const other = await create(admin, 'customers', { name: 'Grace', email: 'grace@example.com' });
  assert.deepEqual(ids(await listAll(admin, '/api/customers?email=ada@example.com')), [c.id]);
  const r = await admin.patch(`/api/customers/${c.id}`, { email: 'ada@analytical.example' }, MP);
  assertStatus(r, 200);
  assert.equal(r.body.version, 2);
  assert.equal(r.body.name, 'Ada Lovelace');
  assert.deepEqual(await listAll(admin, '/api/customers?email=ada@example.com'), []);
  assert.deepEqual(ids(await listAll(admin, '/api/customers?email=ada@analytical.example')), [c.id]);
  assertProblem(await admin.post('/api/customers', { name: 'No mail' }), 422, 'validation_failed', { field: 'email' });
  assert.equal((await admin.del(`/api/customers/${c.id}`)).status, 204);
  assertProblem(await admin.get(`/api/customers/${c.id}`), 404, 'not_found');
  const all = ids(await listAll(admin, '/api/customers'));
  assert.ok(!all.includes(c.id));
  assert.ok(all.includes(other.id));
});

test('list filters, AND-combined, and ?q= text search; order by id ascending', async () => {
  const t = await srv.createTenant('filters-shop');
  const A = api(srv.url, t.admin_token);
  const brand = await create(A, 'brands', { name: 'Kettleco' });
  const unit = await create(A, 'units', { name: 'Piece', slug: 'pc' });
  const c1 = await create(A, 'categories', { name: 'Kitchen' });
  const c2 = await create(A, 'categories', { name: 'Outdoor' });
  const p1 = await create(A, 'products', {
    title: 'Red Kettle', sku: 'KT-RED', status: 'active', condition: 'new', price: 3000,
    brand_id: brand.id, unit_id: unit.id, category_ids: [c1.id], tags: ['kitchen', 'steel'],
    description: 'A whistling kettle', options: [{ name: 'size', values: ['1L', '2L'] }],
    variants: [{ sku: 'KT-RED-1L', options: { size: '1L' }, stock: 1 }, { sku: 'KT-RED-2L', options: { size: '2L' }, stock: 2 }],
  });
  const p2 = await create(A, 'products', {
    title: 'Blue Mug', sku: 'MUG-BLU', status: 'draft', condition: 'like_new', price: 800,
    category_ids: [c1.id, c2.id], tags: ['kitchen'], description: 'Ceramic, Dishwasher safe',
  });
  const p3 = await create(A, 'products', {
    title: 'Garden Hose', sku: 'HOSE-25', status: 'archived', condition: 'refurbished', price: 2500,
    unit_id: unit.id, category_ids: [c2.id], tags: ['garden'], description: 'Twenty five metres. Not a KETTLE.',
  });
  const sorted = (...ps) => ps.map((p) => p.id).sort();
  const expect = async (query, want) => {
    const items = await listAll(A, `/api/products?${query}`);
    const got = ids(items);
    assert.deepEqual(got, [...got].sort(), `${query}: ascending id order`);
    assert.deepEqual(got, want, `?${query}`);
  };
  await expect('', sorted(p1, p2, p3));
  await expect('status=active', sorted(p1));
  await expect('status=draft', sorted(p2));
  await expect('condition=refurbished', sorted(p3));
  await expect('sku=KT-RED', sorted(p1));
  await expect(`brand_id=${brand.id}`, sorted(p1));
  await expect(`unit_id=${unit.id}`, sorted(p1, p3));
  await expect(`category_id=${c1.id}`, sorted(p1, p2));
  await expect(`category_id=${c2.id}`, sorted(p2, p3));
  await expect('tag=kitchen', sorted(p1, p2));
  await expect('variant_sku=KT-RED-2L', sorted(p1));
  await expect('variant_sku=MUG-BLU', sorted(p2));
  await expect('status=active&tag=kitchen', sorted(p1));
  await expect(`category_id=${c1.id}&tag=kitchen`, sorted(p1, p2));
  await expect(`category_id=${c2.id}&condition=like_new`, sorted(p2));
  await expect('tag=nope', []);
  await expect('q=KETTLE', sorted(p1, p3));
  await expect('q=mug-blu', sorted(p2));
  await expect('q=dishwasher', sorted(p2));
  await expect('q=GARD', sorted(p3));
  await expect('q=steel', sorted(p1));
  await expect('q=kettle&status=active', sorted(p1));
  await expect('q=zzzz-none', []);
  // indexes follow patches and deletes
  await A.patch(`/api/products/${p1.id}`, { tags: ['steel'], title: 'Red Teapot' }, MP);
  await expect('tag=kitchen', sorted(p2));
  await expect('q=teapot', sorted(p1));
  await expect('q=kettle', sorted(p1, p3)); // p1 still matches through its description
  await A.del(`/api/products/${p2.id}`);
  await expect('tag=kitchen', []);
  await expect('q=mug', []);
});

test('list ETag: 304 while unchanged, 200 after a change', async () => {
  const t = await srv.createTenant('list-etag-shop');
  const A = api(srv.url, t.admin_token);
  const p = await create(A, 'products', { title: 'E1', price: 1 });
  await create(A, 'categories', { name: 'Only category' });
  const l1 = await A.get('/api/products');
  assertStatus(l1, 200);
  const etag = l1.headers.get('etag');
  assert.ok(etag, 'list carries an ETag');
  const same = await A.get('/api/products', { headers: { 'If-None-Match': etag } });
  assert.equal(same.status, 304);
  const p2 = await create(A, 'products', { title: 'E2', price: 1 });
  const l2 = await A.get('/api/products', { headers: { 'If-None-Match': etag } });
  assertStatus(l2, 200, 'after a create');
  assert.deepEqual(ids(l2.body.data), [p.id, p2.id].sort());
  const etag2 = l2.headers.get('etag');
  assert.notEqual(etag2, etag);
  assert.equal((await A.get('/api/products', { headers: { 'If-None-Match': etag2 } })).status, 304);
  await A.patch(`/api/products/${p.id}`, { price: 2 }, MP);
  const l3 = await A.get('/api/products', { headers: { 'If-None-Match': etag2 } });
  assertStatus(l3, 200, 'after a patch of a listed record');
  assert.equal(l3.body.data.find((x) => x.id === p.id).price, 2);
  const etag3 = l3.headers.get('etag');
  await A.del(`/api/products/${p2.id}`);
  const l4 = await A.get('/api/products', { headers: { 'If-None-Match': etag3 } });
  assertStatus(l4, 200, 'after a delete of a listed record');
  assert.deepEqual(ids(l4.body.data), [p.id]);
});

test('list ETag of another collection is unaffected by product changes', async () => {
  const t = await srv.createTenant('list-etag-iso-shop');
  const A = api(srv.url, t.admin_token);
  await create(A, 'categories', { name: 'Stable category' });
  const l1 = await A.get('/api/categories');
  const etag = l1.headers.get('etag');
  assert.ok(etag);
  await create(A, 'products', { title: 'Unrelated', price: 1 });
  assert.equal((await A.get('/api/categories', { headers: { 'If-None-Match': etag } })).status, 304,
    'nothing in the categories list changed');
});

test('Cache-Control: catalog reads no-cache, customers no-store', async () => {
  const p = await create(admin, 'products', { title: 'Cached', price: 1 });
  const c = await create(admin, 'categories', { name: 'Cached cat' });
  const b = await create(admin, 'brands', { name: 'Cached brand' });
  const u = await create(admin, 'units', { name: 'Cached unit', slug: 'cached-unit' });
  const cu = await create(admin, 'customers', { name: 'Cached Cust', email: 'cc@example.com' });
  for (const path of ['/api/products', `/api/products/${p.id}`, '/api/categories', `/api/categories/${c.id}`,
    '/api/brands', `/api/brands/${b.id}`, '/api/units', `/api/units/${u.id}`]) {
    const r = await admin.get(path);
    assertStatus(r, 200, path);
    const cc = r.headers.get('cache-control') || '';
    assert.match(cc, /\bno-cache\b/, `${path}: Cache-Control "${cc}"`);
    assert.doesNotMatch(cc, /\bno-store\b|\bmax-age=[1-9]/, `${path}: Cache-Control "${cc}"`);
  }
  for (const path of ['/api/customers', `/api/customers/${cu.id}`]) {
    const r = await admin.get(path);
    assertStatus(r, 200, path);
    assert.match(r.headers.get('cache-control') || '', /\bno-store\b/, `${path}`);
  }
});

test('GET /health answers without auth', async () => {
  const r = await fetch(`${srv.url}/health`);
  assert.equal(r.status, 200);
  const j = await r.json();
  assert.equal(j.status, 'ok');
});
