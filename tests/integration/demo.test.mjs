// `shelfsync demo` (SPEC §8): the demo tenant gets customers (some partners)
// and a month of history written through the real services — orders on
// every channel in every status, their bills (paid, part-paid, unpaid,
// overdue), deliveries and stock corrections — and ready URLs whose keys
// work. A second run adds no history.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCli, api } from './lib/server.mjs';
import { listAll, DAY } from './lib/check.mjs';

let srv;
let out; // stdout of the first demo run
let admin;
let orders;
let bills;
let customers;

const demo = () => runCli(['demo', ...srv.dbArgs, '--url', 'http://demo.test'],
  { timeoutMs: 60000 });

// {page: [key, ...]} from the printed URLs, in print order.
function pageKeys(text) {
  const keys = {};
  for (const m of text.matchAll(/http:\/\/demo\.test\/(\w+)\?key=(\S+)/g)) {
    (keys[m[1]] ??= []).push(m[2]);
  }
  return keys;
}

before(async () => {
  srv = await startServer();
  await srv.terminate(); // the demo writes the database on its own
  out = await demo();
  await srv.start();
  admin = api(srv.url, pageKeys(out).admin[0]);
  orders = await listAll(admin, '/api/orders');
  bills = await listAll(admin, '/api/bills');
  customers = await listAll(admin, '/api/customers');
});
after(async () => { await srv?.stop(); });

test('customers: at least ten, some of them partners', () => {
  assert.ok(customers.length >= 10, `${customers.length} customers`);
  assert.ok(customers.filter((c) => c.kind === 'partner').length >= 2);
});

test('orders span the last 30 days, in every status, on every channel', () => {
  assert.ok(orders.length >= 100, `${orders.length} orders`);
  const now = Date.now();
  const days = new Set();
  for (const o of orders) {
    const at = Date.parse(o.created_at);
    assert.ok(at <= now && at >= now - 30 * DAY, `order ${o.id} placed at ${o.created_at}`);
    assert.equal(o.status_history[0].at, o.created_at);
    days.add(o.created_at.slice(0, 10));
  }
  assert.ok(days.size >= 28, `orders on ${days.size} days`);
  assert.deepEqual(new Set(orders.map((o) => o.status)),
    new Set(['placed', 'confirmed', 'fulfilled', 'cancelled']));
  assert.deepEqual(new Set(orders.map((o) => o.channel)),
    new Set(['web', 'pos', 'partner', 'api']));
  const kind = new Map(customers.map((c) => [c.id, c.kind]));
  for (const o of orders) {
    if (o.channel === 'partner') assert.equal(kind.get(o.customer_id), 'partner', o.id);
    if (o.customer_id && o.channel !== 'partner') {
      assert.equal(kind.get(o.customer_id), 'retail', o.id);
    }
  }
  assert.ok(orders.some((o) => !o.customer_id), 'guest orders');
  assert.ok(orders.some((o) => o.customer_id), 'customer orders');
  assert.ok(orders.some((o) => o.items.length > 1), 'orders of several lines');
});

test('every customer order has its bill; bills paid, part-paid, unpaid and overdue', () => {
  const byOrder = new Map(bills.filter((b) => b.order_id).map((b) => [b.order_id, b]));
  for (const o of orders.filter((x) => x.customer_id)) {
    const bill = byOrder.get(o.id);
    assert.ok(bill, `order ${o.id} has a bill`);
    assert.equal(bill.amount, o.total);
    assert.equal(bill.customer_id, o.customer_id);
    if (o.status === 'cancelled') assert.equal(bill.status, 'void');
  }
  const statuses = new Set(bills.map((b) => b.status));
  for (const s of ['paid', 'partially_paid', 'unpaid']) assert.ok(statuses.has(s), `a bill ${s}`);
  const now = Date.now();
  const overdue = bills.filter((b) => b.due_at && Date.parse(b.due_at) < now
    && (b.status === 'unpaid' || b.status === 'partially_paid'));
  assert.ok(overdue.length >= 1, 'an overdue bill');
  const methods = new Set(bills.flatMap((b) => b.payments.map((p) => p.method)));
  assert.ok(methods.has('card') && methods.has('transfer'), [...methods].join());
  for (const b of bills) {
    const paid = b.payments.reduce((a, p) => a + p.amount, 0);
    assert.equal(b.paid_amount, paid, b.id);
  }
});

test('stock movements of every reason; a variant\'s stock is the sum of its own', async () => {
  const movements = await listAll(admin, '/api/stock_movements');
  const reasons = new Set(movements.map((m) => m.reason));
  for (const r of ['sale', 'cancel', 'purchase', 'adjustment']) {
    assert.ok(reasons.has(r), `a ${r} movement`);
  }
  const sums = new Map();
  for (const m of movements) sums.set(m.variant_id, (sums.get(m.variant_id) ?? 0) + m.delta);
  const products = await listAll(admin, '/api/products');
  let variants = 0;
  for (const p of products) {
    for (const v of p.variants) {
      variants += 1;
      assert.equal(sums.get(v.id) ?? 0, v.stock, `variant ${v.id} of ${p.id}`);
      if (p.track_inventory && !p.allow_backorder) assert.ok(v.stock >= 0, v.id);
    }
  }
  assert.ok(variants >= 300, `${variants} variants`);
});

test('the printed URLs cover every page, and their keys work', async () => {
  const keys = pageKeys(out);
  for (const page of ['shop', 'admin', 'pos', 'dashboard']) {
    assert.equal(keys[page]?.length, 1, page);
  }
  assert.equal(keys.portal?.length, 2, 'a retail and a partner portal');
  for (const page of ['shop', 'admin', 'pos', 'dashboard']) {
    const res = await fetch(`${srv.url}/${page}`);
    assert.equal(res.status, 200, page);
  }
  const shop = api(srv.url, keys.shop[0]);
  assert.equal((await shop.get('/api/products?limit=1')).status, 200);
  assert.equal((await shop.get('/api/orders')).status, 403, 'the shop key is a public one');
  assert.equal((await api(srv.url, keys.pos[0]).get('/api/orders?limit=1')).status, 200);
  assert.equal((await api(srv.url, keys.dashboard[0]).get('/api/customers?limit=1')).status, 200);

  const kinds = [];
  for (const key of keys.portal) {
    const mine = await listAll(api(srv.url, key), '/api/orders');
    assert.ok(mine.length > 0, 'the portal customer has orders');
    const id = mine[0].customer_id;
    assert.ok(mine.every((o) => o.customer_id === id), 'only its own orders');
    assert.equal(mine.length, orders.filter((o) => o.customer_id === id).length);
    const itsBills = await listAll(api(srv.url, key), '/api/bills');
    assert.ok(itsBills.every((b) => b.customer_id === id), 'only its own bills');
    kinds.push(customers.find((c) => c.id === id).kind);
  }
  assert.deepEqual(kinds, ['retail', 'partner']);
});

test('a second run keeps the history as it is and prints working keys', async () => {
  await srv.terminate();
  const again = await demo();
  await srv.start();
  const keys = pageKeys(again);
  const admin2 = api(srv.url, keys.admin[0]);
  assert.equal((await listAll(admin2, '/api/orders')).length, orders.length);
  assert.equal((await listAll(admin2, '/api/bills')).length, bills.length);
  assert.equal((await listAll(admin2, '/api/customers')).length, customers.length);
  assert.equal((await api(srv.url, keys.portal[1]).get('/api/orders?limit=1')).status, 200);
});
