// Order lifecycle (SPEC §5, docs/api.md Commerce): placed → confirmed →
// fulfilled, cancel from placed or confirmed restores stock with `cancel`
// movements and voids the unpaid bill, wrong transitions are 409
// invalid_transition, status_history names the actor, numbers count 1, 2, 3…

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { create, listAll, assertProblem } from './lib/check.mjs';
import {
  capi, order, item, getProduct, movementsOf, ledgerProblems, ACTOR, RFC3339_MS, MP, burst,
} from './lib/commerce.mjs';

let srv;
let t;
let admin;
let staff;
let staff2;
let service;
let pub;
let custTok;
let cust;
let shirt;
let mug;
let untracked;

before(async () => {
  srv = await startServer();
  t = await srv.createTenant('lifecycle-shop');
  admin = capi(srv.url, t.admin_token);
  pub = capi(srv.url, t.public_token);
  staff = capi(srv.url, await srv.createToken(t.tenant, 'staff'));
  staff2 = capi(srv.url, await srv.createToken(t.tenant, 'staff'));
  service = capi(srv.url, await srv.createToken(t.tenant, 'service'));
  cust = await create(admin, 'customers', { id: 'cust_lena', name: 'Lena', email: 'lena@example.com' });
  custTok = capi(srv.url, await srv.createToken(t.tenant, 'customer', cust.id));
  shirt = await create(admin, 'products', {
    title: 'Shirt', price: 2000, status: 'active',
    options: [{ name: 'size', values: ['M', 'L'] }, { name: 'color', values: ['Red', 'Blue'] }],
    variants: [
      { sku: 'SH-M-R', options: { size: 'M', color: 'Red' }, stock: 10 },
      { sku: 'SH-L-B', options: { color: 'Blue', size: 'L' }, stock: 10, price: 2500 },
    ],
  });
  mug = await create(admin, 'products', { title: 'Mug', sku: 'MUG', price: 800, status: 'active', variants: [{ sku: 'MUG', options: {}, stock: 100 }] });
  untracked = await create(admin, 'products', { title: 'Gift card', price: 5000, status: 'active', track_inventory: false, variants: [{ sku: 'GIFT', options: {}, stock: 0 }] });
});
after(async () => { await srv?.stop(); });

async function transition(client, o, action, opts) {
  const r = await client.post(`/api/orders/${o.id}/${action}`, undefined, opts);
  assert.equal(r.status, 200, `${action} ${o.id}: ${r.status} ${r.text.slice(0, 400)}`);
  return r.body;
}

async function billOf(orderId) {
  const bills = (await listAll(admin, '/api/bills')).filter((b) => b.order_id === orderId);
  assert.ok(bills.length <= 1, `${bills.length} bills for order ${orderId}`);
  return bills[0] ?? null;
}

function checkHistory(o, want) {
  assert.deepEqual(o.status_history.map((h) => h.status), want.map((w) => w[0]), 'status_history statuses');
  for (const [k, [, actor]] of want.entries()) {
    const h = o.status_history[k];
    if (actor instanceof RegExp) assert.match(h.actor, actor, `status_history[${k}].actor`);
    else assert.equal(h.actor, actor, `status_history[${k}].actor`);
    assert.match(h.at, RFC3339_MS, `status_history[${k}].at`);
    if (k > 0) assert.ok(h.at >= o.status_history[k - 1].at, 'status_history in time order');
  }
  assert.equal(o.status, want[want.length - 1][0]);
}

