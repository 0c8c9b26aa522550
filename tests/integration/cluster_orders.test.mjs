// Several servers on one database (SPEC §5, §8, PostgreSQL): orders placed
// through different nodes at once. 200 clients race for the last unit
// through 3 nodes (exactly one order); 60 orders of a well-stocked product
// through 3 nodes get unique order numbers 1, 2, 3, …; an Idempotency-Key
// sent to two nodes (one after the other, and to all three at once) makes
// one order and gets the same answer everywhere.
//
// Runs only with SHELFSYNC_TEST_PG.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, NEEDS_PG } from './lib/server.mjs';
import { create, listAll } from './lib/check.mjs';
import {
  capi, order, item, assertCorrections, getProduct, movementsOf, ledgerProblems, burst, newKey,
} from './lib/commerce.mjs';

let cluster;
let admins; // one admin client per node
let pubs; // one public client per node

before(async () => {
  if (NEEDS_PG) return;
  cluster = await startCluster({ nodes: 3 });
  const t = await cluster.createTenant('cluster-orders');
  admins = cluster.nodes.map((n) => capi(n.url, t.admin_token));
  pubs = cluster.nodes.map((n) => capi(n.url, t.public_token));
});
after(async () => { await cluster?.stop(); });

const stocked = (sku, stock) => create(admins[0], 'products', {
  title: `Cluster ${sku}`, price: 990, status: 'active', variants: [{ sku, options: {}, stock }],
});

test('200 concurrent orders for the last unit through 3 nodes: exactly one order, stock 0', { skip: NEEDS_PG, timeout: 60000 }, async () => {
  const p = await stocked('CLUSTER-LAST', 1);
  const it = item(p, 0, 1);
  const results = await burst(200, (i) => order((i % 2 ? pubs : admins)[i % 3], { items: [it] }, { key: `cluster-last-${i}` }));
  const other = results.filter((r) => r.status !== 201 && r.status !== 409).map((r) => `${r.status} ${r.text.slice(0, 200)}`);
  assert.deepEqual(other, [], 'answers other than 201/409');
  const created = results.filter((r) => r.status === 201);
  assert.equal(created.length, 1, `${created.length} orders created for the last unit`);
  for (const r of results.filter((x) => x.status === 409)) {
    assertCorrections(r, [{ index: 0, field: 'stock', expected: 1, actual: 0 }], 'losing racer');
  }
  const o = created[0].body;
  for (const admin of admins) {
    const now = await getProduct(admin, p.id);
    assert.deepEqual([now.variants[0].stock, now.stock_status], [0, 'sold_out'], 'stock after the race, read on every node');
  }
  const orders = (await listAll(admins[1], '/api/orders')).filter((x) => x.items.some((i) => i.variant_id === p.variants[0].id));
  assert.deepEqual(orders.map((x) => x.id), [o.id], 'exactly one stored order for the variant');
  const movs = await movementsOf(admins[2], p.variants[0].id);
  assert.deepEqual(movs.map((m) => [m.reason, m.delta, m.stock_after, m.order_id ?? null]).sort(),
    [['adjustment', 1, 1, null], ['sale', -1, 0, o.id]].sort(), 'movements: the initial stock and exactly one sale');
});

test('60 concurrent orders through 3 nodes: every one placed, order numbers unique and without gaps', { skip: NEEDS_PG, timeout: 60000 }, async () => {
  const p = await stocked('CLUSTER-MANY', 1000);
  const results = await burst(60, (i) => order(admins[i % 3], { items: [item(p, 0, 2)] }));
  const bad = results.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.text.slice(0, 200)}`);
  assert.deepEqual(bad, [], 'every order is placed');
  const mine = results.map((r) => r.body.number);
  assert.equal(new Set(mine).size, 60, `order numbers repeat: ${mine.sort((a, b) => a - b).join(',')}`);
  // Across every order of the shop (the first test's one included): 1, 2, 3, …
  const numbers = (await listAll(admins[2], '/api/orders')).map((o) => o.number).sort((a, b) => a - b);
  assert.deepEqual(numbers, numbers.map((_, i) => i + 1), 'the shop\'s order numbers are 1, 2, 3, …');
  const now = await getProduct(admins[1], p.id);
  assert.equal(now.variants[0].stock, 1000 - 120);
  const movs = await movementsOf(admins[0], p.variants[0].id);
  assert.equal(movs.filter((m) => m.reason === 'sale').length, 60, 'one sale movement per order');
  assert.deepEqual(ledgerProblems(movs, 1000 - 120, 'CLUSTER-MANY'), []);
});

test('one Idempotency-Key on different nodes: one order, the same answer from each', { skip: NEEDS_PG, timeout: 60000 }, async () => {
  const p = await stocked('CLUSTER-IDEM', 50);
  const body = { items: [item(p, 0, 3)] };
  // one node after the other
  const key = newKey('cluster-idem');
  const first = await order(admins[0], body, { key });
  assert.equal(first.status, 201, first.text);
  const again = await order(admins[1], body, { key });
  assert.equal(again.status, 201, again.text);
  assert.deepEqual(again.body, first.body, 'the second node answers with the first node\'s order');
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  // all three at once
  const key2 = newKey('cluster-idem-burst');
  const results = await burst(30, (i) => order(admins[i % 3], body, { key: key2 }));
  assert.deepEqual([...new Set(results.map((r) => r.status))], [201],
    `statuses: ${results.map((r) => `${r.status} ${r.text.slice(0, 120)}`).slice(0, 5).join(' | ')}`);
  for (const r of results) assert.deepEqual(r.body, results[0].body, 'every node gives the same answer');
  assert.equal(results.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 29,
    'all but the first answer carry Idempotent-Replayed: true');
  assert.notEqual(results[0].body.id, first.body.id);

  const orders = (await listAll(admins[2], '/api/orders')).filter((o) => o.items.some((i) => i.variant_id === p.variants[0].id));
  assert.deepEqual(orders.map((o) => o.id).sort(), [first.body.id, results[0].body.id].sort(), 'two keys, two orders');
  const movs = await movementsOf(admins[0], p.variants[0].id);
  assert.equal(movs.filter((m) => m.reason === 'sale').length, 2, 'one sale movement per order');
  assert.equal((await getProduct(admins[1], p.id)).variants[0].stock, 50 - 6);
});
