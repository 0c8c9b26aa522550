// The customer portal (/portal) in a real browser against the real server:
// a retail customer sees its own orders and bills and nobody else's, and an
// order confirmed or a bill paid through the API shows live with a notice
// and a cue; a partner sees the catalog with stock, live, orders from the
// page (channel `partner`) and meets the corrections dialog on a stock
// shortfall; a retail customer sees no catalog; a refused key is asked for
// again; phone width fits without sideways scrolling (the demo shop's
// screenshots are docs_screens.test.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startShop, seedProduct, openPage, screenshot, waitConnection,
} from './lib/browser.mjs';
import { markDocument, sameDocument } from './lib/pages.mjs';

let shop;
let browser;

before(async () => {
  shop = await startShop('Portal Shop');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await shop?.server.stop();
});

// ------------------------------------------------------------ helpers --

let seq = 0;
const idem = (what) =>
  ({ headers: { 'Idempotency-Key': `portal-${what}-${Date.now()}-${++seq}` } });
const DAY_MS = 86400000;

const customer = (...args) => shop.customer(...args);

// An order the customer places itself (through the API): {order, bill}.
async function orderAs(who, product, qty = 1) {
  const item = {
    product_id: product.id, variant_id: product.variants[0].id, qty, unit_price: product.price,
  };
  const r = await who.api.post('/api/orders', { items: [item] }, idem('order'));
  assert.equal(r.status, 201, r.text);
  const bills = await who.api.get(`/api/bills?customer_id=${who.id}&limit=1000`);
  const bill = bills.body.data.find((b) => b.order_id === r.body.id);
  assert.ok(bill, 'a customer order comes with its bill');
  return { order: r.body, bill };
}

const confirm = async (order) => {
  const r = await shop.admin.post(`/api/orders/${order.id}/confirm`, {});
  assert.equal(r.status, 200, r.text);
};

const setStock = async (variant, count) => {
  const body = { variant_id: variant.id, set: count, reason: 'adjustment' };
  const r = await shop.admin.post('/api/stock/adjust', body, idem('adjust'));
  assert.equal(r.status, 200, r.text);
};

async function openPortal(who, { viewport = 'desktop' } = {}) {
  const url = `${shop.url}/portal?key=${who.token}`;
  const { context, page } = await openPage(browser, url, { viewport });
  await waitConnection(page);
  return { context, page };
}

const cues = (page) => page.evaluate(() => window.__shelfsyncCues ?? []);
const rowIds = (page, list, attr) =>
  page.$$eval(`${list} > li`, (lis, a) => lis.map((li) => li.getAttribute(a)), attr);
const variantRow = (variant) => `.portal-variant[data-variant-id="${variant.id}"]`;
const cartLine = (variant) => `#cart li.cart-line[data-variant-id="${variant.id}"]`;

// Puts `qty` of a variant into the partner's order from the catalog.
async function addToOrder(page, variant, qty) {
  await page.fill(`#qty-${variant.id}`, String(qty));
  await page.click(`${variantRow(variant)} .add`);
  await page.waitForSelector(cartLine(variant));
}

// Waits until the order or bill `id` shows `status` in its list, with a
// notice saying `text` and a cue naming it; resolves with the cue.
async function seeNews(page, { kind, id, status, text }) {
  const attr = `data-${kind}-id`;
  await page.waitForSelector(`#${kind}s li[${attr}="${id}"][data-status="${status}"]`);
  const notice = page.locator(`.notice[${attr}="${id}"][data-status="${status}"]`);
  await notice.waitFor();
  assert.match(await notice.textContent(), text);
  const key = `${kind}_id`;
  await page.waitForFunction(([k, v]) => window.__shelfsyncCues.some((x) => x[k] === v), [key, id]);
  return (await cues(page)).find((x) => x[key] === id);
}

