// Who may do what with orders, bills, stock and alerts (SPEC §3, docs/api.md
// Commerce): a customer reads, syncs and subscribes only to its own orders
// and bills while another customer's orders are created concurrently; staff
// and service run orders and stock; public places guest orders only.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { create, listAll, assertProblem } from './lib/check.mjs';
import { View, LiveSocket, SseStream, subscribeOk, syncSnapshot, syncSince, applySync, eventually } from './lib/live.mjs';
import { capi, shopWithRoles, order, adjust, stockSync, validate, item, burst, getProduct } from './lib/commerce.mjs';

let srv;
let t;
let admin;
let staff;
let service;
let pub;
let one; // customer token of cust_one
let two; // customer token of cust_two
let p;

before(async () => {
  srv = await startServer();
  const shop = await shopWithRoles(srv, 'access-shop', ['cust_one', 'cust_two']);
  ({ t, admin, pub, staff, service } = shop);
  t.oneToken = shop.tokens.cust_one;
  ({ cust_one: one, cust_two: two } = shop.customers);
  p = await create(admin, 'products', { title: 'Access', sku: 'ACC', price: 700, status: 'active', variants: [{ sku: 'ACC', options: {}, stock: 10000 }] });
});
after(async () => { await srv?.stop(); });

async function expectWsError(sock, msg, code) {
  const from = sock.items.length;
  sock.send({ type: 'subscribe', ...msg });
  const m = await sock.waitFor((x) => x.type === 'error' || (x.type === 'subscribed' && x.sub === msg.sub), { from, what: `error ${code}` });
  assert.equal(m.type, 'error', `${JSON.stringify(msg)} → ${JSON.stringify(m)}`);
  assert.equal(m.code, code, `${JSON.stringify(msg)} → ${JSON.stringify(m)}`);
}

async function expectSseRefused(params, status, code) {
  const s = await SseStream.open(srv.url, params);
  const res = { status: s.status, headers: s.headers, text: s.body, body: JSON.parse(s.body || 'null') };
  s.close();
  assertProblem(res, status, code);
}

