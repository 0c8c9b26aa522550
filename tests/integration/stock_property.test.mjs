// Property test of the stock ledger (docs/api.md, Commerce): with fixed
// seeds, rounds of concurrent orders (random variants and quantities, some
// backorder, some untracked), confirms, cancels, stock/adjust (delta and
// set), stock/sync and product edits of variant stock. Afterwards, for every
// variant: stock == the sum of its movements (which chain from 0), no
// tracked variant without backorder below zero, and the sale and cancel
// movements match the orders exactly.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, rng } from './lib/server.mjs';
import { create, listAll, assertProblem } from './lib/check.mjs';
import {
  capi, order, adjust, stockSync, getProduct, movementsOf, ledgerProblems, burst, MP, sum,
} from './lib/commerce.mjs';

const SEEDS = [101, 202, 303];
const ROUNDS = 6;
const OPS_PER_ROUND = 30;

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

for (const seed of SEEDS) {
  test(`stock ledger property, seed ${seed}`, { timeout: 60000 }, async () => {
    const rand = rng(seed);
    const ri = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
    const pick = (a) => a[Math.floor(rand() * a.length)];
    const t = await srv.createTenant(`prop-${seed}`);
    const admin = capi(srv.url, t.admin_token);
    const staff = capi(srv.url, await srv.createToken(t.tenant, 'staff'));
    const service = capi(srv.url, await srv.createToken(t.tenant, 'service'));
    const pub = capi(srv.url, t.public_token);
    const cust = await create(admin, 'customers', { name: 'Prop', email: `prop${seed}@example.com` });
    const custTok = capi(srv.url, await srv.createToken(t.tenant, 'customer', 'prop-cust'));
    const buyers = [admin, staff, service, pub, custTok];

    // the catalog
    const kinds = ['tracked', 'tracked', 'tracked', 'tracked', 'backorder', 'untracked'];
    let products = [];
    for (const [pi, kind] of kinds.entries()) {
      const nv = ri(1, 3);
      const values = ['a', 'b', 'c'].slice(0, nv);
      products.push(await create(admin, 'products', {
        title: `P${pi} ${kind}`, price: ri(1, 50) * 100, status: 'active', low_stock_threshold: ri(0, 4),
        allow_backorder: kind === 'backorder', track_inventory: kind !== 'untracked',
        options: [{ name: 'v', values }],
        variants: values.map((x) => ({ sku: `S${seed}-P${pi}-${x}`, options: { v: x }, stock: ri(0, 8) })),
      }));
    }
    const kindOf = new Map(products.map((p, i) => [p.id, kinds[i]]));
    const allVariants = () => products.flatMap((p) => p.variants.map((v) => ({ p, v })));

    const created = []; // 201 order bodies
    const unexpected = [];
    const note = (what, r) => unexpected.push(`${what}: ${r.status} ${r.text.slice(0, 300)}`);

    async function doOrder() {
      const n = ri(1, 3);
      const items = [];
      for (let k = 0; k < n; k++) {
        const { p, v } = pick(allVariants());
        items.push({ product_id: p.id, variant_id: v.id, qty: ri(1, 4), unit_price: v.price_now });
      }
      const client = pick(buyers);
      const body = { items };
      if ((client === admin || client === staff) && rand() < 0.3) body.customer_id = cust.id;
      const r = await order(client, body);
      if (r.status === 201) {
        created.push(r.body);
        if (r.body.items.length !== n) note('order items', r);
      } else if (r.status === 409 && r.body.code === 'checkout_corrections') {
        for (const c of r.body.corrections) {
          const it = items[c.index];
          if (c.field !== 'stock' || kindOf.get(it?.product_id) !== 'tracked' || c.expected !== it.qty || !(c.actual < c.expected) || c.actual < 0) {
            note(`order correction ${JSON.stringify(c)} for ${JSON.stringify(it)}`, r);
          }
        }
      } else note('order', r);
    }

    async function doTransition() {
      if (created.length === 0) return;
      const o = pick(created);
      const action = rand() < 0.7 ? 'cancel' : 'confirm';
      const r = await pick([admin, staff, service]).post(`/api/orders/${o.id}/${action}`);
      if (r.status !== 200 && !(r.status === 409 && r.body.code === 'invalid_transition')) note(`${action}`, r);
    }

    async function doAdjust() {
      const { p, v } = pick(allVariants());
      const body = rand() < 0.6
        ? { variant_id: v.id, delta: pick([-4, -3, -2, -1, 1, 2, 3, 5, 6]), reason: pick(['purchase', 'adjustment', 'return']) }
        : { variant_id: v.id, set: ri(0, 12), note: `count ${seed}` };
      const r = await adjust(pick([admin, staff, service]), body);
      if (r.status === 200) {
        const b = r.body;
        if (b.product_id !== p.id || b.variant_id !== v.id || !Number.isInteger(b.stock)) note('adjust answer', r);
        if (body.set !== undefined && b.stock !== body.set) note('adjust set answer', r);
        if (b.movement !== null) {
          if (b.movement.stock_after !== b.stock || b.movement.variant_id !== v.id) note('adjust movement', r);
          if (b.movement.reason !== (body.reason ?? 'adjustment')) note('adjust movement reason', r);
          if (body.delta !== undefined && b.movement.delta !== body.delta) note('adjust movement delta', r);
        } else if (body.delta !== undefined) note('adjust delta without movement', r);
        if (kindOf.get(p.id) !== 'backorder' && b.stock < 0) note('adjust below zero', r);
      } else if (r.status === 409 && r.body.code === 'insufficient_stock') {
        // tracked or not, a variant without backorder never goes below zero
        if (kindOf.get(p.id) === 'backorder' || body.delta === undefined || body.delta >= 0) note('insufficient_stock', r);
        else if (!Number.isInteger(r.body.actual) || r.body.actual + body.delta >= 0) note('insufficient_stock actual', r);
      } else note(`adjust ${JSON.stringify(body)}`, r);
    }

    async function doSync() {
      const levels = [];
      const used = new Set();
      for (let k = ri(1, 4); k > 0; k--) {
        const { v } = pick(allVariants());
        if (used.has(v.sku)) continue;
        used.add(v.sku);
        levels.push({ sku: v.sku, stock: ri(0, 12) });
      }
      if (rand() < 0.3) levels.push({ sku: `nope-${seed}-${ri(0, 1e6)}`, stock: 1 });
      const r = await stockSync(pick([admin, service]), levels);
      if (r.status !== 200) { note('sync', r); return; }
      const b = r.body;
      const unknown = levels.filter((l) => l.sku.startsWith('nope-')).map((l) => l.sku);
      if (JSON.stringify(b.unknown) !== JSON.stringify(unknown)) note('sync unknown', r);
      const answered = [...b.updated.map((u) => u.sku), ...b.unchanged].sort();
      if (JSON.stringify(answered) !== JSON.stringify(levels.filter((l) => !l.sku.startsWith('nope-')).map((l) => l.sku).sort())) note('sync updated+unchanged', r);
      for (const u of b.updated) {
        const want = levels.find((l) => l.sku === u.sku);
        if (u.stock !== want.stock || u.delta === 0 || !Number.isInteger(u.delta)) note(`sync updated ${u.sku}`, r);
      }
    }

    async function doPatch() {
      const p = pick(products);
      const variants = p.variants.map((v) => ({ id: v.id, sku: v.sku, options: v.options, stock: rand() < 0.5 ? ri(0, 12) : v.stock }));
      const r = await admin.patch(`/api/products/${p.id}`, { variants }, MP);
      if (r.status !== 200) note('patch', r);
    }

    const ops = [[doOrder, 40], [doTransition, 15], [doAdjust, 20], [doSync, 10], [doPatch, 15]];
    const totalW = sum(ops.map(([, w]) => w));
    const chooseOp = () => {
      let x = rand() * totalW;
      for (const [f, w] of ops) { if ((x -= w) < 0) return f; }
      return ops[0][0];
    };
    for (let round = 0; round < ROUNDS; round++) {
      const batch = Array.from({ length: OPS_PER_ROUND }, chooseOp);
      await burst(batch.length, (i) => batch[i]());
      products = await Promise.all(products.map((p) => getProduct(admin, p.id)));
    }
    assert.deepEqual(unexpected.slice(0, 20), [], `${unexpected.length} unexpected answers`);
    assert.ok(created.length >= 20, `only ${created.length} orders went through`);

    // the ledger of every variant
    const orders = new Map((await listAll(admin, '/api/orders')).map((o) => [o.id, o]));
    for (const o of created) assert.ok(orders.has(o.id), `created order ${o.id} is not listed`);
    assert.equal(orders.size, created.length, 'orders listed that no client created');
    const problems = [];
    const allMovs = [];
    for (const p of products) {
      const kind = kindOf.get(p.id);
      for (const v of p.variants) {
        const movs = await movementsOf(admin, v.id);
        allMovs.push(...movs);
        problems.push(...ledgerProblems(movs, v.stock, `${kind} ${v.sku}`));
        if (kind !== 'backorder' && v.stock < 0) problems.push(`${v.sku}: stock ${v.stock} below zero`);
        if (kind !== 'backorder' && movs.some((m) => m.stock_after < 0)) problems.push(`${v.sku}: a movement went below zero`);
        // sale and cancel movements match the orders
        const expSale = new Map();
        const expCancel = new Map();
        for (const o of orders.values()) {
          const q = sum(o.items.filter((it) => it.variant_id === v.id).map((it) => it.qty));
          if (q === 0 || kind === 'untracked') continue;
          expSale.set(o.id, -q);
          if (o.status === 'cancelled') expCancel.set(o.id, q);
        }
        for (const [reason, exp] of [['sale', expSale], ['cancel', expCancel]]) {
          const got = new Map();
          for (const m of movs.filter((x) => x.reason === reason)) {
            if (!m.order_id) problems.push(`${v.sku}: ${reason} movement ${m.id} without order_id`);
            got.set(m.order_id, (got.get(m.order_id) ?? 0) + m.delta);
          }
          const a = JSON.stringify([...got].sort());
          const e = JSON.stringify([...exp].sort());
          if (a !== e) problems.push(`${v.sku}: ${reason} movements per order ${a.slice(0, 300)} ≠ orders ${e.slice(0, 300)}`);
        }
      }
    }
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} ledger problems`);
    // the unfiltered list holds exactly these movements
    const everything = await listAll(admin, '/api/stock_movements');
    assert.deepEqual(everything.map((m) => m.id).sort(), allMovs.map((m) => m.id).sort(), 'GET /api/stock_movements = union per variant');
    const statuses = {};
    for (const o of orders.values()) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
    console.log(`# seed ${seed}: ${created.length} orders ${JSON.stringify(statuses)}, ${allMovs.length} movements`);
  });
}