// True when nothing on the page is wider than the window.
const fitsWidth = (page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

// ------------------------------------------------------------- tests --

test('a retail customer sees its own orders and bills live, with a notice and a cue on each change',
  { timeout: 90000 }, async () => {
    const p = await seedProduct(shop.admin,
      { title: 'Oak Stool', price: 3500, variants: [{ sku: 'OS-1', stock: 40, options: {} }] });
    const alice = await customer('cust_alice', 'Alice Martin');
    const bob = await customer('cust_bob', 'Bob Stone');
    const mine = [await orderAs(alice, p, 1), await orderAs(alice, p, 2)];
    const theirs = await orderAs(bob, p, 1);

    const { context, page } = await openPortal(alice);
    try {
      await page.locator('#greeting', { hasText: 'Alice Martin' }).waitFor();
      assert.equal(await page.getAttribute('body', 'data-kind'), 'retail');
      for (const { order, bill } of mine) {
        await page.waitForSelector(`#orders li[data-order-id="${order.id}"][data-status="placed"]`);
        await page.waitForSelector(`#bills li[data-bill-id="${bill.id}"][data-status="unpaid"]`);
      }
      // Newest first; nobody else's orders or bills.
      assert.deepEqual(await rowIds(page, '#orders', 'data-order-id'),
        [mine[1].order.id, mine[0].order.id]);
      assert.deepEqual((await rowIds(page, '#bills', 'data-bill-id')).sort(),
        mine.map((m) => m.bill.id).sort());
      const others = `[data-order-id="${theirs.order.id}"], [data-bill-id="${theirs.bill.id}"]`;
      assert.equal(await page.$(others), null);
      const row = await page.textContent(`#orders li[data-order-id="${mine[1].order.id}"]`);
      assert.match(row, new RegExp(`Order #${mine[1].order.number}`));
      assert.match(row, /2 × Oak Stool/);
      assert.match(row, /\$70\.00/);
      // A retail customer is shown no catalog and no stock.
      for (const sel of ['#catalog-panel', '#cart-link', '#customer-kind']) {
        assert.equal(await page.isHidden(sel), true, `${sel} is hidden for a retail customer`);
      }
      assert.equal(await page.$('.portal-product'), null);
      assert.equal((await cues(page)).length, 0,
        'what was there before the page opened is no news');
      assert.equal(await page.$('.notice'), null);

      // Browsers let a page make sound once it has been touched.
      await page.mouse.click(5, 400);
      await page.waitForSelector('#sound-hint[hidden]', { state: 'attached' });
      await markDocument(page);

      // The shop confirms an order: the new status shows, with a notice and a cue.
      const confirmed = mine[0].order;
      await confirm(confirmed);
      const cue = await seeNews(page, { kind: 'order', id: confirmed.id, status: 'confirmed',
        text: new RegExp(`Order #${confirmed.number} is now confirmed`) });
      assert.equal(cue.status, 'confirmed');
      assert.equal(cue.audible, true, 'the chime played');
      const steps = `#orders li[data-order-id="${confirmed.id}"] .status-history li`;
      const history = await page.$$eval(steps, (lis) => lis.map((li) => li.dataset.status));
      assert.deepEqual(history, ['placed', 'confirmed']);

      // Another customer's order changes: nothing reaches this page.
      await confirm(theirs.order);

      // The shop takes a payment for the whole bill: it turns paid, with a notice.
      const bill = mine[1].bill;
      const pay = await shop.admin.post(`/api/bills/${bill.id}/pay`,
        { amount: bill.amount, method: 'card' });
      assert.equal(pay.status, 200, pay.text);
      await seeNews(page, { kind: 'bill', id: bill.id, status: 'paid',
        text: new RegExp(`Bill #${bill.number} is now paid`) });

      // A bill the shop writes by hand, already past its due date: news, and overdue.
      const due = new Date(Date.now() - DAY_MS).toISOString();
      const late = await shop.admin.post('/api/bills',
        { customer_id: alice.id, amount: 1250, due_at: due, note: 'Delivery' });
      assert.equal(late.status, 201, late.text);
      const lateRow = `#bills li[data-bill-id="${late.body.id}"]`;
      await page.waitForSelector(`${lateRow}[data-status="unpaid"][data-overdue="true"]`);
      await page.locator(`.notice[data-bill-id="${late.body.id}"]`,
        { hasText: `New bill #${late.body.number}` }).waitFor();
      await page.locator('#bills-summary', { hasText: 'Overdue: $12.50' }).waitFor();

      const all = await cues(page);
      assert.ok(!all.some((x) => x.order_id === theirs.order.id), 'no cue for another customer');
      assert.equal(await page.$(others), null);
      assert.equal(await sameDocument(page), true, 'the portal was not reloaded');
      await screenshot(page, 'portal-retail', 'desktop');
      assert.deepEqual(page.errors, []);
    } finally {
      await context.close();
    }
  });

test('a partner sees the catalog with stock live, orders from it and meets the corrections dialog',
  { timeout: 120000 }, async () => {
    const crate = await seedProduct(shop.admin, {
      title: 'Pine Crate', price: 1500, options: [{ name: 'size', values: ['S', 'L'] }],
      variants: [{ sku: 'PC-S', options: { size: 'S' }, stock: 7 },
        { sku: 'PC-L', options: { size: 'L' }, stock: 2 }],
    });
    await seedProduct(shop.admin,
      { title: 'Jute Twine', price: 400, variants: [{ sku: 'JT-1', stock: 30, options: {} }] });
    const [small, large] = crate.variants;
    const carol = await customer('cust_carol', 'Carol Supplies Ltd', 'partner');
    const { context, page } = await openPortal(carol);
    try {
      await page.waitForSelector('body[data-kind="partner"]');
      await page.locator('#greeting', { hasText: 'Carol Supplies Ltd' }).waitFor();
      const product = `.portal-product[data-product-id="${crate.id}"]`;
      await page.waitForSelector(`${product}[data-stock="9"]`);
      await page.waitForSelector(`${product} ${variantRow(small)}[data-stock="7"]`);
      await page.waitForSelector(`${product} ${variantRow(large)}[data-stock="2"]`);
      assert.match(await page.textContent(product), /9 in stock/);
      await markDocument(page);

      // Search narrows the catalog.
      await page.fill('#search', 'twine');
      await page.waitForSelector(product, { state: 'detached' });
      assert.match(await page.textContent('#catalog'), /Jute Twine/);
      await page.fill('#search', '');
      await page.waitForSelector(product);

      // Stock moves at the shop: the partner sees it without a reload.
      await setStock(small, 4);
      await page.waitForSelector(`${product}[data-stock="6"] ${variantRow(small)}[data-stock="4"]`);

      // An order from the portal: on channel partner, listed at once, no notice for it.
      await addToOrder(page, small, 2);
      assert.equal(await page.inputValue(`${cartLine(small)} .qty`), '2');
      await page.locator('#cart-count', { hasText: '2' }).waitFor();
      await page.click('#place-order');
      const placed = await page.waitForSelector('#cart .placed[data-order-id]');
      const orderId = await placed.getAttribute('data-order-id');
      const listed = `#orders li[data-order-id="${orderId}"]`;
      await page.waitForSelector(`${listed}[data-channel="partner"][data-status="placed"]`);
      const o = await shop.admin.get(`/api/orders/${orderId}`);
      assert.equal(o.status, 200, o.text);
      assert.equal(o.body.channel, 'partner');
      assert.equal(o.body.customer_id, carol.id);
      assert.deepEqual(o.body.items.map((i) => [i.variant_id, i.qty]), [[small.id, 2]]);
      await page.waitForSelector('#bills li[data-status="unpaid"]');
      await page.waitForSelector(`${product} ${variantRow(small)}[data-stock="2"]`);

      // Two of the large ones go into the order; the till sells one meanwhile.
      await addToOrder(page, large, 2);
      await setStock(large, 1);
      await page.waitForSelector(`${product} ${variantRow(large)}[data-stock="1"]`);
      // The page's own order made no notice and no sound.
      assert.equal(await page.$('.notice'), null);
      assert.deepEqual(await cues(page), []);

      await page.click('#place-order');
      const dialog = page.locator('dialog.corrections');
      await dialog.waitFor();
      await dialog.locator('.correction[data-field="stock"]',
        { hasText: 'Only 1 left (you asked for 2)' }).waitFor();
      await screenshot(page, 'portal-corrections', 'desktop');
      await dialog.locator('.accept').click();
      const next = `#cart .placed[data-order-id]:not([data-order-id="${orderId}"])`;
      const secondId = await (await page.waitForSelector(next)).getAttribute('data-order-id');
      const o2 = (await shop.admin.get(`/api/orders/${secondId}`)).body;
      assert.equal(o2.channel, 'partner');
      assert.deepEqual(o2.items.map((i) => [i.variant_id, i.qty]), [[large.id, 1]]);
      await page.waitForSelector(`#orders li[data-order-id="${secondId}"]`);
      await page.waitForSelector(`${product}[data-stock="2"]`);

      // The shop confirms the partner's order: that is news.
      await confirm(o.body);
      await page.waitForSelector(`.notice[data-order-id="${orderId}"][data-status="confirmed"]`);
      assert.equal(await sameDocument(page), true, 'the portal was not reloaded');
      await screenshot(page, 'portal-partner', 'desktop');
      assert.deepEqual(page.errors.filter((e) => !e.includes('409')), []);
    } finally {
      await context.close();
    }
  });

test('a key the server refuses is forgotten and asked for again', { timeout: 60000 }, async () => {
  const dave = await customer('cust_dave', 'Dave Reed');
  const { context, page } = await openPage(browser, `${shop.url}/portal?key=not-a-real-key`);
  const reason = (text) =>
    page.locator('.key-form [data-role="reason"]', { hasText: text }).waitFor();
  const kept = () => page.evaluate(() => localStorage.getItem('shelfsync.portal.key'));
  try {
    await reason('not accepted');
    assert.equal(await kept(), null);
    await page.fill('#key-input', shop.publicToken);
    await page.click('.key-form button[type="submit"]');
    await reason('not a customer key');
    await page.fill('#key-input', dave.token);
    await page.click('.key-form button[type="submit"]');
    await waitConnection(page);
    await page.locator('#greeting', { hasText: 'Dave Reed' }).waitFor();
    assert.equal(await kept(), dave.token);
  } finally {
    await context.close();
  }
});

test('phone width: the portal fits without sideways scrolling', { timeout: 90000 }, async () => {
  const finishes = ['Matte black powder coat', 'Galvanised'];
  const p = await seedProduct(shop.admin, {
    title: 'Extra Long Product Title For A Heavy Duty Galvanised Steel Storage Shelf Unit',
    price: 129900, options: [{ name: 'finish', values: finishes }],
    variants: [{ sku: 'SHELF-BLK', options: { finish: finishes[0] }, stock: 12 },
      { sku: 'SHELF-GAL', options: { finish: finishes[1] }, stock: 0 }],
  });
  const erin = await customer('cust_erin', 'Erin Wholesale Trading Company', 'partner');
  await confirm((await orderAs(erin, p, 3)).order);
  const frank = await customer('cust_frank', 'Frank Retail');
  await orderAs(frank, p, 1);
  for (const [who, name] of [[frank, 'portal-retail'], [erin, 'portal-partner']]) {
    const { context, page } = await openPortal(who, { viewport: 'phone' });
    try {
      await page.waitForSelector('#orders li[data-order-id]');
      await page.waitForSelector('#bills li[data-bill-id]');
      if (who === erin) {
        await page.waitForSelector(`.portal-product[data-product-id="${p.id}"]`);
        await addToOrder(page, p.variants[0], 1);
      }
      assert.equal(await fitsWidth(page), true, `${who.id}: no sideways scrolling at 390px`);
      await screenshot(page, name, 'phone', { fullPage: true });
      assert.deepEqual(page.errors, []);
    } finally {
      await context.close();
    }
  }
});
