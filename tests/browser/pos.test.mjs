// The till (/pos) in a real browser against the real server: live stock
// after a sale and after a stock change made elsewhere; sales rung up while
// the server is down are queued and sent once when it is back (also when an
// answer is lost on the way); two tills racing for the last unit; and
// screenshots of the till on a demo catalog.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  launchBrowser, startShop, seedProduct, openPage, screenshot, api, sleep,
} from './lib/browser.mjs';
import { BIN, runCli, startServer } from '../integration/lib/server.mjs';

let shop;
let browser;
let staff;
let revived = null; // a server restarted by this file on the same port

before(async () => {
  shop = await startShop('Till Shop');
  staff = await shop.token('staff');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopRevived();
  await shop?.server.stop();
});

// ------------------------------------------------------------ helpers --

// Starts `serve` again on the port and db the killed server had, so the
// page's own address keeps working (the harness's restart picks a new port).
async function reviveOnSamePort(server) {
  for (let attempt = 0; ; attempt++) {
    try {
      revived = await serve(server.port, server.dbPath);
      return;
    } catch (e) {
      if (attempt >= 10) throw e;
      await sleep(300); // the port may still be held for a moment
    }
  }
}

function serve(port, dbPath) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--db', `sqlite:${dbPath}`],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no ready line: ${out}`)); }, 20000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes(`listening on http://127.0.0.1:${port}`)) { clearTimeout(timer); resolve(child); }
    });
    child.stderr.resume();
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}: ${out}`)); });
    process.on('exit', () => child.kill('SIGKILL'));
  });
}

// SIGKILL for whichever server runs now (the harness's, or the revived one).
async function killServer() {
  if (!revived) { await shop.server.kill9(); return; }
  const child = revived;
  revived = null;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

async function stopRevived() {
  if (!revived) return;
  const child = revived;
  revived = null;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}

const tile = (id) => `#tiles li[data-product-id="${id}"]`;

function waitStock(page, productId, stock) {
  return page.waitForFunction(([sel, want]) => document.querySelector(sel)?.dataset.stock === want,
    [tile(productId), String(stock)], { timeout: 10000 });
}

const waitOnline = (page) => page.waitForSelector('#conn[data-state="online"]', { timeout: 15000 });

async function ordersFor(productId) {
  const r = await api(shop.url, shop.adminToken).get('/api/orders?limit=1000');
  assert.equal(r.status, 200, r.text);
  return r.body.data.filter((o) => o.items.some((i) => i.product_id === productId));
}

async function openTill(viewport = 'desktop') {
  const { context, page } = await openPage(browser, `${shop.url}/pos?key=${staff}`, { viewport });
  await waitOnline(page);
  return { context, page };
}

// ------------------------------------------------------------- tests --

test('a sale and a stock change elsewhere show in the tile without a reload', { timeout: 60000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Enamel Mug', sku: 'MUG-1', price: 1250, variants: [{ sku: 'MUG-1', stock: 10, options: {} }] });
  const { context, page } = await openTill();
  try {
    await waitStock(page, p.id, 10);
    assert.equal(new URL(page.url()).searchParams.get('key'), null, 'the key is dropped from the address bar');

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
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('sales rung up while the server is down are queued and sent once when it is back', { timeout: 90000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Beeswax Candle', sku: 'CANDLE', price: 800, variants: [{ sku: 'CANDLE', stock: 6, options: {} }] });
  const { context, page } = await openTill();
  try {
    await waitStock(page, p.id, 6);

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
    await page.click(`${tile(p.id)} button`);
    await page.click('#sell');
    await page.waitForSelector('#last-sale[data-order]', { timeout: 15000 });
    await page.unroute('**/api/orders');
    assert.equal(lost, 1);
    assert.equal((await ordersFor(p.id)).length, 1, 'a retried sale is recorded once');
    await waitStock(page, p.id, 5);

    // The server goes away.
    await killServer();
    await page.waitForSelector('#conn[data-state="offline"]', { timeout: 15000 });
    await page.click(`${tile(p.id)} button`);
    await page.click('#sell');
    await page.click(`${tile(p.id)} button`);
    await page.click(`${tile(p.id)} button`);
    await page.click('#sell');
    await page.waitForSelector('#queued[data-count="2"]');
    assert.match(await page.textContent('#conn'), /Offline · 2 sales queued/);
    await waitStock(page, p.id, 2); // 5 less the 3 units held by the queued sales
    await screenshot(page, 'pos-offline', 'desktop');

    // Back on the same address: the queue empties, each sale recorded once.
    await reviveOnSamePort(shop.server);
    await waitOnline(page);
    await page.waitForSelector('#queued[data-count="0"]', { state: 'attached', timeout: 15000 });
    await waitStock(page, p.id, 2);
    await sleep(2500); // longer than the retry interval: nothing is sent twice
    const orders = await ordersFor(p.id);
    assert.equal(orders.length, 3, `orders: ${orders.map((o) => o.number).join(',')}`);
    assert.deepEqual(orders.map((o) => o.items[0].qty).sort(), [1, 1, 2]);
    assert.deepEqual(page.errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource|WebSocket/i.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a sale queued offline survives closing the till and is sent by the next visit', { timeout: 60000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Oak Spoon', sku: 'SPOON', price: 650, variants: [{ sku: 'SPOON', stock: 4, options: {} }] });
  const { context, page } = await openTill();
  try {
    await waitStock(page, p.id, 4);
    await killServer();
    await page.waitForSelector('#conn[data-state="offline"]', { timeout: 15000 });
    await page.click(`${tile(p.id)} button`);
    await page.click('#sell');
    await page.waitForSelector('#queued[data-count="1"]'); // shown once it is stored
    await page.close();

    await reviveOnSamePort(shop.server);
    const next = await context.newPage(); // same browser storage, key from the last visit
    await next.goto(`${shop.url}/pos`);
    await waitOnline(next);
    await next.waitForSelector('#queued[data-count="0"]', { state: 'attached', timeout: 15000 });
    await waitStock(next, p.id, 3);
    assert.equal((await ordersFor(p.id)).length, 1);
  } finally {
    await context.close();
  }
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
    assert.equal(await loser.$('.failed-sale'), null);
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
    await waitOnline(page);
    await page.reload();
    await waitOnline(page); // no prompt: the key was kept
    assert.equal(await page.$('#key-dialog[open]'), null);
  } finally {
    await context.close();
  }
});

test('screenshots of the till on the demo catalog', { timeout: 90000 }, async () => {
  const demo = await startServer();
  try {
    await demo.terminate();
    const out = await runCli(['demo', '--db', `sqlite:${demo.dbPath}`, '--url', 'http://x']);
    const key = out.match(/\/pos\?key=(\S+)/)[1];
    await demo.start();
    for (const viewport of ['desktop', 'phone']) {
      const { context, page } = await openPage(browser, `${demo.url}/pos?key=${key}`, { viewport });
      await waitOnline(page);
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
