// Checkout corrections (docs/api.md, Commerce): POST /api/checkout/validate
// and POST /api/orders answer 409 checkout_corrections with one correction
// per problem per item — price, sale (started, ended, limited), stock
// (counting earlier items of the same variant) and availability — and
// change nothing; resubmitting with what holds now succeeds.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { create, listAll, assertProblem, isoIn, DAY } from './lib/check.mjs';
import {
  capi, order, validate, item, assertCorrections, getProduct, movementsOf, MP,
} from './lib/commerce.mjs';

let srv;
let admin;
let pub;
let P; // products by name

const AVAIL = { field: 'availability', expected: 'available', actual: 'unavailable' };

before(async () => {
  srv = await startServer();
  const t = await srv.createTenant('corrections-shop');
  admin = capi(srv.url, t.admin_token);
  pub = capi(srv.url, t.public_token);
  const mk = (title, extra) => create(admin, 'products', { title, price: 1000, status: 'active', ...extra });
  const one = (sku, stock, extra = {}) => ({ variants: [{ sku, options: {}, stock }], ...extra });
  P = {
    plain: await mk('Plain', one('PLAIN', 10)),
    saleOn: await mk('Sale on', one('SON', 10, { sale: { kind: 'percent', value: 20, starts_at: isoIn(-DAY), ends_at: isoIn(DAY) } })),
    saleEnded: await mk('Sale ended', one('SEND', 10, { sale: { kind: 'percent', value: 20, starts_at: isoIn(-2 * DAY), ends_at: isoIn(-DAY) } })),
    saleFuture: await mk('Sale future', one('SFUT', 10, { sale: { kind: 'amount', value: 300, starts_at: isoIn(DAY), ends_at: isoIn(2 * DAY) } })),
    rounding: await mk('Rounding', one('ROUND', 10, { price: 1010, sale: { kind: 'percent', value: 15 } })),
    empty: await mk('Empty', one('EMPTY', 0)),
    few: await mk('Few', one('FEW', 3)),
    backorder: await mk('Backorder', one('BACK', 1, { allow_backorder: true })),
    untracked: await mk('Untracked', one('UNTR', 0, { track_inventory: false })),
    draft: await mk('Draft', one('DRAFT', 10, { status: 'draft' })),
    archived: await mk('Archived', one('ARCH', 10, { status: 'archived' })),
    deleted: await mk('Deleted', one('DEL', 10)),
    variants: await mk('Shirt', {
      options: [{ name: 'size', values: ['S', 'L'] }],
      variants: [
        { sku: 'SH-S', options: { size: 'S' }, stock: 5, price: 1500 },
        { sku: 'SH-L', options: { size: 'L' }, stock: 5, available: false },
      ],
      sale: { kind: 'percent', value: 20 },
    }),
    limited: await mk('Limited', one('LIM', 20, { sale: { kind: 'fixed_price', value: 500, starts_at: isoIn(-DAY), stock_limit: 3, sold: 1 } })),
  };
  const d = await admin.del(`/api/products/${P.deleted.id}`);
  assert.equal(d.status, 204);
});
after(async () => { await srv?.stop(); });

// Both endpoints must answer the same corrections, and the order must change
// nothing.
async function expectCorrections(items, want, what) {
  for (const c of [admin, pub]) {
    assertCorrections(await validate(c, items), want, `validate ${what}`);
  }
  const before = await Promise.all(items.map((i) => admin.get(`/api/products/${i.product_id}`)));
  const ordersBefore = (await listAll(admin, '/api/orders')).length;
  assertCorrections(await order(admin, { items }), want, `order ${what}`);
  assertCorrections(await order(pub, { items }), want, `public order ${what}`);
  const after = await Promise.all(items.map((i) => admin.get(`/api/products/${i.product_id}`)));
  for (let k = 0; k < items.length; k++) {
    assert.deepEqual(after[k].body, before[k].body, `${what}: a rejected order changed product ${items[k].product_id}`);
  }
  assert.equal((await listAll(admin, '/api/orders')).length, ordersBefore, `${what}: a rejected order was stored`);
}

async function expectOk(items, what) {
  const total = items.reduce((s, i) => s + i.qty * i.unit_price, 0);
  for (const c of [admin, pub]) {
    const r = await validate(c, items);
    assert.equal(r.status, 200, `validate ${what}: ${r.status} ${r.text.slice(0, 400)}`);
    assert.equal(r.body.ok, true);
    assert.equal(r.body.total, total);
    assert.equal(r.body.currency, P.plain.currency);
  }
}

test('the computed prices the corrections compare against', () => {
  assert.equal(P.saleOn.price_now, 800);
  assert.equal(P.saleOn.on_sale, true);
  assert.equal(P.saleEnded.price_now, 1000);
  assert.equal(P.saleEnded.on_sale, false);
  assert.equal(P.saleFuture.price_now, 1000);
  assert.equal(P.rounding.price_now, 859, '1010 · 85 / 100 = 858.5 rounds half up');
  assert.equal(P.variants.variants[0].price_now, 1200, 'variant price 1500 − 20 %');
  assert.equal(P.limited.price_now, 500);
});