test('numbers 1, 2, 3…; items titled with the variant options; bill for a customer order only', async () => {
  const r1 = await order(admin, { items: [item(shirt, 1, 2), item(mug, 0, 1)], customer_id: cust.id });
  assert.equal(r1.status, 201, r1.text);
  const o1 = r1.body;
  assert.equal(r1.headers.get('location'), `/api/orders/${o1.id}`);
  assert.match(o1.id, /^[A-Za-z0-9_-]{1,64}$/);
  assert.equal(o1.number, 1);
  assert.equal(o1.customer_id, cust.id);
  assert.equal(o1.channel, 'api');
  assert.equal(o1.status, 'placed');
  assert.equal(o1.version, 1);
  assert.deepEqual(o1.items, [
    { product_id: shirt.id, variant_id: shirt.variants[1].id, title: 'Shirt (L / Blue)', qty: 2, unit_price: 2500, line_total: 5000 },
    { product_id: mug.id, variant_id: mug.variants[0].id, title: 'Mug', qty: 1, unit_price: 800, line_total: 800 },
  ]);
  assert.equal(o1.total, 5800);
  checkHistory(o1, [['placed', ACTOR.admin]]);
  const g = await admin.get(`/api/orders/${o1.id}`);
  assert.equal(g.status, 200);
  assert.deepEqual(g.body, o1, 'GET answers the created order');
  assert.equal(g.headers.get('etag'), '"1"');
  const bill = await billOf(o1.id);
  assert.ok(bill, 'a customer order gets a bill');
  assert.equal(bill.customer_id, cust.id);
  assert.equal(bill.amount, 5800);
  assert.equal(bill.status, 'unpaid');

  const r2 = await order(pub, { items: [item(shirt, 0, 1)] });
  assert.equal(r2.status, 201, r2.text);
  assert.equal(r2.body.number, 2);
  assert.equal(r2.body.channel, 'web');
  assert.equal(r2.body.customer_id ?? null, null);
  assert.equal(r2.body.items[0].title, 'Shirt (M / Red)');
  checkHistory(r2.body, [['placed', 'public']]);
  const saleMoves = async (o) => (await movementsOf(admin, o.items[0].variant_id)).filter((m) => m.order_id === o.id);
  assert.deepEqual((await saleMoves(r2.body)).map((m) => [m.reason, m.delta, m.actor]), [['sale', -1, 'public']]);
  assert.equal(await billOf(r2.body.id), null, 'a guest order has no bill');

  const r3 = await order(custTok, { items: [item(mug, 0, 1)] });
  assert.equal(r3.status, 201, r3.text);
  assert.equal(r3.body.number, 3);
  assert.equal(r3.body.channel, 'web');
  assert.equal(r3.body.customer_id, cust.id);
  checkHistory(r3.body, [['placed', `customer:${cust.id}`]]);
  assert.deepEqual((await saleMoves(r3.body)).map((m) => [m.reason, m.delta, m.actor]), [['sale', -1, `customer:${cust.id}`]]);
  const r4 = await order(staff, { items: [item(mug, 0, 1)] });
  assert.equal(r4.body.number, 4);
  assert.equal(r4.body.channel, 'pos');
  checkHistory(r4.body, [['placed', ACTOR.staff]]);
  const r5 = await order(staff, { items: [item(mug, 0, 1)], channel: 'web' });
  assert.equal(r5.body.number, 5);
  assert.equal(r5.body.channel, 'web', 'an explicit allowed channel wins');
  checkHistory(r5.body, [['placed', ACTOR.staff]]);
  assertProblem(await order(service, { items: [item(mug, 0, 1)], channel: 'web' }), 403, 'forbidden');
  const r6 = await order(service, { items: [item(mug, 0, 1)] });
  assert.equal(r6.body.channel, 'api');
  checkHistory(r6.body, [['placed', ACTOR.service]]);
  assert.equal(r6.body.number, 6, 'a refused order takes no number');
  // a 409 takes no number
  const bad = await order(admin, { items: [item(mug, 0, 1000)] });
  assert.equal(bad.status, 409);
  const r7 = await order(admin, { items: [item(mug, 0, 1)] });
  assert.equal(r7.body.number, 7, 'a rejected order takes no number');
  // numbers are per tenant
  const other = await srv.createTenant('lifecycle-other');
  const oadmin = capi(srv.url, other.admin_token);
  const op = await create(oadmin, 'products', { title: 'Other', price: 1, status: 'active', variants: [{ options: {}, stock: 1 }] });
  const o = await order(oadmin, { items: [item(op, 0, 1)] });
  assert.equal(o.body.number, 1, "another tenant's first order is number 1");
});

test('confirm → fulfill; wrong transitions answer 409 invalid_transition', async () => {
  const o = (await order(custTok, { items: [item(mug, 0, 1)] })).body;
  const stock = (await getProduct(admin, mug.id)).variants[0].stock;
  assertProblem(await admin.post(`/api/orders/${o.id}/fulfill`), 409, 'invalid_transition');
  const c = await transition(staff, o, 'confirm');
  assert.equal(c.version, 2);
  checkHistory(c, [['placed', `customer:${cust.id}`], ['confirmed', ACTOR.staff]]);
  assertProblem(await admin.post(`/api/orders/${o.id}/confirm`), 409, 'invalid_transition');
  const f = await transition(service, c, 'fulfill');
  assert.equal(f.version, 3);
  checkHistory(f, [['placed', `customer:${cust.id}`], ['confirmed', ACTOR.staff], ['fulfilled', ACTOR.service]]);
  for (const a of ['confirm', 'fulfill', 'cancel']) {
    assertProblem(await admin.post(`/api/orders/${o.id}/${a}`), 409, 'invalid_transition');
  }
  const g = await admin.get(`/api/orders/${o.id}`);
  assert.deepEqual(g.body, f, 'failed transitions change nothing');
  assert.equal((await getProduct(admin, mug.id)).variants[0].stock, stock, 'confirm and fulfill do not move stock');
  const bill = await billOf(o.id);
  assert.equal(bill.status, 'unpaid', 'fulfilling does not void the bill');
  assertProblem(await admin.post('/api/orders/ord_does_not_exist/confirm'), 404, 'not_found');
  assertProblem(await admin.post('/api/orders/bad%20id/confirm'), 400, 'bad_id');
});