test('stock/adjust below zero: 409 insufficient_stock without backorder (tracked or not); with backorder the product stays editable', async () => {
  const t = await srv.createTenant('prop-negative');
  const admin = capi(srv.url, t.admin_token);
  for (const extra of [{ track_inventory: false }, { track_inventory: true }, { allow_backorder: true }]) {
    const what = JSON.stringify(extra);
    const p = await create(admin, 'products', {
      title: `Neg ${what}`, price: 100, status: 'active', ...extra,
      options: [{ name: 'v', values: ['a'] }], variants: [{ sku: `NEG-${Object.entries(extra).flat().join('-')}`, options: { v: 'a' }, stock: 1 }],
    });
    const a = await adjust(admin, { variant_id: p.variants[0].id, delta: -3 });
    if (!extra.allow_backorder) {
      const b = assertProblem(a, 409, 'insufficient_stock');
      assert.equal(b.actual, 1, `${what}: actual is the current stock`);
      assert.equal((await getProduct(admin, p.id)).variants[0].stock, 1);
      assert.equal((await movementsOf(admin, p.variants[0].id)).length, 1);
      continue;
    }
    assert.equal(a.status, 200, a.text);
    assert.equal(a.body.stock, -2);
    const r = await admin.patch(`/api/products/${p.id}`, { title: 'renamed' }, MP);
    assert.equal(r.status, 200, `PATCH {title} with a backorder stock of −2: ${r.status} ${r.text.slice(0, 300)}`);
    const cur = r.body.variants[0];
    const r2 = await admin.patch(`/api/products/${p.id}`, { variants: [{ id: cur.id, sku: cur.sku, options: cur.options, stock: cur.stock }] }, MP);
    assert.equal(r2.status, 200, `PATCH with the variant's current stock: ${r2.status} ${r2.text.slice(0, 300)}`);
  }
});

