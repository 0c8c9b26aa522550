// Idempotency-Key on every POST (SPEC §4): a retry with the same key gets
// the first status and body (with Idempotent-Replayed: true) and changes
// nothing the second time; the key with another request is a 422; only
// POST /api/orders requires a key.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { create, listAll, assertProblem } from './lib/check.mjs';
import { capi, order, item, getProduct, movementsOf, newKey } from './lib/commerce.mjs';
import { makePng } from './lib/images.mjs';

let srv;
let admin;
let service;

before(async () => {
  srv = await startServer();
  const t = await srv.createTenant('keyed-shop');
  admin = capi(srv.url, t.admin_token);
  service = capi(srv.url, await srv.createToken(t.tenant, 'service'));
});
after(async () => { await srv?.stop(); });

const keyed = (key) => ({ headers: { 'Idempotency-Key': key } });

// Sends the same POST twice with one key; asserts the second is the first, replayed.
async function twice(client, path, body, opts = {}) {
  const key = newKey('post');
  const headers = { 'Idempotency-Key': key, ...(opts.headers || {}) };
  const first = await client.post(path, body, { ...opts, headers });
  const second = await client.post(path, body, { ...opts, headers });
  assert.ok(first.status < 300, `${path}: ${first.status} ${first.text.slice(0, 300)}`);
  assert.equal(second.status, first.status, `${path}: retry status`);
  assert.deepEqual(second.body, first.body, `${path}: retry body`);
  assert.equal(first.headers.get('idempotent-replayed'), null, `${path}: the first answer is fresh`);
  assert.equal(second.headers.get('idempotent-replayed'), 'true', `${path}: the retry is a replay`);
  return { key, first, second };
}

const product = (sku, stock = 5) => create(admin, 'products', {
  title: `Keyed ${sku}`, sku, price: 700, status: 'active', variants: [{ sku, options: {}, stock }],
});

test('record creates: a retry returns the first record and creates no second one', async () => {
  for (const [collection, body] of [
    ['products', { title: 'Keyed create', price: 100 }],
    ['categories', { name: 'Keyed category' }],
    ['brands', { name: 'Keyed brand' }],
    ['units', { name: 'Keyed unit' }],
    ['customers', { name: 'Keyed customer', email: 'keyed@example.com' }],
  ]) {
    const { first, second } = await twice(admin, `/api/${collection}`, body);
    assert.equal(first.status, 201);
    assert.equal(second.headers.get('location'), `/api/${collection}/${first.body.id}`);
    const field = collection === 'products' ? 'title' : 'name';
    const same = (await listAll(admin, `/api/${collection}`)).filter((r) => r[field] === body[field]);
    assert.equal(same.length, 1, `${collection}: one record stored`);
  }
});

test('the same key with another body or another path is a 422 and changes nothing', async () => {
  const key = newKey('reuse');
  const r1 = await admin.post('/api/brands', { name: 'Reuse A' }, keyed(key));
  assert.equal(r1.status, 201, r1.text);
  assertProblem(await admin.post('/api/brands', { name: 'Reuse B' }, keyed(key)), 422, 'idempotency_key_reused');
  assertProblem(await admin.post('/api/units', { name: 'Reuse A' }, keyed(key)), 422, 'idempotency_key_reused');
  const names = (await listAll(admin, '/api/brands')).map((b) => b.name);
  assert.ok(!names.includes('Reuse B'));
  assert.ok(!(await listAll(admin, '/api/units')).some((u) => u.name === 'Reuse A'));
  // JSON compared canonically: the same document with other spacing is the same request
  const again = await admin.post('/api/brands', '{ "name" :  "Reuse A" }', { ...keyed(key), contentType: 'application/json' });
  assert.equal(again.status, 201, again.text);
  assert.deepEqual(again.body, r1.body);
  // ... and with its members in another order (a client's serializer may
  // not keep them), at any depth
  const k2 = newKey('order');
  const p1 = await admin.post('/api/products', { title: 'Order A', price: 300, attributes: { fit: { size: 'M', color: 'red' }, list: [{ a: 1, b: 2 }] } }, keyed(k2));
  assert.equal(p1.status, 201, p1.text);
  const p2 = await admin.post('/api/products', { attributes: { list: [{ b: 2, a: 1 }], fit: { color: 'red', size: 'M' } }, price: 300, title: 'Order A' }, keyed(k2));
  assert.equal(p2.status, 201, p2.text);
  assert.equal(p2.headers.get('idempotent-replayed'), 'true');
  assert.equal(p2.body.id, p1.body.id);
});

test('a refused create is not kept: the key then serves a valid request', async () => {
  const key = newKey('bad');
  assertProblem(await admin.post('/api/products', { title: '', price: 1 }, keyed(key)), 422, 'validation_failed');
  assertProblem(await admin.post('/api/products', { title: 'x', price: 1 }, { headers: { 'Idempotency-Key': 'has space' } }), 400, 'bad_idempotency_key');
  const ok = await admin.post('/api/products', { title: '', price: 1 }, keyed(key));
  assert.equal(ok.status, 422, 'the same bad request is refused again, not replayed');
  assert.equal(ok.headers.get('idempotent-replayed'), null);
});

