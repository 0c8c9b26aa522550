// Publish topics (SPEC §8): an admin declares a topic and its readers; a
// service publishes {topic, key, data}; readers get it over WebSocket, SSE
// and sync like a collection — in order, coalesced by key, resumable,
// deletes included — and only the roles the topic names. Public and staff
// tokens may not publish; a topic may not take a collection's name; the
// topics survive a restart. (A webhook following a topic:
// webhooks.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib/server.mjs';
import { assertProblem } from './lib/check.mjs';
import { LiveSocket, View, subscribeOk, SseStream, syncSince, syncSnapshot, eventually } from './lib/live.mjs';

let srv;
let shop;
let admin;
let service;
let staff;
let customer;
let pub;

before(async () => {
  srv = await startServer();
  shop = await srv.createTenant('publish-shop');
  admin = api(srv.url, shop.admin_token);
  service = api(srv.url, await srv.createToken(shop.tenant, 'service'));
  staff = api(srv.url, await srv.createToken(shop.tenant, 'staff'));
  customer = api(srv.url, await srv.createToken(shop.tenant, 'customer', 'cust_pub'));
  pub = api(srv.url, shop.public_token);
});
after(async () => { await srv?.stop(); });

const send = (client, topic, key, data, opts) => client.post('/api/publish', { topic, key, data }, opts);

