// Screenshots of /shop and /admin on the demo catalog (`shelfsync demo`),
// as a shop would see them, into out/screenshots: at desktop (1280×800) and
// phone (390×844) widths the shop's grid and a product page, the admin's
// list and editor; at phone width the cart, the corrections dialog and the
// thank-you page, and the admin's sign-in. Product pages and the editor are
// also shot whole (`-full`), for what lies below the fold.

import test from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startDemo, screenshot, openPage, api } from './lib/browser.mjs';
import { openAdmin, openShop } from './lib/pages.mjs';

// Resolves once every image in view has loaded, so a shot shows photos and
// not their empty frames (lazy ones below the fold are not waited for).
const imagesInView = (page) => page.waitForFunction(() => [...document.images]
  .filter((im) => { const r = im.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight && r.width > 0; })
  .every((im) => im.complete && im.naturalWidth > 0));

async function shoot(page, name, viewport, opts) {
  await imagesInView(page);
  await screenshot(page, name, viewport, opts);
}

const go = (page, hash) => page.evaluate((h) => { location.hash = h; }, hash);

// Adds `qty` of product `p` (its first variant) to the shop's cart through
// its product page.
async function addToCart(page, p, qty = 1) {
  await go(page, `#/product/${p.id}`);
  await page.locator(`.product-page[data-product-id="${p.id}"]`).waitFor();
  await page.fill('#qty', String(qty));
  await page.dispatchEvent('#qty', 'change');
  await page.click('.add-to-cart');
}

test('shop and admin on the demo catalog at desktop and phone widths', { timeout: 180000 }, async () => {
  const { server, keys } = await startDemo();
  const shop = { url: server.url, adminToken: keys.admin, publicToken: keys.shop };
  const admin = api(server.url, keys.admin);
  const browser = await launchBrowser();
  try {
    const r = await admin.get('/api/products?status=active&limit=1000');
    assert.equal(r.status, 200, r.text);
    const active = r.body.data;
    // The product page with the most to show: on sale, in sizes and colours, several photos.
    const showcase = active.find((p) => p.on_sale && p.options.length > 1 && p.images.length > 2);
    assert.ok(showcase, 'the demo catalog has an on-sale product with options and photos');
    const plain = active.filter((p) => p.variants.length === 1 && p.stock_total > 5 && !p.sale);

    for (const viewport of ['desktop', 'phone']) {
      const { page: s } = await openShop(browser, shop, { viewport });
      await s.locator('.product-card').nth(7).waitFor();
      // The storefront is titled with the shop's own name (GET /api/shop).
      await s.locator('header .brand', { hasText: 'Demo Shop' }).waitFor();
      assert.equal(await s.title(), 'Demo Shop');
      await shoot(s, 'shop', viewport);
      await go(s, `#/product/${showcase.id}`);
      await s.locator('.pdp-title', { hasText: showcase.title }).waitFor();
      await shoot(s, 'shop-product', viewport);
      await shoot(s, 'shop-product-full', viewport, { fullPage: true });

      const { page: a } = await openAdmin(browser, shop, { viewport });
      await a.locator('.product-row').nth(7).waitFor();
      await shoot(a, 'admin', viewport);
      await go(a, `#/product/${showcase.id}`);
      await a.locator(`.editor[data-product-id="${showcase.id}"]`).waitFor();
      await shoot(a, 'admin-editor', viewport);
      await shoot(a, 'admin-editor-full', viewport, { fullPage: true });
      assert.deepEqual(s.errors, []);
      assert.deepEqual(a.errors, []);
    }

    // The cart on a phone: three lines, one of whose prices has just gone
    // up; then a stock-out at checkout brings the corrections dialog.
    const { page: s } = await openShop(browser, shop, { viewport: 'phone' });
    const [dearer, scarce, third] = plain;
    await addToCart(s, dearer);
    await addToCart(s, scarce, 3);
    await addToCart(s, third, 2);
    await go(s, '#/cart');
    await s.locator('.cart-line').nth(2).waitFor();
    const up = await admin.patch(`/api/products/${dearer.id}`, { price: dearer.price + 500 });
    assert.equal(up.status, 200, up.text);
    await s.locator(`.cart-line[data-product-id="${dearer.id}"] .price-changed`).waitFor();
    await s.evaluate(() => document.querySelectorAll('.toast').forEach((t) => t.remove()));
    await shoot(s, 'shop-cart', 'phone', { fullPage: true });

    const adj = await admin.post('/api/stock/adjust', { variant_id: scarce.variants[0].id, set: 1, reason: 'adjustment' },
      { headers: { 'Idempotency-Key': 'screens-scarce' } });
    assert.equal(adj.status, 200, adj.text);
    await s.click('.checkout');
    const dialog = s.locator('dialog.corrections');
    await dialog.locator('.correction[data-field=stock]', { hasText: 'Only 1 left (you asked for 3)' }).waitFor();
    await shoot(s, 'shop-corrections', 'phone');
    await dialog.locator('.accept').click();
    await s.locator('.thanks .order-number').waitFor();
    await shoot(s, 'shop-thanks', 'phone');
    assert.deepEqual(s.errors.filter((e) => !e.startsWith('409')), []);

    // Without a key: the admin asks for one, the shop explains its link.
    const { page: signIn } = await openPage(browser, `${shop.url}/admin`, { viewport: 'phone' });
    await signIn.locator('form.key-form').waitFor();
    await screenshot(signIn, 'admin-signin', 'phone');
    await signIn.fill('#key-input', shop.adminToken);
    await signIn.click('form.key-form button');
    await signIn.locator('.pill.live').waitFor();
    const { page: noKey } = await openPage(browser, `${shop.url}/shop`, { viewport: 'phone' });
    await noKey.locator('h1', { hasText: 'Shop link incomplete' }).waitFor();
    await screenshot(noKey, 'shop-nokey', 'phone');
  } finally {
    await browser.close();
    await server.stop();
  }
});
