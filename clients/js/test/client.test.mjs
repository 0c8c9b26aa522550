// The client's pieces on their own: REST helpers against the real server
// (errors as ShelfsyncError), commerce helpers' requests (the server in this
// tree does not serve them yet, so a recording fetch stands in), the digest,
// the SSE parser, the backoff, the WebSocket keepalive, the automatic
// fallback to SSE, and permanent subscription errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makePng } from '../../../tests/integration/lib/images.mjs';
import {
  startServer, makeClient, freshSync, eventually, Writer, WebSocket, sleep,
} from './helpers.mjs';
import {
  RestClient, ShelfsyncError, SseParser, digestOf, murmur3, backoffDelay, MemoryStore, Cache, pull,
} from '../src/index.js';

let srv;
let t;
before(async () => {
  srv = await startServer();
  t = await srv.createTenant('js-client');
});
after(async () => { await srv?.stop(); });

const rest = (token = t.admin_token) => new RestClient({ url: () => srv.url, token, clientId: 'js-test' });

async function rejects(promise, status, code) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof ShelfsyncError, `expected ShelfsyncError, got ${e}`);
    assert.equal(e.status, status, e.message);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${status} ${code}`);
}

test('REST: create, get (ETag), list with the pagination iterator, patch with If-Match, delete', async () => {
  const r = rest();
  const made = [];
  for (let i = 0; i < 7; i++) made.push(await r.create('products', { title: `P${i}`, price: 100 + i, status: 'active' }));
  const p = made[0];
  assert.equal(p.version, 1);
  assert.deepEqual(await r.get('products', p.id), p);
  assert.equal(await r.get('products', p.id, { ifNoneMatch: p.version }), null, '304 → null');

  const seen = [];
  for await (const x of r.list('products', { limit: 3 })) seen.push(x.id);
  assert.deepEqual(seen, made.map((x) => x.id).sort(), 'every page, in id order');
  const page = await r.listPage('products', { limit: 2 });
  assert.equal(page.data.length, 2);
  assert.equal(typeof page.next, 'string');

  const p2 = await r.patch('products', p.id, { price: 555 }, { ifMatch: p.version });
  assert.equal(p2.version, 2);
  const e = await rejects(r.patch('products', p.id, { price: 1 }, { ifMatch: 1 }), 412, 'version_mismatch');
  assert.equal(e.current.version, 2, 'the current record comes with the error');
  assert.equal(e.current.price, 555);

  const bad = await rejects(r.create('products', { title: '', price: -1 }), 422, 'validation_failed');
  assert.ok(bad.errors.some((x) => x.field === 'title'));

  await r.delete('products', made[1].id, { ifMatch: 1 });
  await rejects(r.get('products', made[1].id), 404, 'not_found');
  await rejects(new RestClient({ url: srv.url, token: 'nope' }).get('products', p.id), 401, 'invalid_token');
  const down = await rejects(new RestClient({ url: 'http://127.0.0.1:9' }).get('products', 'x'), 0, 'network_error');
  assert.match(down.message, /network_error/);
});

test('REST: image upload, URL image, reorder, delete', async () => {
  const r = rest();
  const p = await r.create('products', { title: 'With images', price: 1 });
  const a = await r.addImage(p.id, makePng(3, 2), { contentType: 'image/png', alt: 'front' });
  assert.equal(a.images.length, 1);
  assert.deepEqual([a.images[0].width, a.images[0].height, a.images[0].alt], [3, 2, 'front']);
  const b = await r.addImage(p.id, { url: 'https://cdn.example/x.jpg', alt: 'side' });
  const ids = b.images.map((i) => i.id);
  const c = await r.reorderImages(p.id, [...ids].reverse());
  assert.deepEqual(c.images.map((i) => i.id), [...ids].reverse());
  const d = await r.deleteImage(p.id, ids[0]);
  assert.deepEqual(d.images.map((i) => i.id), [ids[1]]);
  await rejects(r.addImage(p.id, new Uint8Array([1, 2, 3]), { contentType: 'image/png' }), 422, 'invalid_image');
});

test('commerce helpers send the documented requests (recording fetch)', async () => {
  const calls = [];
  const answers = [];
  const fakeFetch = async (url, init) => {
    calls.push({ url, method: init.method, headers: init.headers, body: init.body ? JSON.parse(init.body) : undefined });
    const [status, body] = answers.shift() ?? [200, { ok: true }];
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
  };
  const r = new RestClient({ url: 'http://shop.test/', token: 'tok', fetch: fakeFetch, clientId: 'till-1' });
  const items = [{ product_id: 'p1', variant_id: 'v1', qty: 2, unit_price: 500 }];

  await r.validateCheckout(items);
  answers.push([409, { status: 409, code: 'checkout_corrections', ok: false, detail: 'prices changed',
    corrections: [{ index: 0, field: 'price', expected: 500, actual: 450 }] }]);
  const e = await rejects(r.validateCheckout(items), 409, 'checkout_corrections');
  assert.deepEqual(e.corrections, [{ index: 0, field: 'price', expected: 500, actual: 450 }]);

  await r.placeOrder({ items });
  await r.placeOrder({ items, channel: 'pos' }, { idempotencyKey: 'sale-42' });
  await r.confirmOrder('o1', { ifMatch: 1 });
  await r.fulfillOrder('o1');
  await r.cancelOrder('o2');
  await r.adjustStock({ variant_id: 'v1', delta: -2, reason: 'adjustment' });
  await r.syncStock([{ sku: 'A', stock: 3 }]);

  const [v1, , o1, o2, conf, ful, can, adj, sync] = calls;
  assert.equal(v1.url, 'http://shop.test/api/checkout/validate');
  assert.deepEqual(v1.body, { items });
  assert.equal(o1.url, 'http://shop.test/api/orders');
  assert.match(o1.headers['Idempotency-Key'], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a key is generated');
  assert.equal(o2.headers['Idempotency-Key'], 'sale-42', 'a given key is kept');
  assert.equal(o1.headers['X-Client-Id'], 'till-1');
  assert.equal(o1.headers.Authorization, 'Bearer tok');
  assert.deepEqual([conf.method, conf.url, conf.headers['If-Match']], ['POST', 'http://shop.test/api/orders/o1/confirm', '"1"']);
  assert.equal(ful.url, 'http://shop.test/api/orders/o1/fulfill');
  assert.equal(can.url, 'http://shop.test/api/orders/o2/cancel');
  assert.equal(adj.url, 'http://shop.test/api/stock/adjust');
  assert.ok(adj.headers['Idempotency-Key'], 'stock adjust carries a key');
  assert.deepEqual(adj.body, { variant_id: 'v1', delta: -2, reason: 'adjustment' });
  assert.deepEqual(sync.body, { levels: [{ sku: 'A', stock: 3 }] });

  calls.length = 0;
  await r.createBill({ customer_id: 'c1', amount: 900 });
  await r.payBill('b1', { amount: 400, method: 'cash' }, { idempotencyKey: 'pay-1', ifMatch: 2 });
  await r.payBill('b1', { amount: 500, method: 'card' });
  await r.voidBill('b2', { ifMatch: 3 });
  await r.stats({ from: '2026-11-01', to: '2026-11-30', tz: 'Europe/Berlin' });
  await r.patchShop({ large_order_total: 25000 });
  const [mk, pay, pay2, vd, st, shop] = calls;
  assert.deepEqual([mk.method, mk.url, mk.body], ['POST', 'http://shop.test/api/bills', { customer_id: 'c1', amount: 900 }]);
  assert.ok(mk.headers['Idempotency-Key'], 'a manual bill carries a key');
  assert.deepEqual([pay.url, pay.headers['Idempotency-Key'], pay.headers['If-Match'], pay.body],
    ['http://shop.test/api/bills/b1/pay', 'pay-1', '"2"', { amount: 400, method: 'cash' }]);
  assert.ok(pay2.headers['Idempotency-Key'] && pay2.headers['Idempotency-Key'] !== 'pay-1', 'a fresh key per payment');
  assert.equal(pay2.headers['If-Match'], undefined);
  assert.deepEqual([vd.url, vd.headers['If-Match']], ['http://shop.test/api/bills/b2/void', '"3"']);
  assert.deepEqual([st.method, st.url], ['GET', 'http://shop.test/api/stats?from=2026-11-01&to=2026-11-30&tz=Europe%2FBerlin']);
  assert.deepEqual([shop.method, shop.url, shop.headers['Content-Type'], shop.body],
    ['PATCH', 'http://shop.test/api/shop', 'application/merge-patch+json', { large_order_total: 25000 }]);
});

test('digest: the client computes exactly the server hash (admin and public views)', async () => {
  const r = rest();
  await r.create('products', { title: 'Draft', price: 1, status: 'draft' });
  for (const token of [t.admin_token, t.public_token]) {
    const records = await freshSync(srv, token);
    const server = await rest(token).digest('products');
    const local = await digestOf('products', records);
    assert.deepEqual(local, { count: server.count, hash: server.hash });
  }
  // MurmurHash3's reference vectors, and sums that do not depend on order.
  assert.equal(murmur3('', 1), 0x514e28b7);
  assert.equal(murmur3('hello', 0), 0x248bfa47);
  assert.equal(murmur3('Hello, world!', 1234), 0xfaf6cdb3);
  assert.equal(murmur3('The quick brown fox jumps over the lazy dog', 0), 0x2e4ff723);
  const recs = [{ id: 'b', version: 2 }, { id: 'a', version: 10 }, { id: 'a_', version: 1 }];
  const one = await digestOf('products', recs);
  assert.deepEqual(await digestOf('products', [...recs].reverse()), one);
  assert.match(one.hash, /^[0-9a-f]{16}$/);
  assert.notEqual((await digestOf('products', [{ id: 'a', version: 11 }, ...recs.slice(0, 2)])).hash, one.hash);
});

test('pull: since-sync into a cache, snapshot when there is no cursor', async () => {
  const r = rest();
  const cache = new Cache({ store: new MemoryStore() });
  const coll = await cache.open('pulled-products');
  const first = await pull(r, coll, 'products');
  assert.equal(first.snapshot, true);
  const p = await r.create('products', { title: 'Pulled', price: 3 });
  const second = await pull(r, coll, 'products');
  assert.deepEqual([second.snapshot, second.changes], [false, 1]);
  assert.equal(coll.get(p.id).version, 1);
  await r.delete('products', p.id);
  await pull(r, coll, 'products');
  assert.equal(coll.get(p.id), undefined);
  const expected = await freshSync(srv, t.admin_token);
  assert.deepEqual(coll.list(), expected);
});

test('SseParser: events, multi-line data, ids, comments, CRLF split anywhere', () => {
  const events = [];
  let comments = 0;
  const p = new SseParser((e) => events.push(e), () => { comments++; });
  const text = 'retry: 2000\r\n\r\n: hb\r\nevent: changes\r\nid: c7\r\ndata: {"a":\r\ndata: 1}\r\n\r\ndata: x\n\n';
  for (const ch of text) p.feed(ch);
  assert.deepEqual(events, [
    { event: 'changes', data: '{"a":\n1}', id: 'c7' },
    { event: 'message', data: 'x', id: null },
  ]);
  assert.equal(comments, 1);
});

test('backoff grows exponentially up to the cap, with jitter in [d/2, d]', () => {
  const lo = () => 0;
  const hi = () => 1;
  assert.deepEqual([0, 1, 2, 3].map((n) => backoffDelay(n, { initial: 100, random: hi })), [100, 200, 400, 800]);
  assert.deepEqual([0, 1].map((n) => backoffDelay(n, { initial: 100, random: lo })), [50, 100]);
  assert.equal(backoffDelay(50, { initial: 100, max: 5000, random: hi }), 5000);
});

// A ws socket that can be made deaf: it stays open but hears nothing, like a
// connection whose peer vanished without a FIN.
const deaf = new Set();
class DeafableWebSocket extends WebSocket {
  set onmessage(fn) { super.onmessage = (e) => { if (!deaf.has(this)) fn(e); }; }
  get onmessage() { return super.onmessage; }
}

test('keepalive: a connection that stops answering pings is replaced and the feed resumes', async () => {
  // The pong timeout leaves a slow (sanitized) server room to answer while
  // idle; a deaf socket is still found within a second or so.
  const c = makeClient(srv, t.admin_token, { WebSocket: DeafableWebSocket, transport: 'websocket', pingInterval: 150, pongTimeout: 1000 });
  try {
    const feed = c.subscribe('products');
    await feed.ready;
    await sleep(500); // idle: pings are answered, nothing drops
    assert.equal(feed.status, 'live');
    const statuses = [];
    feed.on('status', (s) => statuses.push(s));
    deaf.add(c.live.ws.ws);
    const p = await rest().create('products', { title: 'While deaf', price: 9 });
    assert.ok(await eventually(() => feed.get(p.id)), 'the change arrives over the new connection');
    assert.ok(statuses.includes('reconnecting'));
  } finally {
    c.close();
  }
});

test('auto transport falls back to SSE when WebSocket keeps failing', async () => {
  class BrokenWebSocket {
    constructor() { setTimeout(() => this.onerror?.({}), 5); }
    send() {}
    close() {}
  }
  const c = makeClient(srv, t.public_token, { WebSocket: BrokenWebSocket, transport: 'auto', fallbackAfter: 2 });
  try {
    const switched = [];
    c.live.on('transport', (k) => switched.push(k));
    const feed = c.subscribe('products');
    await feed.ready;
    assert.deepEqual(switched, ['sse']);
    const p = await rest().create('products', { title: 'Over SSE', price: 2, status: 'active' });
    assert.ok(await eventually(() => feed.get(p.id)));
  } finally {
    c.close();
  }
});

test('a subscription the server refuses fails with a ShelfsyncError (WebSocket and SSE)', async () => {
  for (const transport of ['websocket', 'sse']) {
    const c = makeClient(srv, t.public_token, { transport });
    try {
      const feed = c.subscribe('customers');
      const err = await feed.ready.then(() => null, (e) => e);
      assert.ok(err instanceof ShelfsyncError, `${transport}: ${err}`);
      assert.equal(err.code, 'forbidden', transport);
      assert.equal(feed.status, 'error');
    } finally {
      c.close();
    }
  }
});

test('the writer helper and a live feed agree under concurrent writes (sanity)', async () => {
  const c = makeClient(srv, t.admin_token);
  try {
    const feed = c.subscribe('products', { batchMs: 50 });
    await feed.ready;
    await Promise.all([0, 1, 2].map(async (k) => {
      const w = new Writer(srv, t.admin_token, { seed: 99 + k, prefix: `k${k}_` });
      for (let i = 0; i < 15; i++) await w.step();
    }));
    const expected = await freshSync(srv, t.admin_token);
    assert.ok(await eventually(() => JSON.stringify(feed.records()) === JSON.stringify(expected)));
  } finally {
    c.close();
  }
});