test('stock/adjust and stock/sync refuse bad input and change nothing', async () => {
  const t = await srv.createTenant('prop-bad-input');
  const admin = capi(srv.url, t.admin_token);
  const p = await create(admin, 'products', { title: 'Bad', sku: 'BAD', price: 100, status: 'active', variants: [{ sku: 'BAD', options: {}, stock: 4 }] });
  const v = p.variants[0].id;
  const badAdjust = [
    {}, { variant_id: v }, { variant_id: v, delta: 0 }, { variant_id: v, delta: 1, set: 2 }, { variant_id: v, set: -1 },
    { variant_id: v, delta: 1000000001 }, { variant_id: v, set: 1000000001 }, { variant_id: v, delta: 1.5 },
    { variant_id: v, delta: 1, reason: 'sale' }, { variant_id: v, delta: 1, reason: 'theft' }, { variant_id: v, delta: 1, extra: true },
  ];
  for (const body of badAdjust) {
    const r = await adjust(admin, body);
    assertProblem(r, 422, 'validation_failed');
  }
  const badSync = [
    {}, { levels: [] }, { levels: [{ sku: 'BAD' }] }, { levels: [{ sku: 'BAD', stock: -1 }] },
    { levels: [{ sku: 'BAD', stock: 1000000001 }] }, { levels: Array.from({ length: 1001 }, (_, i) => ({ sku: `S${i}`, stock: 1 })) },
  ];
  for (const body of badSync) assertProblem(await admin.post('/api/stock/sync', body), 422, 'validation_failed');
  const cur = await getProduct(admin, p.id);
  assert.equal(cur.variants[0].stock, 4);
  assert.equal(cur.version, 1);
  assert.equal((await movementsOf(admin, v)).length, 1);
  // the edges are accepted
  assert.equal((await adjust(admin, { variant_id: v, set: 0 })).status, 200);
  const same = await adjust(admin, { variant_id: v, set: 0 });
  assert.equal(same.status, 200);
  assert.equal(same.body.movement, null, 'set to the current stock changes nothing');
  assert.equal((await getProduct(admin, p.id)).version, 2, 'set to the current stock makes no new version');
  const s = await stockSync(admin, [{ sku: 'BAD', stock: 1000000000 }]);
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(s.body.updated.map((u) => [u.sku, u.product_id, u.variant_id, u.stock, u.delta]), [['BAD', p.id, v, 1000000000, 1000000000]]);
  const m = (await movementsOf(admin, v)).filter((x) => x.reason === 'sync');
  assert.deepEqual(m.map((x) => [x.delta, x.stock_after]), [[1000000000, 1000000000]]);
});
