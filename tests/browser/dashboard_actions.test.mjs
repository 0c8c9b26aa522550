// The dashboard acting on the shop, in a real browser against the real
// server: orders confirmed, fulfilled and cancelled from their rows; the
// conflict view when the order changed behind a stale screen (its live feed
// held back by the test); bills marked paid, in part and in full, and an
// overpayment refused; the shop's large-order total making orders stand
// out; stock running low and out; the figures and the 30-day chart moving
// with an order; a phone's width.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startShop, seedProduct, openPage, api, waitConnection, holdableLive,
} from './lib/browser.mjs';
import { markDocument, sameDocument } from './lib/pages.mjs';

let shop;
let browser;
let customer;

before(async () => {
  shop = await startShop('Back Office Shop');
  browser = await launchBrowser();
  // A customer token creates the customer; the admin names it.
  await shop.server.createToken(shop.tenant, 'customer', 'cust_ada');
  customer = (await shop.admin.patch('/api/customers/cust_ada', { name: 'Ada Lovelace' })).body;
});

after(async () => {
  await browser?.close();
  await shop?.server.stop();
});

let orderSeq = 0;
async function placeOrder(product, { qty = 1, customerId } = {}) {
  const v = product.variants[0];
  const body = { items: [{ product_id: product.id, variant_id: v.id, qty, unit_price: product.price }], channel: 'web' };
  if (customerId) body.customer_id = customerId;
  const r = await api(shop.url, shop.adminToken).post('/api/orders', body,
    { headers: { 'Idempotency-Key': `act-${Date.now()}-${++orderSeq}` } });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

async function openDashboard(opts = {}) {
  const { context, page } = await openPage(browser, `${shop.url}/dashboard?key=${shop.adminToken}`, opts);
  await waitConnection(page);
  return { context, page };
}

const row = (order) => `#orders li[data-number="${order.number}"]`;
const rowIn = (order, status) => `${row(order)}[data-status="${status}"]`;
const orderNow = async (order) => (await shop.admin.get(`/api/orders/${order.id}`)).body;
// Page errors but the refusals a test provokes on purpose.
const unexpected = (page, allowed) => page.errors.filter((e) => !allowed.some((re) => re.test(e)));

test('an order is confirmed, fulfilled and another cancelled from their rows', { timeout: 60000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Oak Stool', price: 8900, variants: [{ sku: 'OS-1', stock: 10, options: {} }] });
  const { context, page } = await openDashboard();
  try {
    await markDocument(page);
    const a = await placeOrder(p);
    const b = await placeOrder(p, { qty: 2 });
    await page.click(`${rowIn(a, 'placed')} button[data-action="confirm"]`);
    await page.waitForSelector(rowIn(a, 'confirmed'));
    assert.equal((await orderNow(a)).status, 'confirmed');
    await page.click(`${rowIn(a, 'confirmed')} button[data-action="fulfill"]`);
    await page.waitForSelector(rowIn(a, 'fulfilled'));
    assert.equal(await page.$$eval(`${row(a)} .order-actions button`, (bs) => bs.length), 0, 'nothing left to do');

    // Cancel asks once more on the button; the first click sends nothing.
    const cancel = `${rowIn(b, 'placed')} button[data-action="cancel"]`;
    await page.click(cancel);
    await page.waitForSelector(`${cancel}.asking`);
    assert.equal((await orderNow(b)).status, 'placed');
    await page.click(cancel);
    await page.waitForSelector(rowIn(b, 'cancelled'));
    const after = (await shop.admin.get(`/api/products/${p.id}`)).body;
    assert.equal(after.stock_total, 9, 'the cancel put its 2 units back; the fulfilled order keeps 1');
    assert.equal(await sameDocument(page), true);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('the conflict view: an order changed behind a stale screen is shown, not overwritten', { timeout: 60000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Ash Bench', price: 15900, variants: [{ sku: 'AB-1', stock: 10, options: {} }] });
  let live;
  const { context, page } = await openDashboard({ setup: async (pg) => { live = await holdableLive(pg); } });
  try {
    const a = await placeOrder(p);
    const b = await placeOrder(p);
    await page.waitForSelector(rowIn(b, 'placed'));

    // The screen stalls; meanwhile someone confirms order a and cancels b.
    live.hold();
    assert.equal((await shop.admin.post(`/api/orders/${a.id}/confirm`)).status, 200);
    assert.equal((await shop.admin.post(`/api/orders/${b.id}/cancel`)).status, 200);
    assert.ok(await page.$(rowIn(a, 'placed')), 'the stalled screen still shows a as placed');

    // Cancelling a (seen placed, now confirmed): still allowed, on request.
    const cancelA = `${rowIn(a, 'placed')} button[data-action="cancel"]`;
    await page.click(cancelA);
    await page.click(cancelA);
    const dialog = `dialog.order-conflict[data-order-id="${a.id}"]`;
    await page.waitForSelector(dialog);
    assert.equal(await page.textContent(`${dialog} td[data-which="seen"]`), 'placed');
    assert.equal(await page.textContent(`${dialog} td[data-which="current"]`), 'confirmed');
    assert.equal((await orderNow(a)).status, 'confirmed', 'nothing was applied on the 412');
    await page.click(`${dialog} button[data-choice="apply"]`);
    await page.waitForSelector(dialog, { state: 'detached' });
    assert.equal((await orderNow(a)).status, 'cancelled');

    // Confirming b (seen placed, now cancelled): not allowed any more, so
    // the view only offers to leave it.
    await page.click(`${rowIn(b, 'placed')} button[data-action="confirm"]`);
    const dialogB = `dialog.order-conflict[data-order-id="${b.id}"]`;
    await page.waitForSelector(dialogB);
    assert.equal(await page.$(`${dialogB} button[data-choice="apply"]`), null);
    assert.match(await page.textContent(dialogB), /no longer allows/);
    await page.click(`${dialogB} button[data-choice="keep"]`);
    assert.equal((await orderNow(b)).status, 'cancelled');

    // The link comes back: the rows catch up.
    live.release();
    await page.waitForSelector(rowIn(a, 'cancelled'));
    await page.waitForSelector(rowIn(b, 'cancelled'));
    assert.deepEqual(unexpected(page, [/412 POST .*\/api\/orders\//]), []);
  } finally {
    await context.close();
  }
});

test('a bill is marked paid in part, then in full; an overpayment is refused', { timeout: 60000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Wool Throw', price: 12000, variants: [{ sku: 'WT-1', stock: 10, options: {} }] });
  const { context, page } = await openDashboard();
  try {
    const order = await placeOrder(p, { customerId: customer.id });
    const bill = (await shop.admin.get(`/api/bills?customer_id=${customer.id}`)).body.data.find((x) => x.order_id === order.id);
    const billRow = `#bills li[data-id="${bill.id}"]`;
    await page.waitForSelector(`${billRow}[data-status="unpaid"]`);
    assert.match(await page.textContent(billRow), /Ada Lovelace.*\$120\.00/s);

    await page.click(`${billRow} button.pay`);
    const dialog = `dialog.pay-dialog[data-bill-id="${bill.id}"]`;
    await page.waitForSelector(dialog);
    assert.equal(await page.inputValue('#pay-amount'), '120.00', 'the open amount is offered');
    await page.fill('#pay-amount', '150');
    await page.click(`${dialog} button[type="submit"]`);
    await page.waitForSelector(`${dialog} .pay-message:not([hidden])`);
    assert.match(await page.textContent(`${dialog} .pay-message`), /more than is open \(\$120\.00\)/);

    await page.fill('#pay-amount', '50');
    await page.selectOption('#pay-method', 'cash');
    await page.click(`${dialog} button[type="submit"]`);
    await page.waitForSelector(dialog, { state: 'detached' });
    await page.waitForSelector(`${billRow}[data-status="partially_paid"]`);
    assert.match(await page.textContent(`${billRow} .bill-open`), /\$70\.00 of \$120\.00/);

    await page.click(`${billRow} button.pay`);
    await page.waitForSelector(dialog);
    assert.equal(await page.inputValue('#pay-amount'), '70.00');
    await page.fill('#pay-reference', 'RCPT-7');
    await page.click(`${dialog} button[type="submit"]`);
    await page.waitForSelector(billRow, { state: 'detached' });
    const paid = (await shop.admin.get(`/api/bills/${bill.id}`)).body;
    assert.equal(paid.status, 'paid');
    assert.deepEqual(paid.payments.map((x) => [x.amount, x.method, x.reference ?? null]),
      [[5000, 'cash', null], [7000, 'card', 'RCPT-7']]);
    assert.deepEqual(unexpected(page, [/409 POST .*\/pay/]), []);
  } finally {
    await context.close();
  }
});

test('orders from the shop\'s large-order total stand out', { timeout: 60000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Brass Lamp', price: 10000, variants: [{ sku: 'BL-1', stock: 50, options: {} }] });
  const { context, page } = await openDashboard();
  try {
    const small = await placeOrder(p);
    const big = await placeOrder(p, { qty: 3 });
    await page.waitForSelector(`${row(big)}[data-large="false"]`);
    await page.fill('#large-input', '250');
    await page.click('#large-form button[type="submit"]');
    await page.waitForSelector(`${row(big)}[data-large="true"]`);
    assert.equal(await page.getAttribute(row(small), 'data-large'), 'false');
    assert.equal((await shop.admin.get('/api/shop')).body.large_order_total, 25000);
    // Another dashboard opened later reads it from the shop.
    const other = await openDashboard();
    try {
      await other.page.waitForSelector(`${row(big)}[data-large="true"]`);
      assert.equal(await other.page.inputValue('#large-input'), '250.00');
    } finally {
      await other.context.close();
    }
    await page.fill('#large-input', '');
    await page.click('#large-form button[type="submit"]');
    await page.waitForSelector(`${row(big)}[data-large="false"]`);
    assert.equal((await shop.admin.get('/api/shop')).body.large_order_total, null);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('stock running low and out shows in the stock panel', { timeout: 60000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Clay Vase', price: 3000, low_stock_threshold: 2, variants: [{ sku: 'CV-1', stock: 4, options: {} }] });
  const { context, page } = await openDashboard();
  try {
    const stockRow = `#stock li[data-product-id="${p.id}"]`;
    assert.equal(await page.$(stockRow), null, 'well stocked: not listed');
    await placeOrder(p, { qty: 2 });
    await page.waitForSelector(`${stockRow}[data-stock-status="low_stock"]`);
    assert.equal(await page.textContent(`${stockRow} .stock-left`), '2');
    await placeOrder(p, { qty: 2 });
    await page.waitForSelector(`${stockRow}[data-stock-status="sold_out"]`);
    assert.equal(await page.getAttribute(`${stockRow} a`, 'href'), `/admin#/product/${p.id}`);
    const stats = (await shop.admin.get('/api/stats')).body.stock;
    await page.waitForSelector(`#stock-counts[data-sold-out="${stats.sold_out}"]`);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('today\'s figures and the 30-day chart move when an order is placed', { timeout: 60000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Jute Rug', price: 4500, variants: [{ sku: 'JR-1', stock: 50, options: {} }] });
  const { context, page } = await openDashboard();
  try {
    const stats = (await shop.admin.get('/api/stats')).body;
    await page.waitForSelector(`[data-figure="orders"][data-value="${stats.orders}"]`);
    await page.waitForSelector(`#chart[data-today-orders="${stats.orders}"] canvas`);
    const pixels = () => page.$eval('#chart canvas', (c) => c.toDataURL());
    const before = await pixels();
    await placeOrder(p, { qty: 2 });
    await page.waitForSelector(`#chart[data-today-orders="${stats.orders + 1}"]`);
    await page.waitForSelector(`[data-figure="orders"][data-value="${stats.orders + 1}"]`);
    assert.equal(await page.getAttribute('[data-figure="revenue"]', 'data-value'), String(stats.revenue + 9000));
    assert.notEqual(await pixels(), before, 'the chart was redrawn with the new day');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('at a phone\'s width nothing scrolls sideways', { timeout: 60000 }, async () => {
  const { context, page } = await openDashboard({ viewport: 'phone' });
  try {
    await page.waitForSelector('#chart canvas');
    await page.waitForSelector('#orders li');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});