test("a customer sees only its own orders and bills — REST, sync, WebSocket, SSE — while others order", { timeout: 60000 }, async () => {
  const sync0 = await syncSnapshot(one, { entities: 'orders,bills' });
  const sock = await LiveSocket.connect(srv.url, t.oneToken);
  const vOrders = new View('ws orders (cust_one)', { topic: 'orders' });
  const vBills = new View('ws bills (cust_one)', { topic: 'bills' });
  await subscribeOk(sock, { sub: 'o', topic: 'orders', batch_ms: 0 }, vOrders);
  await subscribeOk(sock, { sub: 'b', topic: 'bills', batch_ms: 0 }, vBills);
  const vSse = new View('sse orders (cust_one)', { topic: 'orders' });
  const sse = await SseStream.open(srv.url, { topic: 'orders', batch_ms: 0, access_token: t.oneToken }, { view: vSse });
  assert.equal(sse.status, 200, `SSE orders for a customer: ${sse.status} ${sse.body}`);
  const vSseBills = new View('sse bills (cust_one)', { topic: 'bills' });
  const sseB = await SseStream.open(srv.url, { topic: 'bills', access_token: t.oneToken }, { view: vSseBills });
  assert.equal(sseB.status, 200);
  try {
    await eventually(() => vSse.subscribed && vSseBills.subscribed);
    // concurrently: both customers order, admin and staff order for both and for guests
    const jobs = [];
    for (let i = 0; i < 8; i++) {
      jobs.push(() => order(one, { items: [item(p, 0, 1)] }));
      jobs.push(() => order(two, { items: [item(p, 0, 1)] }));
      jobs.push(() => order(admin, { items: [item(p, 0, 2)], customer_id: 'cust_two' }));
      jobs.push(() => order(staff, { items: [item(p, 0, 1)], customer_id: i % 2 ? 'cust_one' : 'cust_two' }));
      jobs.push(() => order(pub, { items: [item(p, 0, 1)] }));
    }
    const results = await burst(jobs.length, (i) => jobs[i]());
    const bad = results.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.text.slice(0, 200)}`);
    assert.deepEqual(bad, []);
    const mine = results.map((r) => r.body).filter((o) => o.customer_id === 'cust_one');
    assert.equal(mine.length, 12);
    // status changes on both customers' orders
    const theirs = results.map((r) => r.body).filter((o) => o.customer_id === 'cust_two');
    await burst(4, async (i) => {
      assert.equal((await staff.post(`/api/orders/${theirs[i].id}/cancel`)).status, 200);
      assert.equal((await admin.post(`/api/orders/${mine[i].id}/${i % 2 ? 'cancel' : 'confirm'}`)).status, 200);
    });

    const allOrders = await listAll(admin, '/api/orders');
    const myOrders = allOrders.filter((o) => o.customer_id === 'cust_one');
    const allBills = await listAll(admin, '/api/bills');
    const myBills = allBills.filter((b) => b.customer_id === 'cust_one');
    assert.equal(myBills.length, 12);
    assert.ok(allOrders.length > myOrders.length && allBills.length > myBills.length);

    // REST
    const listed = await listAll(one, '/api/orders');
    assert.deepEqual(listed, myOrders, 'GET /api/orders as cust_one = its own orders, as the admin reads them');
    assert.deepEqual(await listAll(one, '/api/bills'), myBills);
    assertProblem(await one.get('/api/orders?customer_id=cust_two'), 403, 'forbidden');
    assertProblem(await one.get('/api/bills?customer_id=cust_two'), 403, 'forbidden');
    assertProblem(await one.get(`/api/orders/${theirs[0].id}`), 404, 'not_found');
    const theirBill = allBills.find((b) => b.customer_id === 'cust_two');
    assertProblem(await one.get(`/api/bills/${theirBill.id}`), 404, 'not_found');
    assert.equal((await one.get(`/api/orders/${mine[0].id}`)).status, 200);

    // sync: snapshot and since
    const snap = await syncSnapshot(one, { entities: 'orders,bills' });
    assert.deepEqual([...snap.state.get('orders').values()].sort((a, b) => (a.id < b.id ? -1 : 1)), myOrders);
    assert.deepEqual([...snap.state.get('bills').values()].sort((a, b) => (a.id < b.id ? -1 : 1)), myBills);
    const foreign = new Set([...allOrders, ...allBills].filter((r) => r.customer_id !== 'cust_one').map((r) => r.id));
    const since = await syncSince(one, sync0.cursor, { entities: 'orders,bills', limit: 5 });
    const state = new Map([['orders', new Map()], ['bills', new Map()]]);
    const ownIds = new Set([...myOrders, ...myBills].map((r) => r.id));
    for (const b of since.bodies) {
      for (const [entity, d] of Object.entries(b.data)) {
        for (const r of [...d.added, ...d.updated]) assert.equal(r.customer_id, 'cust_one', `sync since: ${entity} ${r.id} of ${r.customer_id}`);
        // never one of its own records, never another customer's id
        for (const id of d.deleted) assert.ok(!ownIds.has(id), `sync since: own ${entity} ${id} reported deleted`);
        for (const id of d.deleted) assert.ok(!foreign.has(id), `sync since: another customer's ${entity} ${id} named in deleted`);
      }
      applySync(state, b);
    }
    assert.deepEqual([...state.get('orders').keys()].sort(), myOrders.map((o) => o.id));
    assert.deepEqual([...state.get('bills').keys()].sort(), myBills.map((b) => b.id));
    // default entities for a customer hold no commerce data of others, no movements or alerts
    const dflt = await syncSnapshot(one, { limit: 1000 });
    assert.equal(dflt.state.has('stock_movements'), false, 'a customer sync carries stock_movements');
    assert.equal(dflt.state.has('alerts'), false, 'a customer sync carries alerts');
    for (const o of dflt.state.get('orders')?.values() ?? []) assert.equal(o.customer_id, 'cust_one');
    assertProblem(await one.get('/api/sync?entities=stock_movements'), 403, 'forbidden');
    assertProblem(await one.get('/api/sync?entities=alerts'), 403, 'forbidden');

    // live
    const ok = await eventually(() => vOrders.diff(myOrders) === null && vBills.diff(myBills) === null
      && vSse.diff(myOrders) === null && vSseBills.diff(myBills) === null);
    assert.ok(ok, `live views: ${vOrders.diff(myOrders)} / ${vBills.diff(myBills)} / ${vSse.diff(myOrders)} / ${vSseBills.diff(myBills)}`);
    // a replay from the old cursor (orders of cust_two were cancelled since)
    const vReplay = new View('ws orders replay (cust_one)', { topic: 'orders' });
    await subscribeOk(sock, { sub: 'r', topic: 'orders', since: sync0.cursor, batch_ms: 0 }, vReplay);
    assert.ok(await eventually(() => vReplay.diff(myOrders) === null), `replay: ${vReplay.diff(myOrders)}`);
    for (const v of [vOrders, vBills, vSse, vSseBills, vReplay]) {
      assert.deepEqual(v.violations, []);
      assert.deepEqual([...v.allIds].filter((id) => foreign.has(id)), [], `${v.name} received another customer's records`);
    }
    await expectWsError(sock, { sub: 'x1', topic: 'alerts' }, 'forbidden');
    await expectWsError(sock, { sub: 'x2', topic: 'stock_movements' }, 'forbidden');
  } finally {
    sse.close();
    sseB.close();
    await sock.close();
  }
});

