// A `?key=` link never silently replaces the key a page keeps: a till that
// holds shop A's key, opened with a link carrying shop B's, asks first —
// "keep" leaves it ringing sales into A, "switch" moves it to B — and the
// key leaves the address bar either way. Also: the ids the pages make for
// Idempotency-Key and client ids come from crypto, not Math.random.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startShop, seedProduct, openPage, api, waitConnection } from './lib/browser.mjs';

let shop; // shop A (and the server)
let b; // shop B on the same server: {tenant, admin, staff}
let browser;
let staffA;

before(async () => {
  shop = await startShop('Key Shop A');
  staffA = await shop.token('staff');
  const t = await shop.server.createTenant('Key Shop B');
  b = { admin: api(shop.url, t.admin_token), staff: await shop.server.createToken(t.tenant, 'staff') };
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await shop?.server.stop();
});

const tile = (id) => `#tiles li[data-product-id="${id}"]`;

async function ordersOf(adminApi, productId) {
  const r = await adminApi.get('/api/orders?limit=1000');
  assert.equal(r.status, 200, r.text);
  return r.body.data.filter((o) => o.items.some((i) => i.product_id === productId));
}

// Rings one unit of the product and waits for the sale to be acknowledged.
async function sellOne(page, productId) {
  await page.click(`${tile(productId)} button`);
  await page.click('#sell');
  await page.waitForSelector(`#last-sale[data-order]`);
}

test('a till keeping key A, opened with a link to key B, asks; keep stays on A, switch moves to B', { timeout: 90000 }, async () => {
  const pa = await seedProduct(shop.admin, { title: 'Shop A shirt', variants: [{ sku: 'KA-1', stock: 20, options: {} }] });
  const pb = await seedProduct(b.admin, { title: 'Shop B shirt', variants: [{ sku: 'KB-1', stock: 20, options: {} }] });
  const { context, page } = await openPage(browser, `${shop.url}/pos?key=${staffA}`);
  try {
    await waitConnection(page);
    await page.waitForSelector(tile(pa.id));
    assert.equal(await page.$('dialog.key-switch'), null, 'the first key is taken without a question');

    // the same key again: nothing to ask
    await page.goto(`${shop.url}/pos?key=${staffA}`);
    await waitConnection(page);
    assert.equal(await page.$('dialog.key-switch'), null, 'a link with the kept key asks nothing');

    // a link with B's key: the question, and the key out of the address
    await page.goto(`${shop.url}/pos?key=${b.staff}`);
    await page.waitForSelector('dialog.key-switch[open]');
    assert.match(await page.textContent('dialog.key-switch'), /switch this page to another key/i);
    assert.ok(!page.url().includes('key='), `the key stays out of the address: ${page.url()}`);
    await page.click('dialog.key-switch [data-choice="keep"]');
    await waitConnection(page);
    await page.waitForSelector(tile(pa.id));
    assert.equal(await page.$(tile(pb.id)), null, "keep: B's catalog is not shown");
    await sellOne(page, pa.id);
    assert.equal((await ordersOf(shop.admin, pa.id)).length, 1, "keep: the sale went into A's shop");
    assert.equal((await ordersOf(b.admin, pb.id)).length, 0);
    await page.reload();
    await waitConnection(page);
    await page.waitForSelector(tile(pa.id));
    assert.equal(await page.$('dialog.key-switch'), null, 'keep: A stays the kept key');

    // again, and this time switch
    await page.goto(`${shop.url}/pos?key=${b.staff}`);
    await page.waitForSelector('dialog.key-switch[open]');
    await page.click('dialog.key-switch [data-choice="switch"]');
    await waitConnection(page);
    await page.waitForSelector(tile(pb.id));
    assert.equal(await page.$(tile(pa.id)), null, "switch: A's catalog is gone");
    await sellOne(page, pb.id);
    assert.equal((await ordersOf(b.admin, pb.id)).length, 1, "switch: the sale went into B's shop");
    assert.equal((await ordersOf(shop.admin, pa.id)).length, 1, 'nothing more in A');
    await page.reload();
    await waitConnection(page);
    await page.waitForSelector(tile(pb.id));
    assert.equal(await page.$('dialog.key-switch'), null, 'switch: B is now the kept key');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

// Math.random made a constant: keys made from it would all be equal. The
// second page also lacks crypto.randomUUID and crypto.subtle, as a page on a
// plain-http origin does: getRandomValues is the source there.
for (const [name, init] of [
  ['crypto.randomUUID', () => { Math.random = () => 0.5; }],
  ['crypto.getRandomValues (no randomUUID, no subtle)', () => {
    Math.random = () => 0.5;
    delete Crypto.prototype.randomUUID;
    Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined });
  }],
]) {
  test(`idempotency keys and client ids come from ${name}, not Math.random`, { timeout: 60000 }, async () => {
    const context = await browser.newContext();
    try {
      await context.addInitScript(init);
      const page = await context.newPage();
      await page.goto(`${shop.url}/shop?key=${shop.publicToken}`);
      const keys = await page.evaluate(async () => {
        const { randomKey } = await import('/assets/common/client.js');
        return [await randomKey(), await randomKey(), Math.random()];
      });
      assert.equal(keys[2], 0.5, 'Math.random is stubbed');
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
      assert.match(keys[0], uuid);
      assert.match(keys[1], uuid);
      assert.notEqual(keys[0], keys[1], 'two keys differ although Math.random is constant');
    } finally {
      await context.close();
    }
  });
}
