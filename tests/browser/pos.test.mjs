// The till (/pos) in a real browser against the real server: live stock
// after a sale and after a stock change made elsewhere; sales rung up while
// the server is down are queued and sent once when it is back (also when an
// answer is lost on the way); two tills racing for the last unit; and
// screenshots of the till on a demo catalog.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startShop, seedProduct, openPage, screenshot, api, sleep,
  restartOnSamePort, startDemo, waitConnection,
} from './lib/browser.mjs';
import { markDocument, sameDocument } from './lib/pages.mjs';

let shop;
let browser;
let staff;

before(async () => {
  shop = await startShop('Till Shop');
  staff = await shop.token('staff');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await shop?.server.stop();
});

// ------------------------------------------------------------ helpers --

const tile = (id) => `#tiles li[data-product-id="${id}"]`;

function waitStock(page, productId, stock) {
  return page.waitForFunction(([sel, want]) => document.querySelector(sel)?.dataset.stock === want,
    [tile(productId), String(stock)], { timeout: 10000 });
}

// Taps the product's tile `units` times (one unit each), then Charge.
async function ringUp(page, productId, units = 1) {
  for (let i = 0; i < units; i++) await page.click(`${tile(productId)} button`);
  await page.click('#sell');
}

async function ordersFor(productId) {
  const r = await api(shop.url, shop.adminToken).get('/api/orders?limit=1000');
  assert.equal(r.status, 200, r.text);
  return r.body.data.filter((o) => o.items.some((i) => i.product_id === productId));
}

async function openTill(viewport = 'desktop') {
  const { context, page } = await openPage(browser, `${shop.url}/pos?key=${staff}`, { viewport });
  await waitConnection(page);
  return { context, page };
}

// A till on a new product with `stock` units, its stock shown: runs
// `fn({p, context, page})`, then closes the till.
async function withTill(product, stock, fn) {
  const p = await seedProduct(shop.admin, { ...product, variants: [{ sku: product.sku, stock, options: {} }] });
  const { context, page } = await openTill();
  try {
    await waitStock(page, p.id, stock);
    await fn({ p, context, page });
  } finally {
    await context.close();
  }
}

// ------------------------------------------------------------- tests --

test('a sale and a stock change elsewhere show in the tile without a reload', { timeout: 60000 }, async () => {
  await withTill({ title: 'Enamel Mug', sku: 'MUG-1', price: 1250 }, 10, async ({ p, page }) => {
    assert.equal(new URL(page.url()).searchParams.get('key'), null, 'the key is dropped from the address bar');
    await markDocument(page);

    // A scanner types the SKU and Enter.
    await page.fill('#scan', 'mug-1');
    await page.press('#scan', 'Enter');
    await page.waitForSelector(`#cart-lines li[data-variant-id="${p.variants[0].id}"]`);
    assert.match(await page.textContent('#sell'), /Charge \$12\.50/);
    await page.click('#sell');
    await page.waitForSelector('#last-sale[data-order]');
    await waitStock(page, p.id, 9);
    const orders = await ordersFor(p.id);
    assert.equal(orders.length, 1);
    assert.equal(orders[0].channel, 'pos');
    assert.equal(orders[0].total, 1250);

    // The admin receives 5 more: the till shows it live.
    const r = await shop.admin.post('/api/stock/adjust', { variant_id: p.variants[0].id, delta: 5, reason: 'purchase' },
      { headers: { 'Idempotency-Key': `adj-${p.id}` } });
    assert.equal(r.status, 200, r.text);
    await waitStock(page, p.id, 14);

    // Search narrows the tiles by title.
    await page.fill('#scan', 'enamel');
    await page.waitForFunction(() => document.querySelectorAll('#tiles li').length === 1);
    assert.equal(await sameDocument(page), true, 'the till was not reloaded');
    assert.deepEqual(page.errors, []);
  });
});

test('sales rung up while the server is down are queued and sent once when it is back', { timeout: 90000 }, async () => {
  await withTill({ title: 'Beeswax Candle', sku: 'CANDLE', price: 800 }, 6, async ({ p, page }) => {
    // An answer lost on the way: the server records the sale, the till never
    // hears; its retry with the same key must not make a second order.
    let lost = 0;
    await page.route('**/api/orders', async (route) => {
      if (lost === 0 && route.request().method() === 'POST') {
        lost++;
        await route.fetch(); // reaches the server
        await route.abort('connectionreset'); // ... but the till gets no answer
      } else {
        await route.continue();
      }
    });
    await ringUp(page, p.id);
    await page.waitForSelector('#last-sale[data-order]', { timeout: 15000 });
    await page.unroute('**/api/orders');
    assert.equal(lost, 1);
    assert.equal((await ordersFor(p.id)).length, 1, 'a retried sale is recorded once');
    await waitStock(page, p.id, 5);

    // The server goes away.
    await shop.server.kill9();
    await waitConnection(page, 'offline');
    await ringUp(page, p.id);
    await ringUp(page, p.id, 2);
    await page.waitForSelector('#queued[data-count="2"]');
    assert.match(await page.textContent('#conn'), /Offline · 2 sales queued/);
    await waitStock(page, p.id, 2); // 5 less the 3 units held by the queued sales
    await screenshot(page, 'pos-offline', 'desktop');

    // Back on the same address: the queue empties, each sale recorded once.
    await restartOnSamePort(shop.server);
    await waitConnection(page);
    await page.waitForSelector('#queued[data-count="0"]', { state: 'attached', timeout: 15000 });
    await waitStock(page, p.id, 2);
    await sleep(2500); // longer than the retry interval: nothing is sent twice
    const orders = await ordersFor(p.id);
    assert.equal(orders.length, 3, `orders: ${orders.map((o) => o.number).join(',')}`);
    assert.deepEqual(orders.map((o) => o.items[0].qty).sort(), [1, 1, 2]);
    assert.deepEqual(page.errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource|WebSocket/i.test(e)), []);
  });
});

