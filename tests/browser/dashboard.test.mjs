// The dashboard (/dashboard) in a real browser against the real server: a
// new order shows with its sound cue and moves today's figures; a low-stock
// alert shows; the connection state follows the server going away and
// coming back (same address), and the feed resumes; screenshots on the
// demo catalog.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startShop, seedProduct, openPage, screenshot, api,
  restartOnSamePort, startDemo, waitConnection,
} from './lib/browser.mjs';
import { markDocument, sameDocument } from './lib/pages.mjs';

let shop;
let browser;

before(async () => {
  shop = await startShop('Dashboard Shop');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await shop?.server.stop();
});

// ------------------------------------------------------------ helpers --

let orderSeq = 0;
async function placeOrder(product, qty = 1) {
  const v = product.variants[0];
  const r = await api(shop.url, shop.adminToken).post('/api/orders',
    { items: [{ product_id: product.id, variant_id: v.id, qty, unit_price: product.price }], channel: 'web' },
    { headers: { 'Idempotency-Key': `dash-${Date.now()}-${++orderSeq}` } });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

const cues = (page) => page.evaluate(() => window.__shelfsyncCues ?? []);
const waitCue = (page, orderId) =>
  page.waitForFunction((id) => (window.__shelfsyncCues ?? []).some((c) => c.order_id === id), orderId);

async function openDashboard() {
  const { context, page } = await openPage(browser, `${shop.url}/dashboard?key=${shop.adminToken}`);
  await waitConnection(page);
  return { context, page };
}

// ------------------------------------------------------------- tests --

test('a new order appears with its sound cue, and today\'s figures move', { timeout: 60000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Walnut Board', price: 2450, low_stock_threshold: 3, variants: [{ sku: 'WB-1', stock: 20, options: {} }] });
  const earlier = await placeOrder(p); // history: shown, no chime
  const { context, page } = await openDashboard();
  try {
    await page.waitForSelector(`#orders li[data-number="${earlier.number}"]`);
    assert.equal((await cues(page)).length, 0, 'orders from before the page opened make no sound');
    await page.waitForSelector('[data-figure="orders"][data-value="1"]');
    // Browsers let a page make sound once it has been touched: a click, and
    // the "click to let the chime play" hint goes away.
    await page.waitForSelector('#sound-hint:not([hidden])');
    await page.mouse.click(5, 300);
    await page.waitForSelector('#sound-hint[hidden]', { state: 'attached' });
    await markDocument(page);

    const order = await placeOrder(p, 2);
    await page.waitForSelector(`#orders li[data-number="${order.number}"]`);
    await waitCue(page, order.id);
    const c = (await cues(page)).find((x) => x.order_id === order.id);
    assert.equal(c.kind, 'new_order');
    assert.equal(c.number, order.number);
    assert.equal(c.audible, true, 'the chime played');
    assert.equal(await page.getAttribute('body', 'data-cues'), '1');
    // Newest first.
    assert.equal(await page.getAttribute('#orders li:first-child', 'data-number'), String(order.number));
    assert.match(await page.textContent(`#orders li[data-number="${order.number}"]`), /2× Walnut Board.*\$49\.00|\$49\.00/s);

    await page.waitForSelector('[data-figure="orders"][data-value="2"]');
    assert.equal(await page.textContent('#f-revenue'), '$73.50');
    assert.equal(await page.textContent('#f-units'), '3');
    assert.equal(await page.textContent('#f-average'), '$36.75');
    assert.equal(await sameDocument(page), true, 'the dashboard was not reloaded');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('a low-stock alert appears live', { timeout: 60000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Copper Kettle', price: 6000, low_stock_threshold: 3, variants: [{ sku: 'CK-1', stock: 5, options: {} }] });
  const { context, page } = await openDashboard();
  try {
    await placeOrder(p, 3); // 5 → 2: below the threshold of 3
    const sel = '#alerts li[data-kind="low_stock"]:has-text("Copper Kettle")';
    await page.waitForSelector(sel);
    assert.match(await page.textContent(sel), /Low stock.*Copper Kettle is low on stock \(2 left\)/s);
    await placeOrder(p, 2); // sold out
    await page.waitForSelector('#alerts li[data-kind="sold_out"]:has-text("Copper Kettle")');
    // "Stock alerts only" hides new-order alerts.
    await page.check('#stock-only');
    await page.waitForFunction(() => !document.querySelector('#alerts li[data-kind="new_order"]'));
    assert.ok(await page.$('#alerts li[data-kind="low_stock"]'));
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('connection status: offline when the server stops, online when it is back, and nothing is missed', { timeout: 90000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Linen Apron', price: 1800, variants: [{ sku: 'LA-1', stock: 50, options: {} }] });
  const { context, page } = await openDashboard();
  try {
    await shop.server.kill9();
    await waitConnection(page, 'offline');
    assert.equal(await page.textContent('#conn'), 'Offline');
    await screenshot(page, 'dashboard-offline', 'desktop');

    await restartOnSamePort(shop.server);
    await waitConnection(page);
    const order = await placeOrder(p);
    await page.waitForSelector(`#orders li[data-number="${order.number}"]`);
    await waitCue(page, order.id);
    assert.deepEqual(page.errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource|WebSocket/i.test(e)), []);
  } finally {
    await context.close();
  }
});

// Orders placed on the local day and not cancelled: the dashboard's
// "today" figure (docs/api.md, Figures). The demo's history may hold a
// cancelled one today, depending on the hour it is made.
async function ordersPlacedToday(admin) {
  const today = new Date().toDateString();
  let count = 0;
  let after = null;
  do {
    const page = (await admin.get(`/api/orders?limit=1000${after ? `&after=${after}` : ''}`)).body;
    count += page.data.filter((o) => new Date(o.created_at).toDateString() === today && o.status !== 'cancelled').length;
    after = page.next;
  } while (after);
  return count;
}

test('screenshots of the dashboard on the demo shop', { timeout: 90000 }, async () => {
  const { server: demo, key } = await startDemo('/dashboard');
  try {
    const admin = api(demo.url, key);
    // The demo's history has orders today already: the figure counts them too.
    const before = await ordersPlacedToday(admin);
    // A few orders and a low-stock alert, as a shop's morning would have.
    const products = (await admin.get('/api/products?status=active&limit=40')).body.data
      .filter((x) => x.stock_total > 3 && x.variants.length === 1).slice(0, 5);
    for (const [i, prod] of products.entries()) {
      const r = await admin.post('/api/orders', {
        items: [{ product_id: prod.id, variant_id: prod.variants[0].id, qty: 1 + (i % 2), unit_price: prod.variants[0].price_now }],
        channel: i % 2 ? 'pos' : 'web',
      }, { headers: { 'Idempotency-Key': `shot-${i}` } });
      assert.equal(r.status, 201, r.text);
    }
    const low = products[0];
    await admin.post('/api/stock/adjust', { variant_id: low.variants[0].id, set: 2, reason: 'adjustment' },
      { headers: { 'Idempotency-Key': 'shot-low' } });
    for (const viewport of ['desktop', 'phone']) {
      const { context, page } = await openPage(browser, `${demo.url}/dashboard?key=${key}`, { viewport });
      await waitConnection(page);
      await page.waitForSelector('#alerts li[data-kind="low_stock"]');
      await page.waitForSelector(`[data-figure="orders"][data-value="${before + 5}"]`);
      await screenshot(page, 'dashboard', viewport);
      assert.deepEqual(page.errors, []);
      await context.close();
    }
  } finally {
    await demo.stop();
  }
});
