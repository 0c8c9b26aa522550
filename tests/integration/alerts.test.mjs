// Alerts (SPEC §5, docs/api.md Commerce): low_stock, sold_out,
// back_in_stock when a tracked variant's stock crosses a line (orders,
// cancels, stock/adjust, stock/sync, product edits) and new_order for every
// order — in GET /api/alerts and on a live subscription to topic `alerts`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { create, listAll } from './lib/check.mjs';
import { View, LiveSocket, SseStream, subscribeOk, eventually } from './lib/live.mjs';
import { capi, order, adjust, stockSync, item, getProduct, MP } from './lib/commerce.mjs';

let srv;
let t;
let admin;
let service;
let sock;
let view;
let sse;
let sseView;
const seen = new Set();

before(async () => {
  srv = await startServer();
  t = await srv.createTenant('alerts-shop');
  admin = capi(srv.url, t.admin_token);
  service = capi(srv.url, await srv.createToken(t.tenant, 'service'));
  const staffTok = await srv.createToken(t.tenant, 'staff');
  sock = await LiveSocket.connect(srv.url, t.admin_token);
  view = new View('ws alerts', { topic: 'alerts' });
  await subscribeOk(sock, { sub: 'al', topic: 'alerts', batch_ms: 0 }, view);
  assert.equal(view.records.size, 0, 'no alerts in a fresh tenant');
  sseView = new View('sse alerts (staff)', { topic: 'alerts' });
  sse = await SseStream.open(srv.url, { topic: 'alerts', batch_ms: 0, access_token: staffTok }, { view: sseView });
  assert.equal(sse.status, 200, `SSE alerts for staff: ${sse.status} ${sse.body}`);
});
after(async () => {
  sse?.close();
  await sock?.close();
  await srv?.stop();
});

// Runs an action and checks the alerts it raised (compared by kind,
// variant_id, order_id and stock; order-insensitive) in GET /api/alerts and
// on both live streams. `want` is a list or a function of the action's result.
async function step(what, action, want) {
  const res = await action();
  const expected = typeof want === 'function' ? want(res) : want;
  const all = await listAll(admin, '/api/alerts');
  const fresh = all.filter((a) => !seen.has(a.id));
  for (const a of fresh) seen.add(a.id);
  const norm = (a) => JSON.stringify([a.kind, a.variant_id ?? null, a.order_id ?? null, a.stock ?? null]);
  assert.deepEqual(fresh.map(norm).sort(), expected.map(norm).sort(), `${what}: alerts raised`);
  for (const a of fresh) {
    assert.equal(typeof a.message, 'string', `${what}: alert message`);
    assert.ok(a.message.length > 0, `${what}: empty alert message`);
    if (a.kind !== 'new_order') assert.equal(typeof a.product_id, 'string', `${what}: ${a.kind} without product_id`);
  }
  for (const [name, v] of [['ws', view], ['sse', sseView]]) {
    const ok = await eventually(() => fresh.every((a) => v.records.has(a.id)), { interval: 20 });
    assert.ok(ok, `${what}: ${name} subscriber did not receive ${fresh.filter((a) => !v.records.has(a.id)).map((a) => a.kind)}`);
    for (const a of fresh) assert.deepEqual(v.records.get(a.id).data, a, `${what}: ${name} alert data = GET /api/alerts`);
  }
  return res;
}

const sale = (p, vi, qty) => async () => {
  const r = await order(admin, { items: [item(p, vi, qty)] });
  assert.equal(r.status, 201, r.text.slice(0, 300));
  return r.body;
};
const adj = (body) => async () => {
  const r = await adjust(admin, body);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  return r.body;
};
const newOrder = (o) => ({ kind: 'new_order', order_id: o.id });

