// Checkout on /shop: a price change reaches an item already in the cart; a
// stock-out between cart and order brings the corrections dialog; accepting
// places the order.

import test from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startShop, seedProduct, screenshot, recordTiming } from './lib/browser.mjs';
import { openShop, markDocument, sameDocument } from './lib/pages.mjs';

test('cart follows prices; stock-out shows corrections; accepting places the order', { timeout: 120000 }, async () => {
  const shop = await startShop();
  const browser = await launchBrowser();
  try {
    const a = await seedProduct(shop.admin, { title: 'Espresso Cup', price: 2000, variants: [{ sku: 'CUP', stock: 5, options: {} }] });
    const b = await seedProduct(shop.admin, { title: 'Milk Jug', price: 1000, variants: [{ sku: 'JUG', stock: 3, options: {} }] });
    const { page } = await openShop(browser, shop, { hash: `#/product/${a.id}` });

    await page.locator('.pdp-title', { hasText: 'Espresso Cup' }).waitFor();
    await page.fill('#qty', '2');
    await page.dispatchEvent('#qty', 'change');
    await page.click('.add-to-cart');
    await page.evaluate((id) => { location.hash = `#/product/${id}`; }, b.id);
    await page.locator('.pdp-title', { hasText: 'Milk Jug' }).waitFor();
    await page.fill('#qty', '3');
    await page.dispatchEvent('#qty', 'change');
    await page.click('.add-to-cart');
    await page.click('.cart-link');
    await page.locator(`.cart-line[data-product-id="${a.id}"] .line-price`, { hasText: '$40.00' }).waitFor();
    await page.locator('.cart-total .total', { hasText: '$70.00' }).waitFor();

    // The admin lowers the cup's price: the cart shows it without a reload.
    await markDocument(page);
    const t0 = performance.now();
    const r = await shop.admin.patch(`/api/products/${a.id}`, { price: 1800 });
    assert.equal(r.status, 200);
    await page.locator(`.cart-line[data-product-id="${a.id}"] .line-price`, { hasText: '$36.00' }).waitFor();
    recordTiming('checkout', 'price change into cart', performance.now() - t0);
    await page.locator(`.cart-line[data-product-id="${a.id}"] .price-changed`, { hasText: '$20.00' }).waitFor();
    await page.locator('.cart-total .total', { hasText: '$66.00' }).waitFor();
    assert.equal(await sameDocument(page), true, 'the cart was not reloaded');
    await screenshot(page, 'shop-cart', 'desktop');

    // Someone buys two jugs at the till: one is left.
    const adj = await shop.admin.post('/api/stock/adjust', { variant_id: b.variants[0].id, set: 1, reason: 'adjustment' },
      { headers: { 'Idempotency-Key': 'till-1' } });
    assert.equal(adj.status, 200, adj.text);

    await page.click('.checkout');
    const dialog = page.locator('dialog.corrections');
    await dialog.waitFor();
    await dialog.locator('.correction[data-field=stock]', { hasText: 'Only 1 left (you asked for 3)' }).waitFor();
    await screenshot(page, 'shop-corrections', 'desktop');
    await dialog.locator('.accept').click();
    await page.locator('.thanks .order-number').waitFor();
    const number = (await page.locator('.thanks .order-number').textContent()).replace('#', '');

    const orders = await shop.admin.get('/api/orders');
    assert.equal(orders.status, 200);
    const order = orders.body.data.find((o) => String(o.number) === number);
    assert.ok(order, `order ${number} exists`);
    const items = Object.fromEntries(order.items.map((i) => [i.product_id, [i.qty, i.unit_price]]));
    assert.deepEqual(items, { [a.id]: [2, 1800], [b.id]: [1, 1000] });
    assert.equal(order.total, 4600);
    const jug = await shop.admin.get(`/api/products/${b.id}`);
    assert.equal(jug.body.variants[0].stock, 0);
    assert.equal(await page.locator('.cart-count').textContent(), '0');
    assert.deepEqual(page.errors.filter((e) => !e.includes('409')), []);
  } finally {
    await browser.close();
    await shop.server.stop();
  }
});