test('the actor tells tokens apart and stays the same for one token', async () => {
  const a = (await order(staff, { items: [item(mug, 0, 1)] })).body;
  const b = (await order(staff2, { items: [item(mug, 0, 1)] })).body;
  const a2 = (await order(staff, { items: [item(mug, 0, 1)] })).body;
  assert.notEqual(a.status_history[0].actor, b.status_history[0].actor);
  assert.equal(a.status_history[0].actor, a2.status_history[0].actor);
  for (const o of [a, b, a2]) await transition(admin, o, 'cancel');
});

test('cancel from placed and from confirmed restores stock with cancel movements and voids the bill', async () => {
  const before = await getProduct(admin, shirt.id);
  const mugBefore = (await getProduct(admin, mug.id)).variants[0].stock;
  const o = (await order(admin, {
    items: [item(shirt, 0, 3), item(shirt, 1, 1), item(mug, 0, 2), item(untracked, 0, 4), item(shirt, 0, 1)],
    customer_id: cust.id,
  })).body;
  let p = await getProduct(admin, shirt.id);
  assert.deepEqual(p.variants.map((v) => v.stock), [before.variants[0].stock - 4, before.variants[1].stock - 1]);
  const cancelled = await transition(staff, o, 'cancel');
  checkHistory(cancelled, [['placed', ACTOR.admin], ['cancelled', ACTOR.staff]]);
  p = await getProduct(admin, shirt.id);
  assert.deepEqual(p.variants.map((v) => v.stock), before.variants.map((v) => v.stock), 'cancel restores stock');
  assert.equal((await getProduct(admin, mug.id)).variants[0].stock, mugBefore);
  assert.equal((await getProduct(admin, untracked.id)).variants[0].stock, 0, 'untracked stock untouched');
  const cancelMoves = async (v) => (await movementsOf(admin, v.id)).filter((m) => m.order_id === o.id && m.reason === 'cancel');
  const sumDelta = (ms) => ms.reduce((s, m) => s + m.delta, 0);
  assert.equal(sumDelta(await cancelMoves(shirt.variants[0])), 4);
  assert.equal(sumDelta(await cancelMoves(shirt.variants[1])), 1);
  assert.equal(sumDelta(await cancelMoves(mug.variants[0])), 2);
  assert.deepEqual(await cancelMoves(untracked.variants[0]), [], 'no movement for an untracked variant');
  for (const m of await cancelMoves(shirt.variants[0])) assert.match(m.actor, ACTOR.staff);
  assert.equal((await billOf(o.id)).status, 'void');
  for (const a of ['confirm', 'fulfill', 'cancel']) {
    assertProblem(await admin.post(`/api/orders/${o.id}/${a}`), 409, 'invalid_transition');
  }
  assert.equal(sumDelta(await cancelMoves(shirt.variants[0])), 4, 'a second cancel restores nothing');

  // from confirmed
  const o2 = (await order(custTok, { items: [item(mug, 0, 3)] })).body;
  await transition(admin, o2, 'confirm');
  const c2 = await transition(admin, o2, 'cancel');
  checkHistory(c2, [['placed', `customer:${cust.id}`], ['confirmed', ACTOR.admin], ['cancelled', ACTOR.admin]]);
  assert.equal((await getProduct(admin, mug.id)).variants[0].stock, mugBefore);
  assert.equal((await billOf(o2.id)).status, 'void');
  for (const prod of [shirt, mug, untracked]) {
    const cur = await getProduct(admin, prod.id);
    for (const v of cur.variants) assert.deepEqual(ledgerProblems(await movementsOf(admin, v.id), v.stock, v.sku), []);
  }
});