test('images: a retried URL or upload adds one image', async () => {
  const p = await product('KEY-IMG');
  await twice(admin, `/api/products/${p.id}/images`, { url: 'https://cdn.example.com/a.png', alt: 'a' });
  assert.equal((await getProduct(admin, p.id)).images.length, 1);
  const { first } = await twice(admin, `/api/products/${p.id}/images?alt=b`, makePng(3, 2, 9), { contentType: 'image/png' });
  const now = await getProduct(admin, p.id);
  assert.equal(now.images.length, 2);
  assert.deepEqual(now.images.map((i) => i.id), first.body.images.map((i) => i.id));
  // the kept answer names a file that is still there
  const media = await fetch(`${srv.url}${now.images[1].url}`);
  assert.equal(media.status, 200);
});

test('order confirm, fulfill and cancel: a retry replays the first answer', async () => {
  const p = await product('KEY-ORD', 5);
  const placed = await order(admin, { items: [item(p, 0, 2)] });
  assert.equal(placed.status, 201, placed.text);
  const id = placed.body.id;
  const confirmed = await twice(admin, `/api/orders/${id}/confirm`, undefined);
  assert.equal(confirmed.first.body.status, 'confirmed');
  // unkeyed, a second confirm is a wrong transition: the replay above did not run it again
  assertProblem(await admin.post(`/api/orders/${id}/confirm`), 409, 'invalid_transition');
  const cancelled = await twice(admin, `/api/orders/${id}/cancel`, undefined);
  assert.equal(cancelled.first.body.status, 'cancelled');
  assert.equal(cancelled.second.body.status_history.length, 3);
  const movs = await movementsOf(admin, p.variants[0].id);
  assert.equal(movs.filter((m) => m.reason === 'cancel').length, 1, 'one cancel movement');
  assert.equal((await getProduct(admin, p.id)).variants[0].stock, 5);

  const p2 = await product('KEY-FUL', 5);
  const o2 = await order(admin, { items: [item(p2, 0, 1)] });
  assert.equal((await admin.post(`/api/orders/${o2.body.id}/confirm`)).status, 200);
  const fulfilled = await twice(admin, `/api/orders/${o2.body.id}/fulfill`, undefined);
  assert.equal(fulfilled.first.body.status, 'fulfilled');
});

test('stock/adjust works without a key; with one, a retry makes one movement', async () => {
  const p = await product('KEY-ADJ', 2);
  const vid = p.variants[0].id;
  const plain = await admin.post('/api/stock/adjust', { variant_id: vid, delta: 1 });
  assert.equal(plain.status, 200, plain.text);
  assert.equal(plain.body.stock, 3);
  const { first } = await twice(admin, '/api/stock/adjust', { variant_id: vid, delta: 4, reason: 'purchase' });
  assert.equal(first.body.stock, 7);
  assert.equal((await getProduct(admin, p.id)).variants[0].stock, 7);
  assert.equal((await movementsOf(admin, vid)).filter((m) => m.reason === 'purchase').length, 1);
});

test('stock/sync: a retry replays the first answer and writes one movement', async () => {
  const p = await product('KEY-SYNC', 2);
  const { first, second } = await twice(service, '/api/stock/sync', { levels: [{ sku: 'KEY-SYNC', stock: 9 }] });
  assert.equal(first.body.updated.length, 1);
  assert.equal(second.body.updated.length, 1, 'the replay is the first answer, not a fresh "unchanged"');
  assert.equal((await getProduct(admin, p.id)).variants[0].stock, 9);
  assert.equal((await movementsOf(admin, p.variants[0].id)).filter((m) => m.reason === 'sync').length, 1);
});

test('checkout/validate checks a key like every POST', async () => {
  const p = await product('KEY-VAL', 2);
  const ok = await admin.post('/api/checkout/validate', { items: [item(p, 0, 1)] }, keyed(newKey('v')));
  assert.equal(ok.status, 200, ok.text);
  assertProblem(await admin.post('/api/checkout/validate', { items: [item(p, 0, 1)] },
    { headers: { 'Idempotency-Key': 'x'.repeat(256) } }), 400, 'bad_idempotency_key');
});

test('webhooks and publish: a retry replays the first answer and writes once', async () => {
  // Inactive: the hook is never called (its host is not reachable from tests).
  const { first } = await twice(admin, '/api/webhooks', { url: 'https://erp.example.com/hook', topics: ['products'], active: false });
  assert.equal(first.status, 201);
  const hooks = (await admin.get('/api/webhooks')).body.data;
  assert.equal(hooks.length, 1, 'one hook created');
  const cursor = hooks[0].cursor;
  const replayed = await twice(admin, `/api/webhooks/${first.body.id}/replay`, { since: cursor });
  assert.equal(replayed.first.body.version, 2, 'the retry did not replay twice');
  assert.equal((await admin.get(`/api/webhooks/${first.body.id}`)).body.version, 2);

  assert.equal((await admin.put('/api/topics/keyed.topic', { read: ['staff'] })).status, 201);
  const pub = await twice(service, '/api/publish', { topic: 'keyed.topic', key: 'k', data: { n: 1 } });
  assert.equal(pub.first.body.version, 1);
  const next = await service.post('/api/publish', { topic: 'keyed.topic', key: 'k', data: { n: 2 } });
  assert.equal(next.body.version, 2, 'the retry published nothing');
});
