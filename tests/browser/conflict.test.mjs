// Two admins edit one product: the second save meets the conflict view,
// which shows both versions and lets the admin choose.

import test from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startShop, seedProduct, screenshot } from './lib/browser.mjs';
import { openAdmin, editProduct } from './lib/pages.mjs';

test('a conflicting save shows mine vs theirs and saves the choice', { timeout: 120000 }, async () => {
  const shop = await startShop();
  const browser = await launchBrowser();
  try {
    const p = await seedProduct(shop.admin, { title: 'Wool Scarf', price: 3000 });
    const { page: alice } = await openAdmin(browser, shop);
    // Bob's saves wait longer, so Alice's save lands while Bob is still typing.
    const { page: bob } = await openAdmin(browser, shop, { saveDelayMs: 2500 });
    await editProduct(alice, p.id);
    await editProduct(bob, p.id);

    // Round 1: both change the title and Bob also the price; Bob keeps his.
    await bob.fill('[name=title]', 'Wool Scarf (Bob)');
    await bob.fill('[name=price]', '28.00');
    await alice.fill('[name=title]', 'Wool Scarf (Alice)');
    await alice.locator('.save-state', { hasText: 'All changes saved' }).waitFor();
    await bob.locator('.banner.stale').waitFor({ state: 'visible' });
    const dialog = bob.locator('dialog.conflict');
    await dialog.waitFor({ timeout: 10000 });
    await dialog.locator('.conflict-field[data-field=title] [data-value=mine]', { hasText: 'Wool Scarf (Bob)' }).waitFor();
    await dialog.locator('.conflict-field[data-field=title] [data-value=theirs]', { hasText: 'Wool Scarf (Alice)' }).waitFor();
    await dialog.locator('.conflict-field[data-field=price] [data-value=mine]', { hasText: '$28.00' }).waitFor();
    await screenshot(bob, 'admin-conflict', 'desktop');
    // Per field: their title, my price.
    await dialog.locator('.conflict-field[data-field=title] input[value=theirs]').check();
    await dialog.locator('.save-choice').click();
    await bob.locator('.save-state', { hasText: 'All changes saved' }).waitFor();
    let now = (await shop.admin.get(`/api/products/${p.id}`)).body;
    assert.equal(now.title, 'Wool Scarf (Alice)');
    assert.equal(now.price, 2800);
    // Alice sees Bob's price live.
    await alice.waitForFunction(() => document.querySelector('[name=price]')?.value === '28.00', null, { timeout: 10000 });

    // Round 2: Bob takes theirs for everything.
    await bob.fill('[name=description]', 'Bob was here');
    await alice.fill('[name=description]', 'Alice was here');
    await bob.locator('dialog.conflict').waitFor({ timeout: 10000 });
    await bob.locator('dialog.conflict .take-theirs').click();
    await bob.locator('dialog.conflict').waitFor({ state: 'detached' });
    await bob.waitForFunction(() => document.querySelector('[name=description]')?.value === 'Alice was here');
    now = (await shop.admin.get(`/api/products/${p.id}`)).body;
    assert.equal(now.description, 'Alice was here');
    assert.deepEqual(alice.errors, []);
    assert.deepEqual(bob.errors.filter((e) => !e.startsWith('412')), []);
  } finally {
    await browser.close();
    await shop.server.stop();
  }
});
