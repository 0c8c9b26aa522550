// Idempotency-Key on POST /api/orders and /api/stock/adjust (docs/api.md,
// Commerce; every other POST: idempotency_every_post.test.mjs): concurrent retries create one order and all get the first
// answer; a reused key with another request is a 422; a missing key a 400;
// bad input is not kept.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { create, listAll, assertProblem } from './lib/check.mjs';
import {
  capi, order, adjust, item, assertCorrections, getProduct, movementsOf, burst, newKey, ledgerProblems,
} from './lib/commerce.mjs';

let srv;
let t;
let admin;
let staff;
let pub;

before(async () => {
  srv = await startServer();
  t = await srv.createTenant('idem-shop');
  admin = capi(srv.url, t.admin_token);
  pub = capi(srv.url, t.public_token);
  staff = capi(srv.url, await srv.createToken(t.tenant, 'staff'));
});
after(async () => { await srv?.stop(); });

const product = (sku, stock, extra = {}) => create(admin, 'products', {
  title: `Idem ${sku}`, price: 1200, status: 'active', variants: [{ sku, options: {}, stock }], ...extra,
});

async function ordersFor(variantId) {
  return (await listAll(admin, '/api/orders')).filter((o) => o.items.some((i) => i.variant_id === variantId));
}

test('50 concurrent retries with one key: one order, one movement, the same answer for all', { timeout: 60000 }, async () => {
  const p = await product('IDEM-1', 10);
  const cust = await create(admin, 'customers', { name: 'Idem Customer', email: 'idem@example.com' });
  const body = { items: [item(p, 0, 3)], customer_id: cust.id };
  const key = newKey('retry');
  const results = await burst(50, () => order(admin, body, { key }));
  const statuses = [...new Set(results.map((r) => r.status))];
  assert.deepEqual(statuses, [201], `statuses: ${results.map((r) => `${r.status} ${r.text.slice(0, 120)}`).slice(0, 5).join(' | ')}`);
  const first = results[0].body;
  for (const r of results) assert.deepEqual(r.body, first, 'every retry gets the same body');
  const locs = new Set(results.map((r) => r.headers.get('location')));
  assert.deepEqual([...locs], [`/api/orders/${first.id}`], 'every retry gets the Location of the one order');
  const replayed = results.filter((r) => r.headers.get('idempotent-replayed') === 'true').length;
  assert.equal(replayed, 49, 'all but the first answer carry Idempotent-Replayed: true');

  const orders = await ordersFor(p.variants[0].id);
  assert.deepEqual(orders.map((o) => o.id), [first.id], 'exactly one order stored');
  const bills = (await listAll(admin, '/api/bills')).filter((b) => b.order_id === first.id);
  assert.equal(bills.length, 1, 'exactly one bill');
  const movs = await movementsOf(admin, p.variants[0].id);
  assert.equal(movs.filter((m) => m.reason === 'sale').length, 1, 'exactly one sale movement');
  const now = await getProduct(admin, p.id);
  assert.equal(now.variants[0].stock, 7);
  assert.deepEqual(ledgerProblems(movs, 7, 'IDEM-1'), []);

  // a later sequential retry: still the same
  const again = await order(admin, body, { key });
  assert.equal(again.status, 201);
  assert.deepEqual(again.body, first);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
});

test('the same key with another body, caller or path → 422 idempotency_key_reused, nothing changes', async () => {
  const p = await product('IDEM-2', 10);
  const key = newKey('reuse');
  const r1 = await order(staff, { items: [item(p, 0, 1)] }, { key });
  assert.equal(r1.status, 201, r1.text);
  const variants = [
    [staff, { items: [item(p, 0, 2)] }, 'another qty'],
    [staff, { items: [item(p, 0, 1)], channel: 'web' }, 'another channel'],
    [admin, { items: [item(p, 0, 1)] }, 'another caller'],
    [pub, { items: [item(p, 0, 1)] }, 'the public token'],
  ];
  for (const [client, body, what] of variants) {
    assertProblem(await order(client, body, { key }), 422, 'idempotency_key_reused');
    void what;
  }
  // another path with the same key
  assertProblem(await adjust(staff, { variant_id: p.variants[0].id, delta: 1 }, { key }), 422, 'idempotency_key_reused');
  assert.equal((await getProduct(admin, p.id)).variants[0].stock, 9, 'only the first order took stock');
  assert.equal((await ordersFor(p.variants[0].id)).length, 1);
  // the original request still replays
  const r2 = await order(staff, { items: [item(p, 0, 1)] }, { key });
  assert.equal(r2.status, 201);
  assert.deepEqual(r2.body, r1.body);
});

test('a missing or malformed order key is a 400 and creates nothing', async () => {
  const p = await product('IDEM-3', 5);
  for (const client of [admin, pub]) {
    const r = await client.post('/api/orders', { items: [item(p, 0, 1)] });
    assertProblem(r, 400, 'idempotency_key_required');
  }
  for (const bad of ['x'.repeat(256), 'has space', 'tab\tkey', 'ünïcode']) {
    const r = await admin.post('/api/orders', { items: [item(p, 0, 1)] }, { headers: { 'Idempotency-Key': bad } });
    assert.equal(r.status, 400, `key ${JSON.stringify(bad.slice(0, 20))}: ${r.status} ${r.text.slice(0, 200)}`);
  }
  const ok = await order(admin, { items: [item(p, 0, 1)] }, { key: 'k'.repeat(255) });
  assert.equal(ok.status, 201, `a 255-character key is valid: ${ok.text.slice(0, 200)}`);
  assert.equal((await getProduct(admin, p.id)).variants[0].stock, 4);
  assert.equal((await ordersFor(p.variants[0].id)).length, 1);
  assert.equal((await movementsOf(admin, p.variants[0].id)).length, 2, 'created + one sale');
});

