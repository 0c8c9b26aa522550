// Sale timers (SPEC §2, docs/api.md Commerce): a product whose sale starts
// or ends by the clock gets a new version and a change event (origin
// sale_timer) at that instant, with no request; transitions that fell while
// the server was down are applied when it starts; a limited sale ends with
// the order that sells its last sale unit.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sleep } from './lib/server.mjs';
import { create, isoIn, DAY } from './lib/check.mjs';
import { View, LiveSocket, subscribeOk, eventually } from './lib/live.mjs';
import { capi, order, item, getProduct, assertCorrections } from './lib/commerce.mjs';

// How late a transition may arrive: with room for a slow (sanitized) run on
// a busy machine, still far below the gaps between the instants tested.
const LATE_MS = 3000;
const EARLY_MS = 20; // clock granularity allowance before the instant

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

// Waits for a change of product `id` on `sock` whose data matches pred;
// resolves {change, at} with the arrival time.
async function nextChange(sock, id, pred, { from = 0, timeout = 30000, what } = {}) {
  const m = await sock.waitFor((x) => x.type === 'changes' && x.changes.some((c) => c.id === id && c.data && pred(c.data)),
    { from, timeout, what: what ?? `change of ${id}` });
  const at = Date.now();
  return { change: m.changes.find((c) => c.id === id && c.data && pred(c.data)), at, msg: m };
}

function changesOf(sock, id) {
  return sock.items.filter((m) => m.type === 'changes').flatMap((m) => m.changes.filter((c) => c.id === id));
}

test('a sale starts and ends by the clock: live subscribers get each new version on time', { timeout: 30000 }, async () => {
  const t = await srv.createTenant('timer-shop');
  const admin = capi(srv.url, t.admin_token);
  // Subscribed before the product exists: however slow the setup, the
  // clock starts only when the product is made, and v1 arrives live.
  const id = 'timer_flash';
  const socks = {
    admin: await LiveSocket.connect(srv.url, t.admin_token),
    public: await LiveSocket.connect(srv.url, t.public_token),
  };
  const views = {};
  for (const [role, s] of Object.entries(socks)) {
    views[role] = new View(`ws ${role}`);
    await subscribeOk(s, { sub: 'f', topic: 'products', filter: { ids: [id] }, batch_ms: 0 }, views[role]);
  }
  const startsAt = isoIn(2000);
  const endsAt = isoIn(5000);
  const p = await create(admin, 'products', {
    id, title: 'Flash', price: 1000, status: 'active', variants: [{ sku: 'FLASH', options: {}, stock: 5 }],
    sale: { kind: 'percent', value: 50, starts_at: startsAt, ends_at: endsAt },
  });
  assert.equal(p.on_sale, false);
  assert.equal(p.price_now, 1000);
  try {
    for (const [role, s] of Object.entries(socks)) {
      const { change, at } = await nextChange(s, p.id, (d) => d.on_sale === true, { what: `${role}: sale start` });
      assert.ok(at >= Date.parse(startsAt) - EARLY_MS, `${role}: on_sale before starts_at (${at - Date.parse(startsAt)} ms)`);
      assert.ok(at <= Date.parse(startsAt) + LATE_MS, `${role}: sale start arrived ${at - Date.parse(startsAt)} ms late`);
      assert.equal(change.version, 2);
      assert.equal(change.origin, 'sale_timer');
      assert.equal(change.data.price_now, 500);
      assert.equal(change.data.variants[0].price_now, 500);
    }
    for (const [role, s] of Object.entries(socks)) {
      const { change, at } = await nextChange(s, p.id, (d) => d.on_sale === false && d.version > 2, { what: `${role}: sale end` });
      assert.ok(at >= Date.parse(endsAt) - EARLY_MS, `${role}: sale ended before ends_at (${at - Date.parse(endsAt)} ms)`);
      assert.ok(at <= Date.parse(endsAt) + LATE_MS, `${role}: sale end arrived ${at - Date.parse(endsAt)} ms late`);
      assert.equal(change.version, 3);
      assert.equal(change.origin, 'sale_timer');
      assert.equal(change.data.price_now, 1000);
    }
    await sleep(500); // a stray extra version would show here
    for (const [role, s] of Object.entries(socks)) {
      assert.deepEqual(changesOf(s, p.id).map((c) => [c.version, c.data.on_sale]), [[1, false], [2, true], [3, false]], `${role}: versions`);
      assert.deepEqual(views[role].violations, []);
    }
    const g = await getProduct(admin, p.id);
    assert.equal(g.version, 3);
    assert.equal(g.on_sale, false);
    assert.equal(g.price_now, 1000);
    assert.deepEqual(views.admin.records.get(p.id).data, g, 'the live state equals a fresh read');
  } finally {
    for (const s of Object.values(socks)) await s.close();
  }
});

