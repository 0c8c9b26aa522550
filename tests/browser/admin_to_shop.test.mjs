// Every field family edited through /admin's UI reaches /shop's grid and
// product page live, without a reload; each save-to-visible time is
// recorded. Admin and shopper run in independent browser contexts.

import test from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startShop, seed, screenshot } from './lib/browser.mjs';
import { openAdmin, openShop, editProduct, measure, seeText, gone, present, markDocument, sameDocument } from './lib/pages.mjs';
import { makePng } from '../integration/lib/images.mjs';

const S = 'admin→shop';

test('admin edits show on the shop live', { timeout: 240000 }, async (t) => {
  const shop = await startShop();
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await shop.server.stop(); });

  const shirts = await seed(shop.admin, 'categories', { name: 'Shirts' });
  await seed(shop.admin, 'categories', { name: 'Trousers' });
  const p = await seed(shop.admin, 'products', {
    title: 'Linen Shirt', price: 4900, status: 'active', description: 'Breathable linen.',
    options: [{ name: 'size', values: ['S', 'M', 'L'] }],
    variants: ['S', 'M', 'L'].map((s) => ({ sku: `LS-${s}`, options: { size: s }, stock: 5 })),
  });
  for (const seedN of [1, 2]) {
    const r = await shop.admin.post(`/api/products/${p.id}/images?alt=photo${seedN}`, makePng(64, 64, seedN * 50), { contentType: 'image/png' });
    assert.equal(r.status, 201);
  }
  await seed(shop.admin, 'products', { title: 'Canvas Tote', price: 1500, status: 'active', tags: ['bags'] });

  const { page: admin } = await openAdmin(browser, shop);
  const { context: shopper, page: grid } = await openShop(browser, shop);
  const { page: pdp } = await openShop(browser, shop, { context: shopper, hash: `#/product/${p.id}` });
  await editProduct(admin, p.id);
  const card = `.product-card[data-product-id="${p.id}"]`;
  await grid.locator(card).waitFor();
  await pdp.locator('.pdp-title', { hasText: 'Linen Shirt' }).waitFor();
  await markDocument(grid);
  await markDocument(pdp);
  const patchWith = (text) => ({ match: (r) => r.method() === 'PATCH' && (r.postData() || '').includes(text) });

  await t.test('title', () => measure(S, 'title', admin,
    () => admin.fill('[name=title]', 'Linen Shirt Deluxe'),
    [seeText(grid, `${card} .card-title`, 'Linen Shirt Deluxe'), seeText(pdp, '.pdp-title', 'Linen Shirt Deluxe')], patchWith('Deluxe')));

  // The grid shows no descriptions: its search finds the product by the new
  // words (and could not before).
  await t.test('description', async () => {
    await grid.fill('#f-q', 'summer heat');
    await gone(grid, card)();
    await measure(S, 'description', admin,
      () => admin.fill('[name=description]', 'Cool in summer heat.'),
      [seeText(pdp, '.pdp-description', 'Cool in summer heat.'), present(grid, card)], patchWith('summer heat'));
    await grid.fill('#f-q', '');
  });

  await t.test('price', () => measure(S, 'price', admin,
    () => admin.fill('[name=price]', '39.00'),
    [seeText(grid, `${card} .price`, '$39.00'), seeText(pdp, '.pdp-price .price', '$39.00')], patchWith('3900')));

  await t.test('compare-at price', () => measure(S, 'compare-at price', admin,
    () => admin.fill('[name=compare_at_price]', '59.00'),
    [seeText(grid, `${card} .compare`, '$59.00'), seeText(pdp, '.pdp-price .compare', '$59.00')], patchWith('5900')));

  await t.test('sale on (percent)', () => measure(S, 'sale on', admin,
    async () => { await admin.selectOption('[name=sale_kind]', 'percent'); await admin.fill('[name=sale_value]', '20'); },
    [seeText(grid, `${card} .badge.sale`, '−20%'), seeText(pdp, '.pdp-price .price', '$31.20')], patchWith('"value":20')));

  // Sale end and start are set in the admin and then happen by the server's
  // clock: the time recorded is from the scheduled instant to visible.
  const localInput = (ms) => admin.evaluate((at) => {
    const d = new Date(at); const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }, ms);

  await t.test('sale end (scheduled)', async () => {
    const endAt = Math.ceil((Date.now() + 4000) / 1000) * 1000;
    await measure(S, 'sale end set', admin, async () => admin.fill('[name=sale_ends_at]', await localInput(endAt)),
      [present(pdp, '.badge.sale .countdown')], patchWith('ends_at'));
    await gone(grid, `${card} .badge.sale`, 15000)();
    await seeText(pdp, '.pdp-price .price', '$39.00', 5000)();
    const { recordTiming } = await import('./lib/browser.mjs');
    recordTiming(S, 'sale ended by timer (from ends_at)', Date.now() - endAt);
  });

  await t.test('sale start (scheduled)', async () => {
    const startAt = Math.ceil((Date.now() + 4000) / 1000) * 1000;
    await measure(S, 'sale start set', admin, async () => {
      await admin.fill('[name=sale_starts_at]', await localInput(startAt));
      await admin.fill('[name=sale_ends_at]', await localInput(startAt + 3600e3));
    }, [present(grid, `${card} [data-badge=sale-soon]`), present(pdp, '[data-badge=sale-soon] .countdown')], patchWith('starts_at'));
    await seeText(grid, `${card} .badge.sale`, '−20%', 15000)();
    await seeText(pdp, '.pdp-price .price', '$31.20', 5000)();
    const { recordTiming } = await import('./lib/browser.mjs');
    recordTiming(S, 'sale started by timer (from starts_at)', Date.now() - startAt);
    await admin.selectOption('[name=sale_kind]', '');
    await gone(grid, `${card} .badge.sale`)();
  });

  await t.test('variant availability', () => measure(S, 'size M unavailable', admin,
    () => admin.locator('tr.variant-row[data-variant="M"] input[type=checkbox]').uncheck(),
    [seeText(pdp, 'select[data-option=size] option[value=M]', 'sold out'), present(grid, `${card} .card-options .opt.out[data-value=M]`)],
    patchWith('"available":false')));

  await t.test('stock to sold out and back', async () => {
    for (const size of ['S', 'L']) {
      const row = admin.locator(`tr.variant-row[data-variant="${size}"]`);
      await row.locator('.stock-set').fill('0');
      if (size === 'L') {
        await measure(S, 'stock to sold out', admin, () => row.locator('.stock-apply').click(),
          [present(grid, `${card} [data-badge=sold-out]`), present(pdp, '[data-badge=sold-out]')]);
      } else {
        await row.locator('.stock-apply').click();
        await admin.locator('tr.variant-row[data-variant="S"] .stock-now', { hasText: /^0$/ }).waitFor();
      }
    }
    const row = admin.locator('tr.variant-row[data-variant="S"]');
    await row.locator('.stock-set').fill('3');
    await measure(S, 'stock back in', admin, () => row.locator('.stock-apply').click(),
      [gone(grid, `${card} [data-badge=sold-out]`), gone(pdp, '[data-badge=sold-out]')]);
  });

  await t.test('category', async () => {
    await grid.selectOption('#f-category', shirts.id);
    await grid.locator(card).waitFor({ state: 'detached' });
    await measure(S, 'category', admin, () => admin.getByLabel('Shirts').check(),
      [present(grid, card), seeText(pdp, `.crumbs [data-category-id="${shirts.id}"]`, 'Shirts')], patchWith(shirts.id));
    await grid.selectOption('#f-category', '');
  });

  await t.test('tag', async () => {
    await measure(S, 'tag', admin, () => admin.fill('[name=tags]', 'summer, linen'),
      [present(grid, '#f-tag option[value=summer]'), seeText(pdp, '.tags [data-tag=summer]', 'summer')], patchWith('summer'));
    await grid.selectOption('#f-tag', 'summer');
    await grid.locator(card).waitFor();
    assert.equal(await grid.locator('.product-card').count(), 1);
    await grid.selectOption('#f-tag', '');
  });

  await t.test('shipping and pickup', async () => {
    await measure(S, 'pickup', admin, async () => {
      await admin.locator('[name=pickup]').check();
      await admin.fill('[name=pickup_locations]', 'Main Street store');
    }, [seeText(pdp, '.pickup', 'Main Street store'), seeText(grid, `${card} .card-meta`, 'Pickup')], patchWith('Main Street store'));
    await admin.click('.add-shipping');
    await measure(S, 'shipping method', admin, async () => {
      await admin.fill('[name=shipping-method-0]', 'Courier');
      await admin.fill('[name=shipping-price-0]', '5.00');
      await admin.fill('[name=shipping-eta-0]', '2');
    }, [seeText(pdp, '.shipping li[data-method=Courier]', '$5.00'), seeText(grid, `${card} .card-meta`, 'Shipping from $5.00')],
    patchWith('"eta_days":2'));
    await seeText(pdp, '.shipping li[data-method=Courier]', '2 days')();
  });

  await t.test('condition', () => measure(S, 'condition', admin,
    () => admin.selectOption('[name=condition]', 'refurbished'),
    [seeText(pdp, '.pdp-condition', 'Refurbished'), seeText(grid, `${card} [data-badge=condition]`, 'Refurbished')], patchWith('refurbished')));

  // As with the description: the grid's search finds the product by it.
  await t.test('custom attribute', async () => {
    await grid.fill('#f-q', 'organic linen');
    await gone(grid, card)();
    await admin.click('.add-attribute');
    await measure(S, 'attribute', admin, async () => {
      await admin.fill('[name=attr-key-0]', 'material');
      await admin.fill('[name=attr-value-0]', 'organic linen');
    }, [seeText(pdp, 'dd[data-attr=material]', 'organic linen'), present(grid, card)], patchWith('organic linen'));
    await grid.fill('#f-q', '');
  });

  // The grid shows a product's first photo: a reorder and a delete that
  // change the first one show there too; an added photo shows once it is the
  // only one.
  const cardImage = (src) => () => grid.waitForFunction(([sel, want]) => document.querySelector(sel)?.getAttribute('src') === want,
    [`${card} .thumb img`, src], { timeout: 10000 });
  const adminImageSrc = (id) => admin.locator(`.image-item[data-image-id="${id}"] img`).getAttribute('src');

  await t.test('image reorder (drag)', async () => {
    const ids = await admin.locator('.image-item').evaluateAll((els) => els.map((e) => e.dataset.imageId));
    assert.equal(ids.length, 2);
    const last = ids[ids.length - 1];
    await measure(S, 'image reorder', admin,
      () => admin.dragAndDrop(`.image-item[data-image-id="${last}"]`, `.image-item[data-image-id="${ids[0]}"]`),
      [present(pdp, `.main-image[data-image-id="${last}"]`), cardImage(await adminImageSrc(last))],
      { match: (r) => r.method() === 'PUT' });
  });

  await t.test('image delete', async () => {
    const [first, second] = await admin.locator('.image-item').evaluateAll((els) => els.map((e) => e.dataset.imageId));
    const next = await adminImageSrc(second);
    await measure(S, 'image delete', admin,
      () => admin.locator(`.image-item[data-image-id="${first}"] .delete-image`).click(),
      [gone(pdp, `[data-image-id="${first}"]`), cardImage(next)], { match: (r) => r.method() === 'DELETE' });
    // The last photo goes too (not timed): the shop shows none.
    await admin.locator(`.image-item[data-image-id="${second}"] .delete-image`).click();
    await present(grid, `${card} .thumb .no-image`)();
    await present(pdp, '.gallery .no-image')();
  });

  await t.test('image add', async () => {
    await measure(S, 'image upload', admin,
      () => admin.setInputFiles('#image-file', { name: 'back.png', mimeType: 'image/png', buffer: makePng(64, 64, 200) }),
      [present(grid, `${card} .thumb img`), present(pdp, 'img.main-image[data-image-id]')]);
    await admin.locator('.image-item:not([data-pending])').first().waitFor();
    const [added] = await admin.locator('.image-item:not([data-pending])').evaluateAll((els) => els.map((e) => e.dataset.imageId));
    await present(pdp, `img.main-image[data-image-id="${added}"]`)();
    await cardImage(await adminImageSrc(added))();
  });

  await screenshot(admin, 'admin-editor-after-edits', 'desktop');
  await screenshot(grid, 'shop-grid-after-edits', 'desktop');
  await screenshot(pdp, 'shop-product-after-edits', 'desktop');

  await t.test('status to draft leaves the shop', () => measure(S, 'status draft', admin,
    () => admin.selectOption('[name=status]', 'draft'),
    [gone(grid, card), present(pdp, '.gone')], patchWith('draft')));

  assert.equal(await sameDocument(grid), true, 'the grid was never reloaded');
  assert.equal(await sameDocument(pdp), true, 'the product page was never reloaded');
  assert.deepEqual(admin.errors, [], 'admin page errors');
  assert.deepEqual(grid.errors, [], 'shop grid errors');
  assert.deepEqual(pdp.errors, [], 'shop product page errors');
});