async function published(topic, key, data) {
  const r = await send(service, topic, key, data);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

test('declaring a topic: admin only, a name of its own, known roles', async () => {
  const r = await admin.put('/api/topics/warehouse.levels', { read: ['staff', 'service'] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.read, ['admin', 'staff', 'service']);
  const again = await admin.put('/api/topics/warehouse.levels', { read: ['staff', 'service'] });
  assert.equal(again.status, 200);
  assertProblem(await admin.put('/api/topics/products', { read: ['staff'] }), 400, 'bad_topic');
  assertProblem(await admin.put('/api/topics/Bad%20Name', { read: ['staff'] }), 400, 'bad_topic');
  assert.equal((await admin.put('/api/topics/x', { read: ['nobody'] })).status, 422);
  assert.equal((await admin.put('/api/topics/x', {})).status, 422);
  assertProblem(await staff.put('/api/topics/x', { read: ['staff'] }), 403, 'forbidden');
  assertProblem(await service.put('/api/topics/x', { read: ['staff'] }), 403, 'forbidden');
  const list = await admin.get('/api/topics');
  assert.deepEqual(list.body.data.map((t) => t.name), ['warehouse.levels']);
});

test('who may publish, and what', async () => {
  await admin.put('/api/topics/who.may', { read: ['staff'] });
  for (const [client, name] of [[staff, 'staff'], [pub, 'public'], [customer, 'customer']]) {
    assertProblem(await send(client, 'who.may', 'k', { a: 1 }), 403, 'forbidden');
    assert.ok(name);
  }
  assertProblem(await send(service, 'nope', 'k', 1), 404, 'unknown_topic');
  assertProblem(await send(service, 'products', 'k', 1), 404, 'unknown_topic');
  assert.equal((await send(service, 'who.may', 'has space', 1)).status, 422);
  assert.equal((await send(service, 'who.may', 'x'.repeat(201), 1)).status, 422);
  assert.equal((await service.post('/api/publish', { topic: 'who.may', key: 'k' })).status, 422, 'data is required');
  assert.equal((await published('who.may', 'k', { a: 1 })).version, 1);
  const byAdmin = await send(admin, 'who.may', 'k', { a: 2 });
  assert.equal(byAdmin.status, 200);
  assert.equal(byAdmin.body.version, 2);
  // A retry with the same Idempotency-Key publishes once.
  const keyed = { headers: { 'Idempotency-Key': 'pub-once-1' } };
  const first = await send(service, 'who.may', 'k', { a: 3 }, keyed);
  const second = await send(service, 'who.may', 'k', { a: 3 }, keyed);
  assert.deepEqual(second.body, first.body);
  assert.equal(second.headers.get('idempotent-replayed'), 'true');
  assert.equal(first.body.version, 3);
  assert.equal((await published('who.may', 'k', { a: 4 })).version, 4, 'the retry wrote nothing');
});

test('readers get it in order over WebSocket and SSE, deletes included, only the named roles', async () => {
  await admin.put('/api/topics/stock.feed', { read: ['staff', 'service'] });
  await published('stock.feed', 'sku-1', { qty: 5 });
  const ws = await LiveSocket.connect(srv.url, (await srv.createToken(shop.tenant, 'staff')));
  const sse = await SseStream.open(srv.url, { topic: 'stock.feed' }, { token: await srv.createToken(shop.tenant, 'service'), view: new View('sse', { topic: 'stock.feed' }) });
  const view = new View('ws', { topic: 'stock.feed' });
  try {
    await subscribeOk(ws, { sub: 's', topic: 'stock.feed' }, view);
    assert.deepEqual(view.records.get('sku-1')?.data?.data, { qty: 5 }, 'the snapshot holds what was published');
    await published('stock.feed', 'sku-1', { qty: 6 });
    await published('stock.feed', 'sku-2', { qty: 1 });
    await published('stock.feed', 'sku-1', null);
    for (const v of [view, sse.view]) {
      await eventually(() => v.records.has('sku-2') && !v.records.has('sku-1') && v.lastOp.get('sku-1') === 'delete');
      assert.deepEqual(v.violations, []);
      assert.equal(v.lastVersion.get('sku-1'), 3);
      assert.deepEqual(v.records.get('sku-2').data.data, { qty: 1 });
    }
    // A delete of a key that holds nothing writes nothing.
    const none = await published('stock.feed', 'never', null);
    assert.deepEqual([none.version, none.deleted], [0, true]);
  } finally {
    ws.close();
    sse.close();
  }
  for (const client of [customer, pub]) {
    const r = await client.get('/api/sync?entities=stock.feed');
    assert.equal(r.status, 403, `${r.status} ${r.text}`);
  }
  const cust = await LiveSocket.connect(srv.url, await srv.createToken(shop.tenant, 'customer', 'cust_pub'));
  try {
    cust.send({ type: 'subscribe', sub: 'c', topic: 'stock.feed' });
    const m = await cust.waitFor((x) => x.type === 'error' && x.sub === 'c');
    assert.equal(m.code, 'forbidden');
  } finally {
    cust.close();
  }
  // The admin names the customer role: from then on, customers read it.
  await admin.put('/api/topics/stock.feed', { read: ['staff', 'service', 'customer'] });
  assert.equal((await customer.get('/api/sync?entities=stock.feed')).status, 200);
});

test('sync resumes from a cursor and coalesces by key; another shop never sees it', async () => {
  await admin.put('/api/topics/prices.erp', { read: ['staff'] });
  await published('prices.erp', 'a', 1);
  const { cursor } = await syncSnapshot(staff, { entities: 'prices.erp' });
  for (let i = 2; i <= 5; i++) await published('prices.erp', 'a', i);
  await published('prices.erp', 'b', 'x');
  const since = await syncSince(staff, cursor, { entities: 'prices.erp' });
  const updated = since.bodies.flatMap((b) => b.data['prices.erp'].updated);
  const added = since.bodies.flatMap((b) => b.data['prices.erp'].added);
  assert.deepEqual(updated.map((r) => [r.id, r.version, r.data]), [['a', 5, 5]], 'each key once, at its latest');
  assert.deepEqual(added.map((r) => [r.id, r.data]), [['b', 'x']]);

  const other = await srv.createTenant('publish-other');
  const otherAdmin = api(srv.url, other.admin_token);
  assertProblem(await otherAdmin.get('/api/sync?entities=prices.erp'), 400, 'bad_query');
  assertProblem(await api(srv.url, await srv.createToken(other.tenant, 'service')).post('/api/publish',
    { topic: 'prices.erp', key: 'a', data: 1 }), 404, 'unknown_topic');
  const digest = await staff.get('/api/sync/digest?entities=prices.erp');
  assert.equal(digest.status, 200, digest.text);
  assert.equal(digest.body.count, 2);
});

test('topics survive a restart', async () => {
  await admin.put('/api/topics/survives', { read: ['staff'] });
  await published('survives', 'k', { v: 1 });
  await srv.restart();
  const s = api(srv.url, await srv.createToken(shop.tenant, 'staff'));
  const snap = await syncSnapshot(s, { entities: 'survives' });
  assert.deepEqual([...snap.state.get('survives').values()].map((r) => r.data), [{ v: 1 }]);
  const r = await api(srv.url, (await srv.createToken(shop.tenant, 'service'))).post('/api/publish',
    { topic: 'survives', key: 'k', data: { v: 2 } });
  assert.equal(r.body.version, 2);
});