test('orders and stock changes raise exactly the alerts of the lines they cross', { timeout: 60000 }, async () => {
  const p = await create(admin, 'products', {
    title: 'Lamp', price: 1000, status: 'active', low_stock_threshold: 3,
    options: [{ name: 'color', values: ['Red', 'Blue'] }],
    variants: [{ sku: 'LAMP-R', options: { color: 'Red' }, stock: 10 }, { sku: 'LAMP-B', options: { color: 'Blue' }, stock: 10 }],
  });
  const red = p.variants[0].id;
  const blue = p.variants[1].id;
  const st = (kind, stock, variant = red) => ({ kind, variant_id: variant, stock });
  await step('creating a product', async () => null, []);

  await step('order 10 → 8', sale(p, 0, 2), (o) => [newOrder(o)]);
  const big = await step('order 8 → 2', sale(p, 0, 6), (o) => [newOrder(o), st('low_stock', 2)]);
  await step('order 2 → 1 (already low)', sale(p, 0, 1), (o) => [newOrder(o)]);
  await step('order 1 → 0', sale(p, 0, 1), (o) => [newOrder(o), st('sold_out', 0)]);
  await step('adjust 0 → 2', adj({ variant_id: red, delta: 2, reason: 'purchase' }), [st('back_in_stock', 2)]);
  await step('adjust set 2 → 10', adj({ variant_id: red, set: 10 }), []);
  await step('adjust set 10 → 10 (no change)', adj({ variant_id: red, set: 10 }), []);
  await step('adjust 10 → 0 (past the low line)', adj({ variant_id: red, delta: -10 }), [st('sold_out', 0)]);
  await step('adjust 0 → 0 is refused', async () => {
    const r = await adjust(admin, { variant_id: red, delta: -1 });
    assert.equal(r.status, 409, r.text);
  }, []);
  await step('stock/sync 0 → 5', async () => {
    const r = await stockSync(service, [{ sku: 'LAMP-R', stock: 5 }]);
    assert.equal(r.status, 200, r.text);
  }, [st('back_in_stock', 5)]);
  await step('stock/sync 5 → 3', async () => {
    const r = await stockSync(service, [{ sku: 'LAMP-R', stock: 3 }]);
    assert.equal(r.status, 200, r.text);
  }, [st('low_stock', 3)]);
  await step('cancel (+6) 3 → 9 crosses nothing downwards', async () => {
    const r = await admin.post(`/api/orders/${big.id}/cancel`);
    assert.equal(r.status, 200, r.text);
  }, []);
  await step('two items, both variants', async () => {
    const r = await order(admin, { items: [item(p, 0, 8), item(p, 1, 10)] });
    assert.equal(r.status, 201, r.text);
    return r.body;
  }, (o) => [newOrder(o), st('low_stock', 1), st('sold_out', 0, blue)]);
  const cur = await getProduct(admin, p.id);
  assert.deepEqual(cur.variants.map((v) => v.stock), [1, 0]);
});

test('product edits of stock raise alerts too', async () => {
  const p = await create(admin, 'products', {
    title: 'Edited lamp', price: 1000, status: 'active', low_stock_threshold: 2,
    variants: [{ sku: 'ELAMP', options: {}, stock: 6 }],
  });
  const v = p.variants[0].id;
  const edit = (stock) => async () => {
    const r = await admin.patch(`/api/products/${p.id}`, { variants: [{ id: v, sku: 'ELAMP', options: {}, stock }] }, MP);
    assert.equal(r.status, 200, r.text.slice(0, 300));
  };
  await step('edit 6 → 2', edit(2), [{ kind: 'low_stock', variant_id: v, stock: 2 }]);
  await step('edit 2 → 0', edit(0), [{ kind: 'sold_out', variant_id: v, stock: 0 }]);
  await step('edit 0 → 7', edit(7), [{ kind: 'back_in_stock', variant_id: v, stock: 7 }]);
});

test('backorder variants: sold_out once, back_in_stock when above zero again; untracked: only new_order', async () => {
  const b = await create(admin, 'products', {
    title: 'Preorder', price: 500, status: 'active', allow_backorder: true, low_stock_threshold: 1,
    variants: [{ sku: 'PRE', options: {}, stock: 1 }],
  });
  const u = await create(admin, 'products', {
    title: 'Service', price: 500, status: 'active', track_inventory: false, low_stock_threshold: 5,
    variants: [{ sku: 'SVC', options: {}, stock: 10 }],
  });
  const v = b.variants[0].id;
  await step('backorder 1 → −2', sale(b, 0, 3), (o) => [newOrder(o), { kind: 'sold_out', variant_id: v, stock: -2 }]);
  await step('backorder −2 → −3', sale(b, 0, 1), (o) => [newOrder(o)]);
  await step('backorder −3 → 0', adj({ variant_id: v, delta: 3 }), []);
  await step('backorder 0 → 4', adj({ variant_id: v, delta: 4 }), [{ kind: 'back_in_stock', variant_id: v, stock: 4 }]);
  await step('untracked order', sale(u, 0, 9), (o) => [newOrder(o)]);
  await step('untracked adjust 10 → 0', adj({ variant_id: u.variants[0].id, set: 0 }), []);
});

test('a cancel that brings a sold-out variant back raises back_in_stock', async () => {
  const p = await create(admin, 'products', {
    title: 'Kettle', price: 900, status: 'active', low_stock_threshold: 2,
    variants: [{ sku: 'KETTLE', options: {}, stock: 3 }],
  });
  const v = p.variants[0].id;
  const o = await step('order 3 → 0', sale(p, 0, 3), (x) => [newOrder(x), { kind: 'sold_out', variant_id: v, stock: 0 }]);
  await step('cancel 0 → 3', async () => {
    const r = await admin.post(`/api/orders/${o.id}/cancel`);
    assert.equal(r.status, 200, r.text);
  }, [{ kind: 'back_in_stock', variant_id: v, stock: 3 }]);
});

test('the live views equal GET /api/alerts and carry nothing else', async () => {
  const all = await listAll(admin, '/api/alerts');
  assert.equal(all.length, seen.size);
  assert.equal(all.length, 24, "alerts raised by the steps above");
  for (const [name, v] of [['ws', view], ['sse', sseView]]) {
    assert.equal(v.diff(all), null, `${name}: ${v.diff(all)}`);
    assert.deepEqual(v.violations, []);
  }
  for (const a of all) {
    assert.ok(['low_stock', 'sold_out', 'back_in_stock', 'new_order'].includes(a.kind));
    assert.equal(a.version, 1, 'alerts are written once');
  }
});