test('customer: orders only for itself; no transitions, stock or alerts', async () => {
  const own = await order(one, { items: [item(p, 0, 1)], customer_id: 'cust_one' });
  assert.equal(own.status, 201, own.text);
  assert.equal(own.body.customer_id, 'cust_one');
  assertProblem(await order(one, { items: [item(p, 0, 1)], customer_id: 'cust_two' }), 403, 'forbidden');
  assertProblem(await order(one, { items: [item(p, 0, 1)], customer_id: 'cust_nobody' }), 403, 'forbidden');
  for (const a of ['confirm', 'fulfill', 'cancel']) assertProblem(await one.post(`/api/orders/${own.body.id}/${a}`), 403, 'forbidden');
  assertProblem(await adjust(one, { variant_id: p.variants[0].id, delta: 1 }), 403, 'forbidden');
  assertProblem(await stockSync(one, [{ sku: 'ACC', stock: 1 }]), 403, 'forbidden');
  for (const c of ['stock_movements', 'alerts']) assertProblem(await one.get(`/api/${c}`), 403, 'forbidden');
  assert.equal((await validate(one, [item(p, 0, 1)])).status, 200);
});

test('public: guest orders only; reads no orders, bills, movements or alerts', async () => {
  const r = await order(pub, { items: [item(p, 0, 2)] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.total, 1400);
  assert.equal(r.body.status, 'placed');
  assert.equal(r.body.customer_id ?? null, null);
  assert.deepEqual(r.body.items.map((i) => [i.variant_id, i.qty]), [[p.variants[0].id, 2]]);
  assertProblem(await order(pub, { items: [item(p, 0, 1)], customer_id: 'cust_one' }), 403, 'forbidden');
  for (const c of ['orders', 'bills', 'stock_movements', 'alerts']) assertProblem(await pub.get(`/api/${c}`), 403, 'forbidden');
  assertProblem(await pub.get(`/api/orders/${r.body.id}`), 403, 'forbidden');
  for (const a of ['confirm', 'fulfill', 'cancel']) assertProblem(await pub.post(`/api/orders/${r.body.id}/${a}`), 403, 'forbidden');
  assertProblem(await adjust(pub, { variant_id: p.variants[0].id, delta: 1 }), 403, 'forbidden');
  assertProblem(await stockSync(pub, [{ sku: 'ACC', stock: 1 }]), 403, 'forbidden');
  for (const e of ['orders', 'bills', 'stock_movements', 'alerts']) assertProblem(await pub.get(`/api/sync?entities=${e}`), 403, 'forbidden');
  const dflt = await syncSnapshot(pub, { limit: 1000 });
  for (const e of ['orders', 'bills', 'stock_movements', 'alerts', 'customers']) assert.equal(dflt.state.has(e), false, `public default sync carries ${e}`);
  const sock = await LiveSocket.connect(srv.url, t.public_token);
  try {
    for (const topic of ['orders', 'bills', 'stock_movements', 'alerts']) await expectWsError(sock, { sub: `p-${topic}`, topic }, 'forbidden');
  } finally {
    await sock.close();
  }
  for (const topic of ['orders', 'bills', 'alerts']) await expectSseRefused({ topic, access_token: t.public_token }, 403, 'forbidden');
  assert.equal((await validate(pub, [item(p, 0, 1)])).status, 200);
});

test('staff and service: orders, transitions, stock; stock/sync for admin and service only', async () => {
  const o = await order(staff, { items: [item(p, 0, 1)], customer_id: 'cust_two' });
  assert.equal(o.status, 201, o.text);
  assert.equal(o.body.channel, 'pos');
  assert.equal((await staff.post(`/api/orders/${o.body.id}/confirm`)).status, 200);
  assert.equal((await staff.post(`/api/orders/${o.body.id}/fulfill`)).status, 200);
  const o2 = (await order(service, { items: [item(p, 0, 1)] })).body;
  assert.equal(o2.channel, 'api');
  assert.equal((await service.post(`/api/orders/${o2.id}/cancel`)).status, 200);
  const before = (await getProduct(admin, p.id)).variants[0].stock;
  const a = await adjust(staff, { variant_id: p.variants[0].id, delta: 5, reason: 'purchase' });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.body.stock, before + 5);
  assert.equal((await adjust(service, { variant_id: p.variants[0].id, delta: -5 })).status, 200);
  assertProblem(await stockSync(staff, [{ sku: 'ACC', stock: 1 }]), 403, 'forbidden');
  const s = await stockSync(service, [{ sku: 'ACC', stock: before }]);
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(s.body, { updated: [], unchanged: ['ACC'], unknown: [] });
  for (const c of ['orders', 'bills', 'stock_movements', 'alerts']) {
    assert.equal((await staff.get(`/api/${c}`)).status, 200, `staff GET /api/${c}`);
    assert.equal((await service.get(`/api/${c}`)).status, 200, `service GET /api/${c}`);
  }
  assertProblem(await order(admin, { items: [item(p, 0, 1)], customer_id: 'cust_unknown' }), 422, 'validation_failed');
  assertProblem(await order(staff, { items: [item(p, 0, 1)], customer_id: 'cust_unknown' }), 422, 'validation_failed');
});