test('a sale queued offline survives closing the till and is sent by the next visit', { timeout: 60000 }, async () => {
  await withTill({ title: 'Oak Spoon', sku: 'SPOON', price: 650 }, 4, async ({ p, context, page }) => {
    await shop.server.kill9();
    await waitConnection(page, 'offline');
    await ringUp(page, p.id);
    await page.waitForSelector('#queued[data-count="1"]'); // shown once it is stored
    await page.close();

    await restartOnSamePort(shop.server);
    const next = await context.newPage(); // same browser storage, key from the last visit
    await next.goto(`${shop.url}/pos`);
    await waitConnection(next);
    await next.waitForSelector('#queued[data-count="0"]', { state: 'attached', timeout: 15000 });
    await waitStock(next, p.id, 3);
    assert.equal((await ordersFor(p.id)).length, 1);
  });
});

test('two tills racing for the last unit: one sells, the other says which item failed', { timeout: 60000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Last Teapot', sku: 'TEA-1', price: 3900, variants: [{ sku: 'TEA-1', stock: 1, options: {} }] });
  const a = await openTill();
  const b = await openTill();
  try {
    for (const t of [a, b]) {
      await waitStock(t.page, p.id, 1);
      await t.page.click(`${tile(p.id)} button`);
      await t.page.waitForSelector('#cart-lines li[data-variant-id]');
    }
    await Promise.all([a.page.click('#sell'), b.page.click('#sell')]);
    const outcome = async (page) => Promise.race([
      page.waitForSelector('#last-sale[data-order]', { timeout: 15000 }).then(() => 'sold'),
      page.waitForSelector('.failed-sale', { timeout: 15000 }).then(() => 'refused'),
    ]);
    const results = await Promise.all([outcome(a.page), outcome(b.page)]);
    assert.deepEqual([...results].sort(), ['refused', 'sold']);
    const loser = results[0] === 'refused' ? a.page : b.page;
    const text = await loser.textContent('.failed-sale');
    assert.match(text, /Sale not recorded/);
    assert.match(text, /Last Teapot: sold out meanwhile/);
    assert.equal((await ordersFor(p.id)).length, 1);
    for (const t of [a, b]) await waitStock(t.page, p.id, 0);
    await screenshot(loser, 'pos-refused', 'desktop');

    // The cashier puts the items back: the line warns it is sold out.
    await loser.click('.failed-sale button:has-text("Back to cart")');
    await loser.waitForSelector('#cart-lines .line-warn:has-text("Sold out now")');
    await loser.waitForSelector('.failed-sale', { state: 'detached', timeout: 5000 });
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test('a shop key is refused with a prompt; the staff key entered there is kept', { timeout: 60000 }, async () => {
  const { context, page } = await openPage(browser, `${shop.url}/pos?key=${shop.publicToken}`);
  try {
    await page.waitForSelector('#key-dialog[open]');
    assert.match(await page.textContent('#key-dialog [data-role="reason"]'), /may not use the till/);
    await page.fill('#key-input', staff);
    await page.press('#key-input', 'Enter');
    await waitConnection(page);
    await page.reload();
    await waitConnection(page); // no prompt: the key was kept
    assert.equal(await page.$('#key-dialog[open]'), null);
  } finally {
    await context.close();
  }
});

test('screenshots of the till on the demo catalog', { timeout: 90000 }, async () => {
  const { server: demo, key } = await startDemo('/pos');
  try {
    for (const viewport of ['desktop', 'phone']) {
      const { context, page } = await openPage(browser, `${demo.url}/pos?key=${key}`, { viewport });
      await waitConnection(page);
      await page.waitForFunction(() => document.querySelectorAll('#tiles li button:not([disabled])').length >= 4);
      const buttons = await page.$$('#tiles li button:not([disabled])');
      for (const b of buttons.slice(0, 3)) {
        await b.click();
        if (await page.$('#variant-dialog[open]')) await page.click('#variant-dialog .variant:not([disabled])');
      }
      await page.waitForFunction(() => document.querySelectorAll('#cart-lines li.line').length >= 2);
      await page.evaluate(() => document.querySelectorAll('.notice').forEach((n) => n.remove()));
      await page.evaluate(() => document.activeElement?.blur());
      await screenshot(page, 'pos', viewport);
      if (viewport === 'phone') {
        await page.click('#sale-toggle');
        await screenshot(page, 'pos-sale', viewport);
      }
      assert.deepEqual(page.errors, []);
      await context.close();
    }
  } finally {
    await demo.stop();
  }
});