test('SIGKILL between start and end: after restart the ended sale shows with a new version', { timeout: 40000 }, async () => {
  const t = await srv.createTenant('timer-crash');
  let admin = capi(srv.url, t.admin_token);
  const startsAt = isoIn(1500);
  const endsAt = isoIn(3500);
  const p = await create(admin, 'products', {
    title: 'Crash sale', price: 2000, status: 'active', variants: [{ sku: 'CRASH', options: {}, stock: 5 }],
    sale: { kind: 'amount', value: 500, starts_at: startsAt, ends_at: endsAt },
  });
  // a second product whose sale starts while the server is down
  const q = await create(admin, 'products', {
    title: 'Starts while down', price: 2000, status: 'active', variants: [{ sku: 'DOWN', options: {}, stock: 5 }],
    sale: { kind: 'fixed_price', value: 1200, starts_at: isoIn(2800), ends_at: isoIn(DAY) },
  });
  let sock = await LiveSocket.connect(srv.url, t.admin_token);
  const view = new View('ws crash');
  await subscribeOk(sock, { sub: 'c', topic: 'products', batch_ms: 0 }, view);
  const { change } = await nextChange(sock, p.id, (d) => d.on_sale === true, { what: 'sale start' });
  assert.equal(change.version, 2);
  assert.equal(change.data.price_now, 1500);
  const cursorAfterStart = view.cursor;
  await sleep(Math.max(0, Date.parse(startsAt) + 500 - Date.now()));
  await srv.kill9();
  sock.terminate();
  await sleep(Math.max(0, Date.parse(endsAt) + 500 - Date.now()));
  await srv.start();
  admin = capi(srv.url, t.admin_token);
  const settled = await eventually(async () => {
    const g = await getProduct(admin, p.id);
    return g.version >= 3 && g.on_sale === false ? g : null;
  }, { interval: 50 });
  assert.ok(settled, `after restart the sale that ended while down is not applied: ${JSON.stringify(await getProduct(admin, p.id)).slice(0, 400)}`);
  assert.equal(settled.version, 3);
  assert.equal(settled.price_now, 2000);
  const gq = await getProduct(admin, q.id);
  assert.equal(gq.on_sale, true);
  assert.equal(gq.price_now, 1200);
  assert.equal(gq.version, 2, 'a sale that started while down: one new version');
  // a subscriber resuming from its cursor gets the new versions, from the timer
  sock = await LiveSocket.connect(srv.url, t.admin_token);
  try {
    await subscribeOk(sock, { sub: 'c', topic: 'products', since: cursorAfterStart, batch_ms: 0 }, view);
    await eventually(() => view.records.get(p.id)?.version === 3 && view.records.get(q.id)?.version === 2);
    assert.equal(view.records.get(p.id)?.version, 3);
    assert.equal(view.records.get(p.id).data.on_sale, false);
    assert.equal(view.records.get(q.id)?.version, 2);
    const resumed = changesOf(sock, p.id);
    assert.ok(resumed.length > 0 && resumed.every((c) => c.origin === 'sale_timer'), JSON.stringify(resumed.map((c) => c.origin)));
    assert.deepEqual(view.violations, []);
  } finally {
    await sock.close();
  }
});

