// SPEC §5: stock never goes below zero for a tracked variant without
// backorder, whatever the concurrency. 200 clients race for the last unit;
// M clients order random quantities of N units; backorder and untracked
// variants lose no update under the same load.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, rng } from './lib/server.mjs';
import { create, listAll } from './lib/check.mjs';
import {
  capi, order, item, assertCorrections, getProduct, movementsOf, ledgerProblems, sum, burst,
} from './lib/commerce.mjs';

let srv;
let admin;
let pub;

before(async () => {
  srv = await startServer();
  const t = await srv.createTenant('race-shop');
  admin = capi(srv.url, t.admin_token);
  pub = capi(srv.url, t.public_token);
});
after(async () => { await srv?.stop(); });

function ordersOf(orders, variantId) {
  return orders.filter((o) => o.items.some((it) => it.variant_id === variantId));
}

test('200 concurrent clients, last unit: exactly one order, 199 stock corrections, stock 0', { timeout: 60000 }, async () => {
  const p = await create(admin, 'products', { title: 'Last unit', price: 990, status: 'active', variants: [{ sku: 'LAST-1', options: {}, stock: 1 }] });
  const it = item(p, 0, 1);
  const results = await burst(200, (i) => order(i % 2 ? pub : admin, { items: [it] }, { key: `last-unit-${i}` }));
  const created = results.filter((r) => r.status === 201);
  const rejected = results.filter((r) => r.status === 409);
  const other = results.filter((r) => r.status !== 201 && r.status !== 409).map((r) => `${r.status} ${r.text.slice(0, 200)}`);
  assert.deepEqual(other, [], 'answers other than 201/409');
  assert.equal(created.length, 1, `${created.length} orders created for the last unit`);
  assert.equal(rejected.length, 199);
  for (const r of rejected) {
    assertCorrections(r, [{ index: 0, field: 'stock', expected: 1, actual: 0 }], 'losing racer');
  }
  const o = created[0].body;
  assert.equal(o.status, 'placed');
  assert.deepEqual(o.items.map((x) => [x.variant_id, x.qty, x.unit_price, x.line_total]), [[p.variants[0].id, 1, 990, 990]]);
  assert.equal(o.total, 990);

  const after = await getProduct(admin, p.id);
  assert.equal(after.variants[0].stock, 0, 'stock after the race');
  assert.equal(after.stock_total, 0);
  assert.equal(after.stock_status, 'sold_out');
  const orders = ordersOf(await listAll(admin, '/api/orders'), p.variants[0].id);
  assert.deepEqual(orders.map((x) => x.id), [o.id], 'exactly one stored order for the variant');
  const movs = await movementsOf(admin, p.variants[0].id);
  assert.deepEqual(movs.map((m) => [m.reason, m.delta, m.stock_after, m.order_id ?? null]).sort(),
    [['adjustment', 1, 1, null], ['sale', -1, 0, o.id]].sort(), 'movements');
  assert.ok(movs.every((m) => m.stock_after >= 0), 'a movement went below zero');
});

test('N units, M clients with random quantities: the created orders sum to exactly N', { timeout: 60000 }, async () => {
  const N = 100;
  const M = 120;
  const rand = rng(4242);
  const p = await create(admin, 'products', {
    title: 'Contended', price: 250, status: 'active',
    options: [{ name: 'size', values: ['S', 'M'] }],
    variants: [{ sku: 'CONT-S', options: { size: 'S' }, stock: N }, { sku: 'CONT-M', options: { size: 'M' }, stock: 7 }],
  });
  const qtys = Array.from({ length: M }, () => 1 + Math.floor(rand() * 5));
  assert.ok(sum(qtys) > 2 * N, 'the demand must exceed the stock');
  const phase1 = await burst(M, (i) => order(admin, { items: [item(p, 0, qtys[i])] }, { key: `rand-${i}` }));
  let sold = 0;
  const created = [];
  for (let i = 0; i < M; i++) {
    const r = phase1[i];
    if (r.status === 201) {
      assert.equal(r.body.items[0].qty, qtys[i]);
      assert.equal(r.body.total, qtys[i] * 250);
      sold += qtys[i];
      created.push(r.body.id);
    } else {
      assert.equal(r.status, 409, `client ${i}: ${r.status} ${r.text.slice(0, 300)}`);
      const b = r.body;
      assert.equal(b.code, 'checkout_corrections');
      assert.equal(b.corrections.length, 1, JSON.stringify(b.corrections));
      const c = b.corrections[0];
      assert.equal(c.index, 0);
      assert.equal(c.field, 'stock');
      assert.equal(c.expected, qtys[i]);
      assert.ok(Number.isInteger(c.actual) && c.actual >= 0 && c.actual < qtys[i],
        `client ${i} asked ${qtys[i]} and was told ${c.actual} are available`);
    }
  }
  assert.ok(sold <= N, `sold ${sold} of ${N}`);
  let p1 = await getProduct(admin, p.id);
  assert.equal(p1.variants[0].stock, N - sold, 'stock after phase 1');
  assert.ok(N - sold < 5, `${N - sold} units left although every client asked at most 5`);
  // phase 2: single units, concurrently, take whatever is left
  const left = N - sold;
  const phase2 = await burst(20, (i) => order(pub, { items: [item(p, 0, 1)] }, { key: `single-${i}` }));
  const ok2 = phase2.filter((r) => r.status === 201);
  assert.equal(ok2.length, left, `${left} units left, ${ok2.length} single-unit orders created`);
  for (const r of phase2) {
    if (r.status === 201) created.push(r.body.id);
    else assertCorrections(r, [{ index: 0, field: 'stock', expected: 1, actual: 0 }], 'phase 2');
  }
  const orders = ordersOf(await listAll(admin, '/api/orders'), p.variants[0].id);
  assert.deepEqual(orders.map((o) => o.id).sort(), created.sort(), 'stored orders = created orders');
  assert.equal(sum(orders.map((o) => o.items[0].qty)), N, 'the created orders sum to exactly N');
  p1 = await getProduct(admin, p.id);
  assert.equal(p1.variants[0].stock, 0);
  assert.equal(p1.variants[1].stock, 7, 'the other variant is untouched');
  const movs = await movementsOf(admin, p.variants[0].id);
  assert.deepEqual(ledgerProblems(movs, 0, 'S'), []);
  assert.equal(movs.filter((m) => m.reason === 'sale').length, created.length, 'one sale movement per order');
  const byOrder = new Map(orders.map((o) => [o.id, o.items[0].qty]));
  for (const m of movs.filter((x) => x.reason === 'sale')) {
    assert.equal(m.delta, -byOrder.get(m.order_id), `sale movement ${m.id} of order ${m.order_id}`);
  }
  assert.ok(movs.every((m) => m.stock_after >= 0), 'a movement went below zero');
  assert.deepEqual(ledgerProblems(await movementsOf(admin, p.variants[1].id), 7, 'M'), []);
});