test('a 409 checkout_corrections answer is kept; bad input is not', async () => {
  const p = await product('IDEM-4', 1);
  const key = newKey('corr');
  const body = { items: [item(p, 0, 2)] };
  const r1 = await order(admin, body, { key });
  assertCorrections(r1, [{ index: 0, field: 'stock', expected: 2, actual: 1 }]);
  // stock arrives; the retry with the same key still gets the first answer
  const adj = await adjust(admin, { variant_id: p.variants[0].id, delta: 5, reason: 'purchase' });
  assert.equal(adj.status, 200, adj.text);
  const r2 = await order(admin, body, { key });
  assert.equal(r2.status, 409);
  assert.deepEqual(r2.body, r1.body);
  assert.equal(r2.headers.get('idempotent-replayed'), 'true');
  assert.equal((await getProduct(admin, p.id)).variants[0].stock, 6);
  // with a new key it goes through
  assert.equal((await order(admin, body)).status, 201);

  // bad input (qty 0) is not kept: the same key then serves a valid request
  const key2 = newKey('bad');
  const bad = await order(admin, { items: [{ ...item(p, 0, 1), qty: 0 }] }, { key: key2 });
  assertProblem(bad, 422, 'validation_failed');
  const good = await order(admin, { items: [item(p, 0, 1)] }, { key: key2 });
  assert.equal(good.status, 201, `key of a rejected bad request must be free: ${good.text.slice(0, 300)}`);
  assert.equal(good.headers.get('idempotent-replayed'), null);
  assert.equal((await getProduct(admin, p.id)).variants[0].stock, 3);
});

test('stock/adjust: concurrent retries with one key make one movement', { timeout: 30000 }, async () => {
  const p = await product('IDEM-5', 4);
  const key = newKey('adj');
  const body = { variant_id: p.variants[0].id, delta: 6, reason: 'purchase', note: 'pallet 17' };
  const rs = await burst(30, () => adjust(staff, body, { key }));
  assert.deepEqual([...new Set(rs.map((r) => r.status))], [200], rs.map((r) => r.text.slice(0, 100)).slice(0, 3).join(' | '));
  for (const r of rs) assert.deepEqual(r.body, rs[0].body);
  assert.equal(rs[0].body.stock, 10);
  assert.equal(rs.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 29);
  const movs = await movementsOf(admin, p.variants[0].id);
  assert.equal(movs.filter((m) => m.reason === 'purchase').length, 1, 'one purchase movement');
  assert.equal((await getProduct(admin, p.id)).variants[0].stock, 10);
});

test('keys are scoped to the tenant: the same key in another tenant is a new order', async () => {
  const key = newKey('shared');
  const p = await product('IDEM-6', 5);
  const r1 = await order(admin, { items: [item(p, 0, 1)] }, { key });
  assert.equal(r1.status, 201, r1.text);
  const other = await srv.createTenant('idem-other');
  const oadmin = capi(srv.url, other.admin_token);
  const q = await create(oadmin, 'products', { title: 'Other', price: 1200, status: 'active', variants: [{ sku: 'O', options: {}, stock: 5 }] });
  const r2 = await order(oadmin, { items: [item(q, 0, 1)] }, { key });
  assert.equal(r2.status, 201, `same key in another tenant: ${r2.status} ${r2.text.slice(0, 300)}`);
  assert.equal(r2.headers.get('idempotent-replayed'), null);
  assert.notEqual(r2.body.id, r1.body.id);
  assert.equal(r2.body.number, 1);
  assert.equal((await getProduct(oadmin, q.id)).variants[0].stock, 4);
  // and each tenant still replays its own
  const r3 = await order(oadmin, { items: [item(q, 0, 1)] }, { key });
  assert.deepEqual(r3.body, r2.body);
  const r4 = await order(admin, { items: [item(p, 0, 1)] }, { key });
  assert.deepEqual(r4.body, r1.body);
});

test("a customer's key used by another customer is a 422, never the first customer's order", async () => {
  const p = await product('IDEM-7', 5);
  const a = capi(srv.url, await srv.createToken(t.tenant, 'customer', 'cust_idem_a'));
  const b = capi(srv.url, await srv.createToken(t.tenant, 'customer', 'cust_idem_b'));
  const key = newKey('cust');
  const body = { items: [item(p, 0, 1)] };
  const r1 = await order(a, body, { key });
  assert.equal(r1.status, 201, r1.text);
  assert.equal(r1.body.customer_id, 'cust_idem_a');
  const r2 = await order(b, body, { key });
  assertProblem(r2, 422, 'idempotency_key_reused');
  assert.ok(!r2.text.includes(r1.body.id), "the answer names the other customer's order");
  const r3 = await order(pub, body, { key });
  assertProblem(r3, 422, 'idempotency_key_reused');
  assert.equal((await getProduct(admin, p.id)).variants[0].stock, 4);
});