test('a limited sale ends with the order that sells its last sale unit', { timeout: 20000 }, async () => {
  const t = await srv.createTenant('timer-limited');
  const admin = capi(srv.url, t.admin_token);
  const pub = capi(srv.url, t.public_token);
  const p = await create(admin, 'products', {
    title: 'Limited', price: 1000, status: 'active', variants: [{ sku: 'LTD', options: {}, stock: 10 }],
    sale: { kind: 'fixed_price', value: 600, starts_at: isoIn(-DAY), ends_at: isoIn(DAY), stock_limit: 2 },
  });
  assert.equal(p.on_sale, true);
  assert.equal(p.price_now, 600);
  const sock = await LiveSocket.connect(srv.url, t.admin_token);
  try {
    const view = new View('ws limited');
    await subscribeOk(sock, { sub: 'l', topic: 'products', filter: { ids: [p.id] }, batch_ms: 0 }, view);
    const first = await order(pub, { items: [item(p, 0, 1)] });
    assert.equal(first.status, 201, first.text);
    let g = await getProduct(admin, p.id);
    assert.equal(g.version, 2);
    assert.equal(g.sale.sold, 1);
    assert.equal(g.on_sale, true, 'one of two sale units left');
    const last = await order(pub, { items: [item(p, 0, 1)] });
    assert.equal(last.status, 201, last.text);
    assert.equal(last.body.total, 600, 'the last sale unit sells at the sale price');
    g = await getProduct(admin, p.id);
    assert.equal(g.version, 3, 'the order makes exactly one new version');
    assert.equal(g.sale.sold, 2);
    assert.equal(g.on_sale, false, 'the sale ends with its last unit');
    assert.equal(g.price_now, 1000);
    assert.equal(g.variants[0].stock, 8);
    const { change } = await nextChange(sock, p.id, (d) => d.version === 3, { what: 'the order\'s product version' });
    assert.equal(change.data.on_sale, false, "the order's resulting product version is off sale");
    assert.equal(change.data.price_now, 1000);
    // next order at the regular price; the sale price is a correction
    const stale = await order(pub, { items: [item(p, 0, 1, 600)] });
    assert.equal(stale.status, 409, stale.text);
    assert.equal(stale.body.corrections[0].field, 'sale');
    const regular = await order(pub, { items: [item(p, 0, 1, 1000)] });
    assert.equal(regular.status, 201, regular.text);
    assert.equal(regular.body.total, 1000);
    // cancelling a sale-price order does not reopen the sale
    const c = await admin.post(`/api/orders/${last.body.id}/cancel`);
    assert.equal(c.status, 200, c.text);
    g = await getProduct(admin, p.id);
    assert.equal(g.sale.sold, 2, 'units counted into a limited sale stay counted');
    assert.equal(g.on_sale, false);
    // wait for the cancel's version to arrive rather than a fixed pause
    await nextChange(sock, p.id, (d) => d.version === 5, { what: 'the cancel\'s product version' });
    assert.deepEqual(changesOf(sock, p.id).map((x) => [x.version, x.data?.on_sale]),
      [[1, true], [2, true], [3, false], [4, false], [5, false]], 'one version per order and cancel, none on sale after the limit');
    assert.deepEqual(view.violations, []);
  } finally {
    await sock.close();
  }
});

test('a limited sale within a bigger order: only the sale units count, the rest at full price is a correction', async () => {
  const t = await srv.createTenant('timer-limited-2');
  const admin = capi(srv.url, t.admin_token);
  const p = await create(admin, 'products', {
    title: 'Limited 2', price: 1000, status: 'active', variants: [{ sku: 'LTD2', options: {}, stock: 10 }],
    sale: { kind: 'percent', value: 10, stock_limit: 3 },
  });
  assertCorrections(await order(admin, { items: [item(p, 0, 4)] }), [{ index: 0, field: 'sale', expected: 4, actual: 3 }]);
  const ok = await order(admin, { items: [item(p, 0, 3)] });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.total, 2700);
  const g = await getProduct(admin, p.id);
  assert.equal(g.sale.sold, 3);
  assert.equal(g.on_sale, false);
});

test('a rescheduled or removed sale fires at its new instant only, never at the old one', { timeout: 30000 }, async () => {
  const t = await srv.createTenant('timer-resched');
  const admin = capi(srv.url, t.admin_token);
  const MPH = { contentType: 'application/merge-patch+json' };
  const mk = (title, startsIn) => create(admin, 'products', {
    title, price: 1000, status: 'active', variants: [{ sku: title, options: {}, stock: 5 }],
    sale: { kind: 'percent', value: 10, starts_at: isoIn(startsIn), ends_at: isoIn(DAY) },
  });
  const sock = await LiveSocket.connect(srv.url, t.admin_token);
  try {
    const view = new View('ws resched');
    await subscribeOk(sock, { sub: 'r', topic: 'products', batch_ms: 0 }, view);
    // made after subscribing, so only four requests lie between the old
    // instant being set and it being moved or removed
    const moved = await mk('MOVED', 2500);
    const removed = await mk('REMOVED', 2500);
    const newStart = isoIn(4500);
    const r1 = await admin.patch(`/api/products/${moved.id}`, { sale: { starts_at: newStart } }, MPH);
    assert.equal(r1.status, 200, r1.text);
    assert.equal(r1.body.version, 2);
    const r2 = await admin.patch(`/api/products/${removed.id}`, { sale: null }, MPH);
    assert.equal(r2.status, 200, r2.text);
    assert.equal(r2.body.version, 2);
    const { change, at } = await nextChange(sock, moved.id, (d) => d.on_sale === true, { what: 'rescheduled start' });
    assert.ok(at >= Date.parse(newStart) - EARLY_MS, `the sale started ${Date.parse(newStart) - at} ms before its new starts_at`);
    assert.ok(at <= Date.parse(newStart) + LATE_MS, `rescheduled start ${at - Date.parse(newStart)} ms late`);
    assert.equal(change.version, 3);
    await sleep(300);
    assert.deepEqual(changesOf(sock, moved.id).map((c) => [c.version, c.data.on_sale]), [[1, false], [2, false], [3, true]],
      'no version from the old instant');
    assert.deepEqual(changesOf(sock, removed.id).map((c) => [c.version, c.data.on_sale]), [[1, false], [2, false]],
      'a removed sale makes no version at its old instant');
    assert.equal((await getProduct(admin, removed.id)).version, 2);
    assert.deepEqual(view.violations, []);
  } finally {
    await sock.close();
  }
});

