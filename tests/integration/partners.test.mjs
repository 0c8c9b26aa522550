// Customers of kind `partner` (SPEC §2, §3): a partner reads the public
// catalog like a retail customer and also `stock_total` and each variant's
// `stock` — over REST, sync, WebSocket and SSE — and orders on channel
// `partner`. Encoded changes are shared per projection, so a retail reader
// never gets a partner's frame. A customer whose kind changes gets the new
// projection from its next change on, on the subscriptions it holds open.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { create, listAll, assertProblem } from './lib/check.mjs';
import { View, LiveSocket, SseStream, subscribeOk, eventually, syncSnapshot } from './lib/live.mjs';
import { order, item, adjust, shopWithRoles, capi, MP } from './lib/commerce.mjs';

let srv;
let admin;
let tokens;
let retail; // customer cust_r, kind retail
let partner; // customer cust_p, kind partner
let product;
let draft;

const HIDDEN_FROM_SHOPPERS = ['low_stock_threshold', 'track_inventory', 'allow_backorder'];

before(async () => {
  srv = await startServer();
  const shop = await shopWithRoles(srv, 'partners-shop', ['cust_r', 'cust_p', 'cust_k']);
  ({ admin, tokens } = shop);
  ({ cust_r: retail, cust_p: partner } = shop.customers);
  const r = await admin.patch('/api/customers/cust_p', { kind: 'partner' }, MP);
  assert.equal(r.status, 200, r.text);
  product = await create(admin, 'products', {
    title: 'Crate', sku: 'CRATE', price: 1500, status: 'active', low_stock_threshold: 3,
    options: [{ name: 'size', values: ['S', 'L'] }],
    variants: [{ sku: 'CRATE-S', options: { size: 'S' }, stock: 7 },
      { sku: 'CRATE-L', options: { size: 'L' }, stock: 2 }],
  });
  draft = await create(admin, 'products', { title: 'Secret', sku: 'SEC', price: 100, status: 'draft' });
});
after(async () => { await srv?.stop(); });

// What a partner reads of a product: stock levels, not how they are managed.
function assertPartnerView(doc, stock, where) {
  assert.equal(doc.stock_total, stock.reduce((a, b) => a + b, 0), `${where}: stock_total`);
  assert.deepEqual(doc.variants.map((v) => v.stock), stock, `${where}: variant stock`);
  for (const k of HIDDEN_FROM_SHOPPERS) assert.ok(!(k in doc), `${where}: ${k} shown to a partner`);
}
function assertRetailView(doc, where) {
  assert.ok(!('stock_total' in doc), `${where}: stock_total shown to a retail customer`);
  for (const v of doc.variants) assert.ok(!('stock' in v), `${where}: variant stock shown to retail`);
  for (const v of doc.variants) assert.ok(typeof v.stock_status === 'string', `${where}: stock_status`);
  for (const k of HIDDEN_FROM_SHOPPERS) assert.ok(!(k in doc), `${where}: ${k} shown to retail`);
}
async function stockNow() {
  const r = await admin.get(`/api/products/${product.id}`);
  return r.body.variants.map((v) => v.stock);
}
async function move(variant, delta) {
  const r = await adjust(admin, { variant_id: product.variants[variant].id, delta, reason: 'purchase' });
  assert.equal(r.status, 200, r.text);
}
function lastChangeOf(view, id) {
  return view.records.get(id)?.data;
}

