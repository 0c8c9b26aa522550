// Screenshots of /admin and /shop at desktop (1280×800) and phone
// (390×844) widths, on a small realistic catalog, into out/screenshots.

import test from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startShop, seed, screenshot, openPage } from './lib/browser.mjs';
import { openAdmin, openShop } from './lib/pages.mjs';
import { makePng } from '../integration/lib/images.mjs';

// The list once its fifth `row` shows, then product `id`'s page
// (#/product/<id>) once `ready` shows: one screenshot of each.
async function shootListAndProduct(page, viewport, { list, row, product, ready, id }) {
  await page.locator(row).nth(4).waitFor();
  await screenshot(page, list, viewport);
  await page.evaluate((pid) => { location.hash = `#/product/${pid}`; }, id);
  await page.locator(ready).waitFor();
  await screenshot(page, product, viewport);
}

test('admin and shop at desktop and phone widths', { timeout: 120000 }, async () => {
  const shop = await startShop();
  const browser = await launchBrowser();
  try {
    const cat = await seed(shop.admin, 'categories', { name: 'Kitchen' });
    const soon = new Date(Date.now() + 3 * 3600e3).toISOString();
    const products = [
      { title: 'Enamel Mug', price: 1450, tags: ['kitchen'], category_ids: [cat.id], variants: [{ sku: 'MUG', stock: 12, options: {} }] },
      { title: 'Handwoven Linen Tea Towel with a Rather Long Name', price: 2200, compare_at_price: 2900, variants: [{ sku: 'TOWEL', stock: 3, options: {} }] },
      { title: 'Cast Iron Pan', price: 8900, sale: { kind: 'percent', value: 15, ends_at: soon }, variants: [{ sku: 'PAN', stock: 7, options: {} }] },
      { title: 'Oak Chopping Board', price: 4500, variants: [{ sku: 'BOARD', stock: 0, options: {} }] },
      { title: 'Cotton Apron', price: 3200, options: [{ name: 'size', values: ['S', 'M', 'L'] }],
        variants: ['S', 'M', 'L'].map((s, i) => ({ sku: `APRON-${s}`, options: { size: s }, stock: i * 4 })) },
    ];
    const ids = [];
    for (const [i, doc] of products.entries()) {
      const p = await seed(shop.admin, 'products', { status: 'active', ...doc });
      ids.push(p.id);
      const r = await shop.admin.post(`/api/products/${p.id}/images?alt=${encodeURIComponent(doc.title)}`, makePng(96, 96, i * 37 + 11), { contentType: 'image/png' });
      assert.equal(r.status, 201);
    }
    for (const viewport of ['desktop', 'phone']) {
      const { page: s } = await openShop(browser, shop, { viewport });
      await shootListAndProduct(s, viewport, { list: 'shop', row: '.product-card', product: 'shop-product', ready: '.pdp-title', id: ids[2] });
      const { page: a } = await openAdmin(browser, shop, { viewport });
      await shootListAndProduct(a, viewport, { list: 'admin', row: '.product-row', product: 'admin-editor', ready: '.editor', id: ids[4] });
      assert.deepEqual(s.errors, []);
      assert.deepEqual(a.errors, []);
    }
    // Without a key: the admin asks for one, the shop explains its link.
    const { page: signIn } = await openPage(browser, `${shop.url}/admin`, { viewport: 'phone' });
    await signIn.locator('form.key-form').waitFor();
    await screenshot(signIn, 'admin-signin', 'phone');
    await signIn.fill('#key-input', shop.adminToken);
    await signIn.click('form.key-form button');
    await signIn.locator('.pill.live').waitFor();
    const { page: noKey } = await openPage(browser, `${shop.url}/shop`, { viewport: 'phone' });
    await noKey.locator('h1', { hasText: 'Shop link incomplete' }).waitFor();
  } finally {
    await browser.close();
    await shop.server.stop();
  }
});