test('timers of future transitions are armed again after a restart', { timeout: 30000 }, async () => {
  const t = await srv.createTenant('timer-rearm');
  let admin = capi(srv.url, t.admin_token);
  // far enough ahead that a slow (sanitized) stop and start fit before it
  const startsAt = isoIn(9000);
  const p = await create(admin, 'products', {
    title: 'Rearm', price: 1000, status: 'active', variants: [{ sku: 'REARM', options: {}, stock: 5 }],
    sale: { kind: 'percent', value: 25, starts_at: startsAt },
  });
  await srv.restart(); // SIGTERM and start again, well before starts_at
  assert.ok(Date.now() < Date.parse(startsAt) - 500, 'the restart took too long for this test');
  admin = capi(srv.url, t.admin_token);
  const sock = await LiveSocket.connect(srv.url, t.public_token);
  try {
    const view = new View('ws rearm');
    await subscribeOk(sock, { sub: 'a', topic: 'products', filter: { ids: [p.id] }, batch_ms: 0 }, view);
    assert.equal(view.records.get(p.id)?.data.on_sale, false);
    const { change, at } = await nextChange(sock, p.id, (d) => d.on_sale === true, { what: 'start after restart' });
    assert.ok(at >= Date.parse(startsAt) - EARLY_MS, `started ${Date.parse(startsAt) - at} ms early`);
    assert.ok(at <= Date.parse(startsAt) + LATE_MS, `started ${at - Date.parse(startsAt)} ms late`);
    assert.equal(change.version, 2);
    assert.equal(change.data.price_now, 750);
    assert.equal(change.origin, 'sale_timer');
  } finally {
    await sock.close();
  }
});

test('a pending sale timer neither resurrects a deleted product nor shows a draft to shoppers', { timeout: 30000 }, async () => {
  const t = await srv.createTenant('timer-deleted');
  const admin = capi(srv.url, t.admin_token);
  const MPH = { contentType: 'application/merge-patch+json' };
  let startsAt;
  const mk = (title) => create(admin, 'products', {
    title, price: 1000, status: 'active', variants: [{ sku: title, options: {}, stock: 5 }],
    sale: { kind: 'percent', value: 10, starts_at: startsAt },
  });
  const pubSock = await LiveSocket.connect(srv.url, t.public_token);
  const adminSock = await LiveSocket.connect(srv.url, t.admin_token);
  try {
    const pv = new View('ws public');
    const av = new View('ws admin');
    await subscribeOk(pubSock, { sub: 'p', topic: 'products', batch_ms: 0 }, pv);
    await subscribeOk(adminSock, { sub: 'a', topic: 'products', batch_ms: 0 }, av);
    // made after subscribing, so only the writes below lie before starts_at
    startsAt = isoIn(2000);
    const gone = await mk('GONE');
    const drafted = await mk('DRAFTED');
    const control = await mk('CONTROL');
    assert.equal((await admin.del(`/api/products/${gone.id}`)).status, 204);
    const d = await admin.patch(`/api/products/${drafted.id}`, { status: 'draft' }, MPH);
    assert.equal(d.status, 200, d.text);
    await nextChange(adminSock, control.id, (x) => x.on_sale === true, { what: 'control start' });
    await sleep(500);
    assertProblemLike(await admin.get(`/api/products/${gone.id}`), 404);
    assert.equal(av.records.has(gone.id), false, 'the deleted product came back on the admin stream');
    assert.deepEqual(changesOf(adminSock, gone.id).map((c) => c.op), ['upsert', 'delete'], 'no change for a deleted product after its delete');
    assert.deepEqual(changesOf(pubSock, drafted.id).map((c) => c.op), ['upsert', 'delete'], 'a draft reached a shopper through its sale timer');
    assert.equal(pv.records.has(drafted.id), false);
    assertProblemLike(await capi(srv.url, t.public_token).get(`/api/products/${drafted.id}`), 404);
    assert.deepEqual(av.violations, []);
    assert.deepEqual(pv.violations, []);
  } finally {
    await pubSock.close();
    await adminSock.close();
  }
});

function assertProblemLike(res, status) {
  assert.equal(res.status, status, `${res.status} ${res.text.slice(0, 200)}`);
}