test('validate accepts current prices and stock', async () => {
  await expectOk([item(P.plain, 0, 2)], 'plain');
  await expectOk([item(P.saleOn, 0, 1), item(P.rounding, 0, 3), item(P.variants, 0, 5)], 'sale prices');
  await expectOk([item(P.few, 0, 3)], 'exactly the stock');
  await expectOk([item(P.few, 0, 1), item(P.few, 0, 2)], 'the stock over two items');
  await expectOk([item(P.backorder, 0, 50)], 'backorder beyond stock');
  await expectOk([item(P.untracked, 0, 50)], 'untracked beyond stock');
  await expectOk([item(P.limited, 0, 2)], 'limited sale, exactly the units left');
});

test('price changed', async () => {
  await expectCorrections([item(P.plain, 0, 1, 900)], [{ index: 0, field: 'price', expected: 900, actual: 1000 }], 'price');
  await expectCorrections([item(P.plain, 0, 1), item(P.saleOn, 0, 1, 750)],
    [{ index: 1, field: 'price', expected: 750, actual: 800 }], 'price of a sale item');
  await expectCorrections([item(P.rounding, 0, 1, 858)], [{ index: 0, field: 'price', expected: 858, actual: 859 }], 'rounding');
  await expectCorrections([item(P.variants, 0, 1, 800)], [{ index: 0, field: 'price', expected: 800, actual: 1200 }],
    'variant price override under a sale');
});

test('sale started, ended, not yet started', async () => {
  await expectCorrections([item(P.saleOn, 0, 1, 1000)], [{ index: 0, field: 'sale', expected: false, actual: true }], 'sale started');
  await expectCorrections([item(P.saleEnded, 0, 1, 800)], [{ index: 0, field: 'sale', expected: true, actual: false }], 'sale ended');
  await expectCorrections([item(P.saleFuture, 0, 1, 700)], [{ index: 0, field: 'sale', expected: true, actual: false }], 'sale not started');
  await expectCorrections([item(P.variants, 0, 1, 1500)], [{ index: 0, field: 'sale', expected: false, actual: true }],
    'variant at its regular price under a sale');
});

test('out of stock and not enough stock, also over two items of one variant', async () => {
  await expectCorrections([item(P.empty, 0, 1)], [{ index: 0, field: 'stock', expected: 1, actual: 0 }], 'out of stock');
  await expectCorrections([item(P.few, 0, 5)], [{ index: 0, field: 'stock', expected: 5, actual: 3 }], 'not enough');
  await expectCorrections([item(P.few, 0, 2), item(P.plain, 0, 1), item(P.few, 0, 2)],
    [{ index: 2, field: 'stock', expected: 2, actual: 1 }], 'same variant twice');
  await expectCorrections([item(P.few, 0, 3), item(P.few, 0, 1)],
    [{ index: 1, field: 'stock', expected: 1, actual: 0 }], 'earlier item takes everything');
  // two problems in one item: one correction each
  await expectCorrections([item(P.few, 0, 4, 999)],
    [{ index: 0, field: 'price', expected: 999, actual: 1000 }, { index: 0, field: 'stock', expected: 4, actual: 3 }], 'price and stock');
});

test('availability: draft, archived, deleted, unknown product or variant, variant unavailable', async () => {
  const cases = [
    ['draft', item(P.draft, 0, 1)],
    ['archived', item(P.archived, 0, 1)],
    ['deleted', item(P.deleted, 0, 1)],
    ['unknown product', { product_id: 'prod_does_not_exist', variant_id: P.plain.variants[0].id, qty: 1, unit_price: 1000 }],
    ['unknown variant', { product_id: P.plain.id, variant_id: 'var_does_not_exist', qty: 1, unit_price: 1000 }],
    ['variant of another product', { product_id: P.plain.id, variant_id: P.few.variants[0].id, qty: 1, unit_price: 1000 }],
    ['available false', item(P.variants, 1, 1)],
    // availability is then the only correction of the item
    ['available false, wrong price, too many', item(P.variants, 1, 99, 1)],
    ['draft, wrong price', item(P.draft, 0, 1, 5)],
  ];
  for (const [what, it] of cases) {
    await expectCorrections([item(P.plain, 0, 1), it], [{ index: 1, ...AVAIL }], what);
  }
  // several items, several kinds
  await expectCorrections([item(P.draft, 0, 1), item(P.plain, 0, 1, 1), item(P.empty, 0, 2), item(P.saleEnded, 0, 1, 800)], [
    { index: 0, ...AVAIL },
    { index: 1, field: 'price', expected: 1, actual: 1000 },
    { index: 2, field: 'stock', expected: 2, actual: 0 },
    { index: 3, field: 'sale', expected: true, actual: false },
  ], 'mixed');
});