test("another tenant's tokens reach none of these orders", async () => {
  const other = await srv.createTenant('access-other');
  const oadmin = capi(srv.url, other.admin_token);
  const ocust = capi(srv.url, await srv.createToken(other.tenant, 'customer', 'cust_one'));
  const mine = await listAll(admin, '/api/orders');
  assert.deepEqual(await listAll(oadmin, '/api/orders'), []);
  assert.deepEqual(await listAll(ocust, '/api/orders'), []);
  assertProblem(await oadmin.get(`/api/orders/${mine[0].id}`), 404, 'not_found');
  assertProblem(await oadmin.post(`/api/orders/${mine[0].id}/cancel`), 404, 'not_found');
  assertProblem(await order(oadmin, { items: [item(p, 0, 1)] }), 409, 'checkout_corrections');
  const before = (await getProduct(admin, p.id)).variants[0].stock;
  const a = await adjust(oadmin, { variant_id: p.variants[0].id, delta: 1 });
  assert.ok([404, 422].includes(a.status), `adjusting another tenant's variant: ${a.status} ${a.text.slice(0, 200)}`);
  assert.equal((await getProduct(admin, p.id)).variants[0].stock, before);
});

test("an order's channel follows the token (SPEC §2): every refused role × channel is a 403 that writes nothing", async () => {
  const ALL = ['web', 'pos', 'partner', 'api'];
  const allowed = {
    public: ['web'], customer: ['web'], staff: ['pos', 'web', 'api'], service: ['api'], admin: ALL,
  };
  const defaults = { public: 'web', customer: 'web', staff: 'pos', service: 'api', admin: 'api' };
  const clients = { public: pub, customer: one, staff, service, admin };
  const before = (await getProduct(admin, p.id)).variants[0].stock;
  let placed = 0;
  for (const [role, client] of Object.entries(clients)) {
    for (const channel of ALL) {
      const r = await order(client, { items: [item(p, 0, 1)], channel });
      if (allowed[role].includes(channel)) {
        assert.equal(r.status, 201, `${role} on ${channel}: ${r.text.slice(0, 200)}`);
        assert.equal(r.body.channel, channel, `${role} on ${channel}`);
        placed += 1;
      } else {
        assertProblem(r, 403, 'forbidden');
        assert.match(r.body.detail, new RegExp(channel), `${role} on ${channel}: the detail names it`);
      }
    }
    const d = await order(client, { items: [item(p, 0, 1)] });
    assert.equal(d.status, 201, d.text);
    assert.equal(d.body.channel, defaults[role], `${role}: default channel`);
    placed += 1;
  }
  assert.equal((await getProduct(admin, p.id)).variants[0].stock, before - placed, 'refused orders took no stock');
});

test("a customer listing with another customer's customer_id is refused with 403; its own id is fine", async () => {
  const mine = await order(one, { items: [item(p, 0, 1)] });
  assert.equal(mine.status, 201, mine.text);
  await order(two, { items: [item(p, 0, 1)] });
  for (const c of ['orders', 'bills']) {
    assertProblem(await one.get(`/api/${c}?customer_id=cust_two`), 403, 'forbidden');
    assertProblem(await one.get(`/api/${c}?customer_id=cust_two&limit=5`), 403, 'forbidden');
    const own = await one.get(`/api/${c}?customer_id=cust_one`);
    assert.equal(own.status, 200, own.text);
    assert.ok(own.body.data.length > 0, `${c}: its own records are listed`);
    assert.ok(own.body.data.every((r) => r.customer_id === 'cust_one'), c);
  }
  // the back office may filter by any customer
  const theirs = await staff.get('/api/orders?customer_id=cust_two');
  assert.equal(theirs.status, 200);
  assert.ok(theirs.body.data.length > 0 && theirs.body.data.every((o) => o.customer_id === 'cust_two'));
});
