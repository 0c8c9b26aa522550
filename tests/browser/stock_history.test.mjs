// The product editor's stock history (/admin) in a real browser against the
// real server: the movements so far with reason, change and running stock;
// a till's sale and the editor's own count adding rows live, without a
// reload; another product's movements never shown; a phone's width.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startShop, seedProduct, api } from './lib/browser.mjs';
import { openAdmin, editProduct, markDocument, sameDocument } from './lib/pages.mjs';

let shop;
let browser;
let till;

before(async () => {
  shop = await startShop('History Shop');
  browser = await launchBrowser();
  till = api(shop.url, await shop.token('staff'));
});

after(async () => {
  await browser?.close();
  await shop?.server.stop();
});

let seq = 0;
const idem = () => ({ headers: { 'Idempotency-Key': `history-${Date.now()}-${++seq}` } });

async function adjust(variant, set, reason = 'purchase') {
  const r = await shop.admin.post('/api/stock/adjust', { variant_id: variant.id, set, reason, note: 'delivery' }, idem());
  assert.equal(r.status, 200, r.text);
  return r.body.movement;
}

// What the history shows, newest first: [reason, delta, stock after].
const shown = (page) => page.$$eval('.stock-history li.movement', (lis) => lis.map((li) => [
  li.dataset.reason, li.querySelector('.movement-delta').textContent, li.querySelector('.stock-after').textContent]));

test('the editor shows the product\'s stock history and follows it live', { timeout: 90000 }, async () => {
  const p = await seedProduct(shop.admin, {
    title: 'Linen Towel', price: 1800,
    options: [{ name: 'colour', values: ['Sand', 'Sage'] }],
    variants: [{ sku: 'LT-S', stock: 0, options: { colour: 'Sand' } }, { sku: 'LT-G', stock: 0, options: { colour: 'Sage' } }],
  });
  const other = await seedProduct(shop.admin, { title: 'Cotton Towel', price: 1500, variants: [{ sku: 'CT-1', stock: 0, options: {} }] });
  const [sand, sage] = p.variants;
  await adjust(sand, 12);
  await adjust(sage, 4);
  await adjust(other.variants[0], 30);

  const { context, page } = await openAdmin(browser, shop);
  try {
    await editProduct(page, p.id);
    await markDocument(page);
    await page.waitForSelector('.stock-history[data-count="2"]');
    assert.deepEqual(await shown(page), [['purchase', '+4', '4'], ['purchase', '+12', '12']]);
    assert.match(await page.textContent('.stock-history li.movement:first-child'), /Purchase.*Sage.*Admin.*delivery/s);

    // A sale at the till: a new row on top, the stock after it, live.
    const sale = await till.post('/api/orders', {
      items: [{ product_id: p.id, variant_id: sand.id, qty: 3, unit_price: 1800 }], channel: 'pos',
    }, idem());
    assert.equal(sale.status, 201, sale.text);
    await page.waitForSelector('.stock-history[data-count="3"]');
    assert.deepEqual((await shown(page))[0], ['sale', '-3', '9']);
    const top = page.locator('.stock-history li.movement').first();
    assert.match(await top.textContent(), new RegExp(`Sale.*Sand.*Staff.*order ${sale.body.id}`, 's'));
    assert.equal(await top.getAttribute('class'), 'movement out fresh', 'the new row stands out');

    // The editor's own count: an adjustment row.
    const row = page.locator('table.variants tr', { hasText: 'Sage' });
    await row.locator('.stock-set').fill('7');
    await row.locator('.stock-reason').selectOption('adjustment');
    await row.locator('.stock-apply').click();
    await page.waitForSelector('.stock-history[data-count="4"]');
    assert.deepEqual((await shown(page))[0], ['adjustment', '+3', '7']);

    // The other product's movements never show here.
    await adjust(other.variants[0], 25, 'adjustment');
    const ids = await page.$$eval('.stock-history li.movement', (lis) => lis.map((li) => li.dataset.movementId));
    const theirs = (await shop.admin.get(`/api/stock_movements?product_id=${other.id}`)).body.data.map((m) => m.id);
    assert.equal(ids.filter((id) => theirs.includes(id)).length, 0);
    assert.equal(await page.getAttribute('.stock-history', 'data-count'), '4');

    // Another product's editor has its own history.
    await editProduct(page, other.id);
    await page.waitForSelector(`.stock-history[data-product-id="${other.id}"][data-count="2"]`);
    assert.deepEqual(await shown(page), [['adjustment', '-5', '25'], ['purchase', '+30', '30']]);
    assert.equal(await sameDocument(page), true, 'the admin was not reloaded');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('a new product says it has no stock history yet; a phone shows the history without scrolling sideways', { timeout: 60000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Wool Blanket', price: 9900, variants: [{ sku: 'WB-1', stock: 0, options: {} }] });
  const { context, page } = await openAdmin(browser, shop, { viewport: 'phone' });
  try {
    await editProduct(page, p.id);
    await page.locator('.stock-history-note', { hasText: 'No stock movements yet.' }).waitFor();
    await adjust(p.variants[0], 5);
    await page.waitForSelector('.stock-history[data-count="1"]');
    await page.locator('.stock-history').scrollIntoViewIfNeeded();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});