test('customers carry a kind: retail by default, partner when set by the admin, filterable', async () => {
  const c = await create(admin, 'customers', { name: 'Walk-in', email: 'walk@in.example' });
  assert.equal(c.kind, 'retail');
  const p = await create(admin, 'customers', { name: 'Reseller', email: 'r@b2b.example', kind: 'partner' });
  assert.equal(p.kind, 'partner');
  assertProblem(await admin.post('/api/customers', { name: 'X', email: 'x@y.example', kind: 'vip' }), 422, 'validation_failed', { field: 'kind' });
  const partners = await listAll(admin, '/api/customers?kind=partner');
  assert.ok(partners.some((x) => x.id === 'cust_p') && partners.some((x) => x.id === p.id));
  assert.ok(partners.every((x) => x.kind === 'partner'));
  assertProblem(await admin.get('/api/customers?kind=vip'), 400, 'bad_query');
  // A customer may not make itself a partner.
  const mine = await retail.patch('/api/customers/cust_r', { kind: 'partner' }, MP);
  assert.equal(mine.status, 403, mine.text);
  assert.equal((await admin.get('/api/customers/cust_r')).body.kind, 'retail');
});

test('REST: a partner reads stock levels, a retail customer reads stock status only; drafts stay hidden', async () => {
  const stock = await stockNow();
  const p = await partner.get(`/api/products/${product.id}`);
  assert.equal(p.status, 200, p.text);
  assertPartnerView(p.body, stock, 'partner GET');
  const r = await retail.get(`/api/products/${product.id}`);
  assertRetailView(r.body, 'retail GET');
  assert.equal((await partner.get(`/api/products/${draft.id}`)).status, 404);
  const list = await listAll(partner, '/api/products');
  assert.deepEqual(list.map((x) => x.id), [product.id]);
  assertPartnerView(list[0], stock, 'partner list');
  assertRetailView((await listAll(retail, '/api/products'))[0], 'retail list');
});

test('sync: a partner\'s snapshot and changes carry stock, a retail one\'s never', async () => {
  const ps = await syncSnapshot(partner, { entities: 'products' });
  const rs = await syncSnapshot(retail, { entities: 'products' });
  assertPartnerView(ps.state.get('products').get(product.id), await stockNow(), 'partner sync');
  assertRetailView(rs.state.get('products').get(product.id), 'retail sync');
  assert.ok(!ps.state.get('products').has(draft.id));
  await move(0, 1);
  const next = await partner.get(`/api/sync?entities=products&since=${encodeURIComponent(ps.cursor)}`);
  assertPartnerView(next.body.data.products.updated[0], await stockNow(), 'partner sync since');
  const rnext = await retail.get(`/api/sync?entities=products&since=${encodeURIComponent(rs.cursor)}`);
  assertRetailView(rnext.body.data.products.updated[0], 'retail sync since');
});

test('WebSocket and SSE: partner and retail readers of one change each get their projection', async () => {
  const pws = await LiveSocket.connect(srv.url, tokens.cust_p);
  const rws = await LiveSocket.connect(srv.url, tokens.cust_r);
  const pv = new View('partner ws');
  const rv = new View('retail ws');
  await subscribeOk(pws, { sub: 'p', topic: 'products' }, pv);
  await subscribeOk(rws, { sub: 'r', topic: 'products' }, rv);
  const psse = new View('partner sse');
  const rsse = new View('retail sse');
  const ps = await SseStream.open(srv.url, { topic: 'products', access_token: tokens.cust_p }, { view: psse });
  const rs = await SseStream.open(srv.url, { topic: 'products', access_token: tokens.cust_r }, { view: rsse });
  try {
    await eventually(() => psse.records.has(product.id) && rsse.records.has(product.id));
    assertPartnerView(lastChangeOf(pv, product.id), await stockNow(), 'partner ws snapshot');
    assertRetailView(lastChangeOf(rv, product.id), 'retail ws snapshot');
    assert.ok(!pv.records.has(draft.id) && !psse.records.has(draft.id), 'a draft reached a partner');
    const before = pv.records.get(product.id).version;
    await move(1, 4);
    const stock = await stockNow();
    const arrived = (v) => (v.records.get(product.id)?.version ?? 0) > before;
    await eventually(() => [pv, rv, psse, rsse].every(arrived));
    assertPartnerView(lastChangeOf(pv, product.id), stock, 'partner ws live');
    assertPartnerView(lastChangeOf(psse, product.id), stock, 'partner sse live');
    assertRetailView(lastChangeOf(rv, product.id), 'retail ws live');
    assertRetailView(lastChangeOf(rsse, product.id), 'retail sse live');
    for (const v of [pv, rv, psse, rsse]) assert.deepEqual(v.violations, []);
  } finally {
    ps.close();
    rs.close();
    await pws.close();
    await rws.close();
  }
});