test('resubmitting with the corrected prices and quantities succeeds', async () => {
  const items = [item(P.saleOn, 0, 1, 1000), item(P.few, 0, 5), item(P.saleEnded, 0, 2, 800)];
  const r = await order(admin, { items });
  const b = assertCorrections(r, [
    { index: 0, field: 'sale', expected: false, actual: true },
    { index: 1, field: 'stock', expected: 5, actual: 3 },
    { index: 2, field: 'sale', expected: true, actual: false },
  ]);
  // the client re-reads the products and takes what holds now
  const fixed = [];
  for (const [k, it] of items.entries()) {
    const p = await getProduct(pub, it.product_id);
    const stockC = b.corrections.find((c) => c.index === k && c.field === 'stock');
    fixed.push({ ...it, unit_price: p.variants[0].price_now, qty: stockC ? stockC.actual : it.qty });
  }
  assert.deepEqual(fixed.map((i) => [i.unit_price, i.qty]), [[800, 1], [1000, 3], [1000, 2]]);
  await expectOk(fixed, 'corrected');
  const ok = await order(pub, { items: fixed });
  assert.equal(ok.status, 201, ok.text.slice(0, 400));
  assert.equal(ok.body.total, 800 + 3000 + 2000);
  assert.deepEqual(ok.body.items.map((i) => [i.unit_price, i.qty, i.line_total]), [[800, 1, 800], [1000, 3, 3000], [1000, 2, 2000]]);
  assert.equal((await getProduct(admin, P.few.id)).variants[0].stock, 0);
  // now it is out of stock
  await expectCorrections([item(P.few, 0, 1)], [{ index: 0, field: 'stock', expected: 1, actual: 0 }], 'after the sale');
});

test('a limited sale with fewer units left than asked', async () => {
  await expectCorrections([item(P.limited, 0, 3)], [{ index: 0, field: 'sale', expected: 3, actual: 2 }], 'limited sale');
  const ok = await order(admin, { items: [item(P.limited, 0, 2)] });
  assert.equal(ok.status, 201, ok.text.slice(0, 400));
  assert.equal(ok.body.total, 1000);
  const p = await getProduct(admin, P.limited.id);
  assert.equal(p.sale.sold, 3, 'units sold at the sale price count into sale.sold');
  assert.equal(p.on_sale, false, 'the sale ends when sold reaches stock_limit');
  assert.equal(p.price_now, 1000);
  assert.equal(p.variants[0].stock, 18);
  await expectOk([item(P.limited, 0, 1, 1000)], 'regular price after the limit');
  const r = await validate(admin, [item(P.limited, 0, 1, 500)]);
  assert.equal(r.status, 409, r.text);
  const c = r.body.corrections;
  assert.equal(c.length, 1, JSON.stringify(c));
  assert.equal(c[0].field, 'sale', JSON.stringify(c));
  assert.ok((c[0].expected === true && c[0].actual === false) || (c[0].expected === 1 && c[0].actual === 0),
    `sale price after the limit: ${JSON.stringify(c)}`);
});

test('editing a product makes the old price a correction', async () => {
  const p = await create(admin, 'products', { title: 'Edited', price: 400, status: 'active', variants: [{ sku: 'EDIT', options: {}, stock: 4 }] });
  const seen = item(p, 0, 1);
  const r = await admin.patch(`/api/products/${p.id}`, { price: 450 }, MP);
  assert.equal(r.status, 200);
  await expectCorrections([seen], [{ index: 0, field: 'price', expected: 400, actual: 450 }], 'edited price');
  const r2 = await admin.patch(`/api/products/${p.id}`, { status: 'draft' }, MP);
  assert.equal(r2.status, 200);
  await expectCorrections([{ ...seen, unit_price: 450 }], [{ index: 0, ...AVAIL }], 'turned draft');
  assert.equal((await movementsOf(admin, p.variants[0].id)).length, 1, 'only the creation movement');
});

test('bad checkout input is a 422, not a correction', async () => {
  const good = item(P.plain, 0, 1);
  const bad = [
    { items: [] },
    { items: [{ ...good, qty: 0 }] },
    { items: [{ ...good, qty: 10001 }] },
    { items: [{ ...good, qty: 1.5 }] },
    { items: [{ ...good, unit_price: -1 }] },
    { items: [{ product_id: P.plain.id, qty: 1, unit_price: 1000 }] },
    { items: Array.from({ length: 101 }, () => good) },
    { items: [good], extra: 1 },
  ];
  for (const body of bad) {
    const r = await admin.post('/api/checkout/validate', body);
    assertProblem(r, 422, 'validation_failed');
  }
  assertProblem(await admin.post('/api/checkout/validate', '{"items": [', { contentType: 'application/json' }), 400, 'malformed_json');
  // 100 items and qty 10,000 are within the limits
  const r = await validate(admin, Array.from({ length: 100 }, () => item(P.backorder, 0, 1)));
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const r2 = await validate(admin, [item(P.untracked, 0, 10000)]);
  assert.equal(r2.status, 200, r2.text.slice(0, 300));
});