test('backorder and untracked variants: 150 concurrent orders, no lost update', { timeout: 60000 }, async () => {
  const back = await create(admin, 'products', { title: 'Backorder', price: 100, status: 'active', allow_backorder: true, variants: [{ sku: 'BO-1', options: {}, stock: 3 }] });
  const untracked = await create(admin, 'products', { title: 'Untracked', price: 100, status: 'active', track_inventory: false, variants: [{ sku: 'UT-1', options: {}, stock: 2 }] });
  const results = await burst(150, (i) => order(admin, { items: [item(back, 0, 2), item(untracked, 0, 5)] }, { key: `bo-${i}` }));
  const bad = results.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.text.slice(0, 200)}`);
  assert.deepEqual(bad, [], 'backorder/untracked orders must all succeed');
  const numbers = results.map((r) => r.body.number).sort((a, b) => a - b);
  assert.equal(new Set(numbers).size, 150, 'order numbers are unique');
  for (let i = 1; i < numbers.length; i++) assert.equal(numbers[i], numbers[i - 1] + 1, 'order numbers have no gaps');
  const b = await getProduct(admin, back.id);
  assert.equal(b.variants[0].stock, 3 - 300, 'backorder stock = 3 − 2·150');
  assert.equal(b.stock_status, 'sold_out');
  const u = await getProduct(admin, untracked.id);
  assert.equal(u.variants[0].stock, 2, 'an untracked variant keeps its stock');
  assert.equal(u.stock_status, 'in_stock');
  const bm = await movementsOf(admin, back.variants[0].id);
  assert.equal(bm.length, 151);
  assert.deepEqual(ledgerProblems(bm, -297, 'backorder'), []);
  const um = await movementsOf(admin, untracked.variants[0].id);
  assert.deepEqual(um.map((m) => [m.reason, m.delta]), [['adjustment', 2]], 'orders of an untracked variant append no movement');
});

test('a limited sale under 60 concurrent sale-price orders: exactly stock_limit units sell at the sale price', { timeout: 60000 }, async () => {
  const p = await create(admin, 'products', {
    title: 'Doorbuster', price: 1000, status: 'active', variants: [{ sku: 'DOOR', options: {}, stock: 100 }],
    sale: { kind: 'fixed_price', value: 100, stock_limit: 7 },
  });
  assert.equal(p.price_now, 100);
  const results = await burst(60, (i) => order(pub, { items: [item(p, 0, 1 + (i % 2))] }, { key: `door-${i}` }));
  let soldAtSale = 0;
  for (const [i, r] of results.entries()) {
    const qty = 1 + (i % 2);
    if (r.status === 201) {
      assert.equal(r.body.items[0].unit_price, 100);
      soldAtSale += qty;
    } else {
      assert.equal(r.status, 409, r.text.slice(0, 300));
      assert.equal(r.body.corrections.length, 1, JSON.stringify(r.body.corrections));
      const c = r.body.corrections[0];
      assert.equal(c.field, 'sale', JSON.stringify(c));
      // either "fewer sale units left" (units asked / left) or "the sale ended"
      assert.ok((c.expected === qty && Number.isInteger(c.actual) && c.actual < qty && c.actual >= 0)
        || (c.expected === true && c.actual === false), JSON.stringify(c));
    }
  }
  const after = await getProduct(admin, p.id);
  assert.ok(soldAtSale <= 7, `${soldAtSale} units sold at the sale price, stock_limit 7`);
  assert.equal(after.sale.sold, soldAtSale, 'sale.sold counts exactly the units sold at the sale price');
  assert.equal(after.variants[0].stock, 100 - soldAtSale);
  assert.ok(soldAtSale >= 6, `only ${soldAtSale} of 7 sale units sold although 60 clients asked`);
  assert.equal(after.on_sale, soldAtSale < 7);
  assert.deepEqual(ledgerProblems(await movementsOf(admin, p.variants[0].id), 100 - soldAtSale, 'DOOR'), []);
});