test('a customer whose kind changes gets the new projection from its next change on, on open subscriptions', async () => {
  const ws = await LiveSocket.connect(srv.url, tokens.cust_k);
  const wv = new View('kind ws');
  await subscribeOk(ws, { sub: 'k', topic: 'products' }, wv);
  const sv = new View('kind sse');
  const sse = await SseStream.open(srv.url, { topic: 'products', access_token: tokens.cust_k }, { view: sv });
  const customer = capi(srv.url, tokens.cust_k);
  try {
    await eventually(() => sv.records.has(product.id));
    assertRetailView(lastChangeOf(wv, product.id), 'retail before');

    let r = await admin.patch('/api/customers/cust_k', { kind: 'partner' }, MP);
    assert.equal(r.status, 200, r.text);
    await waitForNextChange([wv, sv], () => move(0, 2));
    let stock = await stockNow();
    assertPartnerView(lastChangeOf(wv, product.id), stock, 'ws after → partner');
    assertPartnerView(lastChangeOf(sv, product.id), stock, 'sse after → partner');
    assertPartnerView((await customer.get(`/api/products/${product.id}`)).body, stock, 'REST after → partner');
    // A subscription made later on the connection opened as retail.
    const later = new View('kind ws later');
    await subscribeOk(ws, { sub: 'k2', topic: 'products' }, later);
    assertPartnerView(lastChangeOf(later, product.id), stock, 'a later subscription');
    const channel = await order(customer, { items: [item(product, 0, 1)] });
    assert.equal(channel.status, 201, channel.text);
    assert.equal(channel.body.channel, 'partner');

    r = await admin.patch('/api/customers/cust_k', { kind: 'retail' }, MP);
    assert.equal(r.status, 200, r.text);
    await waitForNextChange([wv, sv, later], () => move(0, 1));
    assertRetailView(lastChangeOf(wv, product.id), 'ws back → retail');
    assertRetailView(lastChangeOf(sv, product.id), 'sse back → retail');
    assertRetailView(lastChangeOf(later, product.id), 'later sub back → retail');
    assertRetailView((await customer.get(`/api/products/${product.id}`)).body, 'REST back → retail');
    for (const v of [wv, sv, later]) assert.deepEqual(v.violations, []);
  } finally {
    sse.close();
    await ws.close();
  }
});

test('orders: a partner orders on channel partner only, a retail customer never on it', async () => {
  const p = await order(partner, { items: [item(product, 0, 1)] });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.body.channel, 'partner');
  assert.equal(p.body.customer_id, 'cust_p');
  assertProblem(await order(partner, { items: [item(product, 0, 1)], channel: 'web' }), 403, 'forbidden');
  assertProblem(await order(retail, { items: [item(product, 0, 1)], channel: 'partner' }), 403, 'forbidden');
  const r = await order(retail, { items: [item(product, 0, 1)] });
  assert.equal(r.body.channel, 'web');
  // Its own orders only, as for any customer.
  const mine = await listAll(partner, '/api/orders');
  assert.ok(mine.length >= 1 && mine.every((o) => o.customer_id === 'cust_p'));
});

// Runs `write` and waits until every view got a newer version of the product.
async function waitForNextChange(views, write) {
  const before = views.map((v) => v.records.get(product.id)?.version ?? 0);
  await write();
  await eventually(() => views.every((v, i) => (v.records.get(product.id)?.version ?? 0) > before[i]));
}