test('cancel puts nothing back for a variant removed since the order', async () => {
  const p = await create(admin, 'products', {
    title: 'Cap', price: 300, status: 'active', options: [{ name: 'size', values: ['S', 'L'] }],
    variants: [{ sku: 'CAP-S', options: { size: 'S' }, stock: 5 }, { sku: 'CAP-L', options: { size: 'L' }, stock: 5 }],
  });
  const o = (await order(admin, { items: [item(p, 0, 2), item(p, 1, 2)] })).body;
  const r = await admin.patch(`/api/products/${p.id}`, { options: [{ name: 'size', values: ['S'] }], variants: [{ id: p.variants[0].id, sku: 'CAP-S', options: { size: 'S' }, stock: 3 }] }, MP);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.deepEqual(r.body.variants.map((v) => [v.id, v.stock]), [[p.variants[0].id, 3]]);
  const removed = await movementsOf(admin, p.variants[1].id);
  assert.deepEqual(removed.map((m) => [m.reason, m.delta, m.stock_after, m.note]).slice(-1), [['adjustment', -3, 0, 'variant removed']]);
  await transition(admin, o, 'cancel');
  const after = await getProduct(admin, p.id);
  assert.deepEqual(after.variants.map((v) => [v.id, v.stock]), [[p.variants[0].id, 5]]);
  assert.equal((await movementsOf(admin, p.variants[1].id)).length, removed.length, 'no movement for the removed variant');
});

test('If-Match on transitions', async () => {
  const o = (await order(admin, { items: [item(mug, 0, 1)] })).body;
  const r = await admin.post(`/api/orders/${o.id}/confirm`, undefined, { headers: { 'If-Match': '"7"' } });
  const b = assertProblem(r, 412, 'version_mismatch');
  assert.equal(b.current?.id, o.id);
  assert.equal(b.current?.version, 1);
  assert.equal(b.current?.status, 'placed');
  const c = await transition(admin, o, 'confirm', { headers: { 'If-Match': '"1"' } });
  assert.equal(c.status, 'confirmed');
  assertProblem(await admin.post(`/api/orders/${o.id}/cancel`, undefined, { headers: { 'If-Match': '"1"' } }), 412, 'version_mismatch');
  assert.equal((await transition(admin, c, 'cancel', { headers: { 'If-Match': '"2"' } })).status, 'cancelled');
});

test('orders, bills, movements and alerts are not writable through the generic endpoints', async () => {
  const o = (await order(admin, { items: [item(mug, 0, 1)], customer_id: cust.id })).body;
  const bill = await billOf(o.id);
  const movs = await movementsOf(admin, mug.variants[0].id);
  for (const [coll, id] of [['orders', o.id], ['bills', bill.id], ['stock_movements', movs[0].id]]) {
    // (POST /api/orders and POST /api/bills are the endpoints themselves: bills.test.mjs)
    if (coll === 'stock_movements') assertProblem(await admin.post(`/api/${coll}`, { id: `x_${coll}` }), 403, 'forbidden');
    assertProblem(await admin.patch(`/api/${coll}/${id}`, { status: 'paid' }, MP), 403, 'forbidden');
    assertProblem(await admin.del(`/api/${coll}/${id}`), 403, 'forbidden');
  }
  assertProblem(await admin.post('/api/alerts', { kind: 'new_order' }), 403, 'forbidden');
  assert.equal((await admin.get(`/api/orders/${o.id}`)).body.version, 1);
  assert.equal((await billOf(o.id)).status, 'unpaid');
});

test('30 concurrent cancels (and confirms) of one order: one wins, stock comes back once', { timeout: 30000 }, async () => {
  const before = (await getProduct(admin, mug.id)).variants[0].stock;
  const o = (await order(admin, { items: [item(mug, 0, 4)], customer_id: cust.id })).body;
  const rs = await burst(30, (i) => (i % 3 === 2 ? staff : admin).post(`/api/orders/${o.id}/${i % 5 === 4 ? 'confirm' : 'cancel'}`));
  const other = rs.filter((r) => r.status !== 200 && !(r.status === 409 && r.body.code === 'invalid_transition'));
  assert.deepEqual(other.map((r) => `${r.status} ${r.text.slice(0, 200)}`), []);
  const cancels = rs.filter((r, i) => i % 5 !== 4 && r.status === 200);
  assert.equal(cancels.length, 1, `${cancels.length} cancels answered 200`);
  const g = (await admin.get(`/api/orders/${o.id}`)).body;
  assert.equal(g.status, 'cancelled');
  const confirms = rs.filter((r, i) => i % 5 === 4 && r.status === 200).length;
  assert.ok(confirms <= 1, `${confirms} confirms answered 200`);
  assert.equal(g.status_history.length, 2 + confirms);
  assert.equal(g.version, 2 + confirms);
  assert.equal((await getProduct(admin, mug.id)).variants[0].stock, before, 'stock restored exactly once');
  const cancelMoves = (await movementsOf(admin, mug.variants[0].id)).filter((m) => m.order_id === o.id && m.reason === 'cancel');
  assert.deepEqual(cancelMoves.map((m) => m.delta), [4]);
  assert.equal((await billOf(o.id)).status, 'void');
});
