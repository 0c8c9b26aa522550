// Figures (SPEC §5): GET /api/stats equals a recomputation from the orders,
// bills and products after a randomized mix of orders, cancels, confirms,
// payments and manual bills, in UTC and in zones far from it; who may read
// them; bad queries; and the `stats` live topic, which pushes new figures
// after an order, a cancel and a payment, at the shop's midnight, and when a
// bill falls overdue (the server's clock is put just before midnight with
// `serve --clock-offset`).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sleep, rng } from './lib/server.mjs';
import { create, listAll, assertProblem, DAY } from './lib/check.mjs';
import { LiveSocket, View, subscribeOk, eventually, syncSnapshot } from './lib/live.mjs';
import { order, item, newKey, shopWithRoles } from './lib/commerce.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); });

async function server(args = []) {
  const s = await startServer({ args });
  servers.push(s);
  return s;
}

function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: ${res.status} ${res.text.slice(0, 400)}`);
  return res.body;
}

const localDate = (ms, zone) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(ms));
const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

async function newShop(srv, name, zone) {
  const shop = await shopWithRoles(srv, name, ['cust_a', 'cust_b']);
  ok(await shop.admin.patch('/api/shop', { time_zone: zone }), 200, 'set the time zone');
  const products = [];
  for (let i = 0; i < 4; i++) {
    products.push(await create(shop.admin, 'products', {
      title: `Figure ${i}`, sku: `FIG-${i}`, price: 150 + 100 * i, status: i === 3 ? 'draft' : 'active',
      low_stock_threshold: 5, variants: [{ sku: `FIG-${i}`, options: {}, stock: i === 2 ? 3 : 100000 }],
    }));
  }
  return { ...shop, products };
}

// What GET /api/stats must answer for local dates from..to, recomputed from
// the records.
async function expectedStats(shop, zone, from, to, now) {
  const orders = await listAll(shop.admin, '/api/orders');
  const bills = await listAll(shop.admin, '/api/bills');
  const products = await listAll(shop.admin, '/api/products');
  const days = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push({ date: d, orders: 0, revenue: 0 });
  const out = { orders: 0, revenue: 0, items_sold: 0, cancelled: 0 };
  const top = new Map();
  for (const o of orders) {
    const date = localDate(Date.parse(o.status_history[0].at), zone);
    if (date < from || date > to) continue;
    if (o.status === 'cancelled') { out.cancelled += 1; continue; }
    out.orders += 1;
    out.revenue += o.total;
    const day = days.find((d) => d.date === date);
    day.orders += 1;
    day.revenue += o.total;
    for (const it of o.items) {
      out.items_sold += it.qty;
      const p = top.get(it.product_id) ?? { product_id: it.product_id, qty: 0, revenue: 0 };
      p.qty += it.qty;
      p.revenue += it.line_total;
      top.set(it.product_id, p);
    }
  }
  const titles = new Map(products.map((p) => [p.id, p.title]));
  const topProducts = [...top.values()]
    .sort((a, b) => b.qty - a.qty || b.revenue - a.revenue || (a.product_id < b.product_id ? -1 : 1))
    .slice(0, 10)
    .map((p) => ({ product_id: p.product_id, title: titles.get(p.product_id), qty: p.qty, revenue: p.revenue }));
  const open = bills.filter((b) => b.status === 'unpaid' || b.status === 'partially_paid');
  const overdue = open.filter((b) => b.due_at && Date.parse(b.due_at) <= now);
  const owed = (list) => list.reduce((s, b) => s + b.amount - b.paid_amount, 0);
  return {
    ...out,
    average_order: out.orders ? Math.round(out.revenue / out.orders) : 0,
    by_day: days,
    top_products: topProducts,
    stock: {
      products: products.length,
      active: products.filter((p) => p.status === 'active').length,
      low_stock: products.filter((p) => p.stock_status === 'low_stock').length,
      sold_out: products.filter((p) => p.stock_status === 'sold_out').length,
      on_sale: products.filter((p) => p.on_sale).length,
    },
    bills: { unpaid_count: open.length, unpaid_amount: owed(open), overdue_count: overdue.length, overdue_amount: owed(overdue) },
  };
}

function normalize(s) {
  const { orders, revenue, average_order, items_sold, cancelled, by_day, top_products, stock, bills } = s;
  return { orders, revenue, average_order, items_sold, cancelled, by_day, top_products, stock, bills };
}

// A randomized mix of what changes the figures.
async function randomHistory(shop, seed, steps = 45) {
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const placed = [];
  const buyers = [shop.staff, shop.admin, shop.customers.cust_a, shop.customers.cust_b];
  const sellable = shop.products.slice(0, 3);
  for (let step = 0; step < steps; step++) {
    const roll = r();
    if (roll < 0.45 || placed.length === 0) {
      const items = [];
      const n = 1 + Math.floor(r() * 3);
      for (let i = 0; i < n; i++) items.push(item(pick(sellable), 0, 1 + Math.floor(r() * 4)));
      const res = await order(pick(buyers), { items });
      if (res.status === 201) placed.push(res.body);
      else assert.equal(res.status, 409, `order: ${res.status} ${res.text.slice(0, 300)}`);
    } else if (roll < 0.6) {
      const o = pick(placed);
      const res = await shop.staff.post(`/api/orders/${o.id}/cancel`, undefined, { headers: { 'Idempotency-Key': newKey('c') } });
      assert.ok([200, 409].includes(res.status), `cancel: ${res.status} ${res.text.slice(0, 300)}`);
    } else if (roll < 0.7) {
      const o = pick(placed);
      const res = await shop.staff.post(`/api/orders/${o.id}/confirm`, undefined, { headers: { 'Idempotency-Key': newKey('f') } });
      assert.ok([200, 409].includes(res.status), `confirm: ${res.status} ${res.text.slice(0, 300)}`);
    } else if (roll < 0.85) {
      const open = (await listAll(shop.admin, '/api/bills')).filter((b) => ['unpaid', 'partially_paid'].includes(b.status));
      if (open.length === 0) continue;
      const b = pick(open);
      const left = b.amount - b.paid_amount;
      const amount = r() < 0.5 ? left : Math.max(1, Math.floor(left * r()));
      ok(await shop.service.post(`/api/bills/${b.id}/pay`, { amount, method: 'card' }, { headers: { 'Idempotency-Key': newKey('p') } }), 200, 'pay');
    } else {
      const due = new Date(Date.now() + (r() < 0.5 ? -1 : 1) * (1 + Math.floor(r() * 5)) * DAY).toISOString();
      const body = { customer_id: pick(['cust_a', 'cust_b']), amount: 100 + Math.floor(r() * 5000), due_at: due };
      ok(await shop.admin.post('/api/bills', body, { headers: { 'Idempotency-Key': newKey('b') } }), 201, 'manual bill');
    }
  }
}

for (const zone of ['UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
  test(`GET /api/stats equals a recomputation from the records (${zone}, 3 seeds)`, async () => {
    const srv = await server();
    for (const seed of [1, 2, 3]) {
      const shop = await newShop(srv, `stats-${zone.replace('/', '-')}-${seed}`, zone);
      await randomHistory(shop, seed * 7919 + zone.length);
      const now = Date.now();
      const today = localDate(now, zone);
      const got = ok(await shop.staff.get('/api/stats'), 200, 'stats today');
      assert.deepEqual(normalize(got), await expectedStats(shop, zone, today, today, now), `${zone} seed ${seed} today`);
      const from = addDays(today, -3);
      const to = addDays(today, 1);
      const range = ok(await shop.service.get(`/api/stats?from=${from}&to=${to}`), 200, 'stats range');
      assert.deepEqual(normalize(range), await expectedStats(shop, zone, from, to, Date.now()), `${zone} seed ${seed} range`);
      // The same instant seen from another zone (tz) counts that zone's days.
      const other = zone === 'UTC' ? 'Pacific/Kiritimati' : 'UTC';
      const otherToday = localDate(Date.now(), other);
      const inOther = ok(await shop.admin.get(`/api/stats?tz=${encodeURIComponent(other)}&from=${addDays(otherToday, -1)}&to=${otherToday}`), 200, 'stats tz');
      assert.deepEqual(normalize(inOther), await expectedStats(shop, other, addDays(otherToday, -1), otherToday, Date.now()), `${zone} seed ${seed} in ${other}`);
    }
  });
}

test('figures: admin, staff, service read them; customer and public are refused; bad queries answer 400', async () => {
  const srv = await server();
  const shop = await shopWithRoles(srv, 'stats-access', ['cust_a']);
  const s = ok(await shop.admin.get('/api/stats'), 200, 'admin');
  assert.equal(s.orders, 0);
  assert.equal(s.by_day.length, 1);
  assertProblem(await shop.customers.cust_a.get('/api/stats'), 403, 'forbidden');
  assertProblem(await shop.pub.get('/api/stats'), 403, 'forbidden');
  const r = await shop.staff.get('/api/stats');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  for (const [query, word] of [['from=2024-02-30', 'from'], ['to=yesterday', 'to'], ['tz=Mars/Olympus', 'tz'],
    ['from=2024-03-02&to=2024-03-01', 'from'], ['from=2020-01-01&to=2024-01-01', 'days'], ['days=3', 'days']]) {
    const res = await shop.staff.get(`/api/stats?${query}`);
    assertProblem(res, 400, 'bad_query');
    assert.match(res.body.detail, new RegExp(word), `${query}: ${res.body.detail}`);
  }
  const year = ok(await shop.staff.get('/api/stats?from=2024-01-01&to=2024-12-31'), 200, 'a leap year');
  assert.equal(year.by_day.length, 366);
  assertProblem(await shop.admin.post('/api/stats', {}), 403);
  const sock = await LiveSocket.connect(srv.url, shop.t.custAToken ?? shop.tokens.cust_a);
  const m = await sock.subscribe({ sub: 's', topic: 'stats' });
  assert.equal(m.type, 'error', JSON.stringify(m));
  await sock.close();
});

async function statsView(srv, token) {
  const sock = await LiveSocket.connect(srv.url, token);
  const view = new View('stats', { topic: 'stats' });
  await subscribeOk(sock, { sub: 'st', topic: 'stats' }, view);
  return { sock, view, get: (id) => view.records.get(id)?.data };
}

test('a shop whose figures nobody follows has none in its log; its first subscriber gets them at once', async () => {
  const srv = await server();
  const shop = await newShop(srv, 'stats-unfollowed', 'UTC');
  ok(await order(shop.customers.cust_a, { items: [item(shop.products[0], 0, 1)] }), 201, 'order');
  await sleep(1000); // four publisher windows
  const all = await syncSnapshot(shop.admin); // every collection the admin reads
  assert.equal(all.state.get('stats')?.size ?? 0, 0, 'figures written for a shop nobody follows');
  const live = await statsView(srv, shop.t.admin_token);
  assert.ok(await eventually(() => live.get('today')?.orders === 1, { timeout: 10000 }), 'first subscriber');
  const again = await syncSnapshot(shop.admin);
  assert.equal(again.state.get('stats').get('today').orders, 1);
  await live.sock.close();
});

test('the stats topic pushes new figures after an order, a cancel and a payment', async () => {
  const srv = await server();
  const shop = await newShop(srv, 'stats-live', 'Europe/Berlin');
  const live = await statsView(srv, shop.t.admin_token);
  await eventually(() => live.get('today') && live.get('last_30_days'), { timeout: 10000 });
  assert.equal(live.get('today').orders, 0);
  const o = ok(await order(shop.customers.cust_a, { items: [item(shop.products[0], 0, 2)] }), 201, 'order');
  assert.ok(await eventually(() => live.get('today').orders === 1 && live.get('last_30_days').orders === 1, { timeout: 10000 }), 'order pushed');
  assert.equal(live.get('today').revenue, o.total);
  assert.equal(live.get('today').bills.unpaid_amount, o.total);
  assert.equal(live.get('today').next_change_at, undefined);
  const [b] = await listAll(shop.admin, `/api/bills?order_id=${o.id}`);
  ok(await shop.staff.post(`/api/bills/${b.id}/pay`, { amount: 100, method: 'cash' }, { headers: { 'Idempotency-Key': newKey('p') } }), 200, 'pay');
  assert.ok(await eventually(() => live.get('today').bills.unpaid_amount === o.total - 100, { timeout: 10000 }), 'payment pushed');
  ok(await shop.staff.post(`/api/orders/${o.id}/cancel`, undefined, { headers: { 'Idempotency-Key': newKey('c') } }), 200, 'cancel');
  assert.ok(await eventually(() => live.get('today').cancelled === 1 && live.get('today').orders === 0, { timeout: 10000 }), 'cancel pushed');
  assert.deepEqual(normalize(live.get('today')), normalize(ok(await shop.admin.get('/api/stats'), 200, 'stats')));
  assert.deepEqual(live.view.violations, []);
  await live.sock.close();
});

test('at the shop\'s midnight `today` starts again, and a bill falling due becomes overdue', async () => {
  const zone = 'Pacific/Kiritimati';
  // The server's clock 12 s before the next midnight in the shop's zone.
  const tomorrow = addDays(localDate(Date.now(), zone), 1);
  const midnight = Date.parse(`${tomorrow}T00:00:00+14:00`);
  const lead = 12000;
  const offset = midnight - lead - Date.now();
  const srv = await server(['--clock-offset', String(offset)]);
  const serverNow = () => Date.now() + offset;
  const shop = await newShop(srv, 'stats-midnight', zone);
  ok(await order(shop.staff, { items: [item(shop.products[0], 0, 1)] }), 201, 'order before midnight');
  const due = serverNow() + 3000;
  ok(await shop.admin.post('/api/bills', { customer_id: 'cust_a', amount: 990, due_at: new Date(due).toISOString() }, { headers: { 'Idempotency-Key': newKey('b') } }), 201, 'bill');
  assert.ok(serverNow() < due - 500, 'the setup took too long for this test');
  const live = await statsView(srv, shop.t.admin_token);
  assert.ok(await eventually(() => live.get('today')?.orders === 1 && live.get('today').bills.unpaid_count === 1, { timeout: 5000 }));
  assert.equal(live.get('today').bills.overdue_count, 0);
  assert.ok(await eventually(() => live.get('today').bills.overdue_count === 1, { timeout: 10000 }), 'overdue pushed');
  assert.equal(live.get('today').bills.overdue_amount, 990);
  assert.equal(live.get('today').by_day[0].date, addDays(tomorrow, -1));
  assert.ok(await eventually(() => live.get('today').orders === 0, { timeout: lead + 10000 }), 'midnight pushed');
  assert.equal(live.get('today').by_day[0].date, tomorrow);
  assert.equal(live.get('last_30_days').orders, 1, 'yesterday is still in the last 30 days');
  assert.deepEqual(live.view.violations, []);
  await live.sock.close();
});
