// Pages that prove their cache (SPEC §9) and a shop that follows only what
// it shows (SPEC §7 `watch`):
// - a record changed in IndexedDB behind the page's back (a change it
//   "missed") is repaired within one verification round, with the repair
//   logged to the console — for the whole-catalog feed and for the paged
//   shop's watched scope;
// - every page (admin, shop, till, dashboard, portal) shows when it last
//   verified;
// - the paged shop: a price change of a product on screen shows without a
//   reload, one of a product off screen sends the page nothing; turning
//   the page moves the watched ids.
// `?verify=1` makes a round every second instead of every 30 s; no test
// here waits on a timing, only on what the page shows.

import test from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startShop, startDemo, seedProduct, watchErrors } from './lib/browser.mjs';

const card = (id) => `.product-card[data-product-id="${id}"]`;

// Finds the IndexedDB view whose name ends in `suffix` in database `db`
// and applies `change` to record `id` (in the page's origin).
async function tamper(page, { db, suffix, id, data }) {
  return page.evaluate(({ db, suffix, id, data }) => new Promise((resolve, reject) => {
    const req = indexedDB.open(db);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const tx = req.result.transaction('records', 'readwrite');
      const store = tx.objectStore('records');
      const all = store.getAll();
      all.onsuccess = () => {
        const row = all.result.find((r) => r.view.endsWith(suffix) && r.id === id);
        if (!row) { reject(new Error(`no stored record ${id} in a view ending ${suffix}`)); return; }
        store.put({ ...row, data: { ...row.data, ...data } });
      };
      tx.oncomplete = () => { req.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), { db, suffix, id, data });
}

// Waits until the page's IndexedDB holds record `id` at `version`.
async function storedVersion(page, { db, suffix, id, version }) {
  for (let i = 0; i < 100; i++) {
    const v = await page.evaluate(({ db, suffix, id }) => new Promise((resolve) => {
      const req = indexedDB.open(db);
      req.onsuccess = () => {
        if (!req.result.objectStoreNames.contains('records')) { req.result.close(); resolve(null); return; }
        const all = req.result.transaction('records').objectStore('records').getAll();
        all.onsuccess = () => {
          req.result.close();
          resolve(all.result.find((r) => r.view.endsWith(suffix) && r.id === id)?.data.version ?? null);
        };
      };
      req.onerror = () => resolve(null);
    }), { db, suffix, id });
    if (v === version) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`record ${id} never stored at version ${version}`);
}

async function patchPrice(shop, id, price) {
  const r = await shop.admin.patch(`/api/products/${id}`, { price });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

const priceOf = (page, id) => page.locator(`${card(id)} .price`).getAttribute('data-price');

for (const { mode, suffix } of [{ mode: 'whole', suffix: ':products' }, { mode: 'paged', suffix: ':shown' }]) {
  test(`a tampered cache is repaired within one verification round (${mode} catalog)`, { timeout: 120000 }, async () => {
    const shop = await startShop();
    const browser = await launchBrowser();
    try {
      const bowl = await seedProduct(shop.admin, { title: 'Stoneware Bowl', price: 2400, variants: [{ sku: 'BOWL', stock: 6, options: {} }] });
      await seedProduct(shop.admin, { title: 'Rattan Basket', price: 3900, variants: [{ sku: 'BASKET', stock: 4, options: {} }] });
      const context = await browser.newContext();
      const url = `${shop.url}/shop?key=${shop.publicToken}&catalog=${mode}&verify=1`;

      const first = watchErrors(await context.newPage());
      await first.goto(url);
      await first.locator(card(bowl.id)).waitFor();
      const now = await patchPrice(shop, bowl.id, 5000);
      await first.locator(`${card(bowl.id)} .price[data-price="5000"]`).waitFor();
      await first.locator('[data-role=verified][data-state=ok]').waitFor();
      await storedVersion(first, { db: 'shelfsync-shop', suffix, id: bowl.id, version: now.version });
      assert.deepEqual(first.errors, []);
      await first.close();

      // Behind the page's back the stored bowl goes back to its first
      // version and price, as if the page had missed the change.
      const side = await context.newPage();
      await side.goto(`${shop.url}/health`);
      await tamper(side, { db: 'shelfsync-shop', suffix, id: bowl.id, data: { version: bowl.version, price: 2400 } });
      await side.close();

      const again = watchErrors(await context.newPage());
      const logs = [];
      again.on('console', (m) => logs.push(m.text()));
      await again.goto(url);
      const label = again.locator('[data-role=verified][data-state=repaired]');
      await label.waitFor();
      assert.equal(await label.getAttribute('data-rounds'), '1', 'repaired by the first round that verified');
      assert.equal(await label.getAttribute('data-repairs'), '1');
      await again.locator(`${card(bowl.id)} .price[data-price="5000"]`).waitFor();
      const repairLog = logs.find((l) => l.includes('repaired'));
      assert.ok(repairLog?.includes(`${bowl.id} v${bowl.version} → v${now.version}`), `the console says what differed: ${repairLog}`);
      // The next round finds nothing more to repair.
      await again.locator('[data-role=verified][data-state=ok]').waitFor();
      assert.equal(await again.locator('[data-role=verified]').getAttribute('data-repairs'), '1');
      assert.deepEqual(again.errors, []);
    } finally {
      await browser.close();
      await shop.server.stop();
    }
  });
}

test('the paged shop follows exactly the products on screen', { timeout: 120000 }, async () => {
  const shop = await startShop();
  const browser = await launchBrowser();
  try {
    const products = [];
    for (let i = 0; i < 30; i++) {
      products.push(await seedProduct(shop.admin, {
        title: `Print ${String(i).padStart(2, '0')}`, price: 1000 + i, variants: [{ sku: `PR-${i}`, stock: 5, options: {} }],
      }));
    }
    const onScreen = products[3];
    const offScreen = products[27]; // page 2: the server lists by id, 24 a page
    const page = watchErrors(await (await browser.newContext()).newPage());
    const received = [];
    const sent = [];
    page.on('websocket', (ws) => {
      ws.on('framereceived', (f) => received.push(String(f.payload)));
      ws.on('framesent', (f) => sent.push(String(f.payload)));
    });
    await page.goto(`${shop.url}/shop?key=${shop.publicToken}&catalog=paged`);
    await page.locator(card(products[23].id)).waitFor();
    assert.equal(await page.locator('.product-card').count(), 24, 'one page shows');
    await page.locator('.pill.live').waitFor();

    // On screen: the new price shows without a reload.
    await patchPrice(shop, onScreen.id, 4321);
    await page.locator(`${card(onScreen.id)} .price[data-price="4321"]`).waitFor();
    // Off screen: nothing reaches the page. The on-screen change after it
    // is delivered after it (one log, in order), so once that shows, the
    // off-screen one would have arrived if it were sent.
    const from = received.length;
    await patchPrice(shop, offScreen.id, 9999);
    await patchPrice(shop, onScreen.id, 4322);
    await page.locator(`${card(onScreen.id)} .price[data-price="4322"]`).waitFor();
    const leaked = received.slice(from).filter((f) => f.includes(offScreen.id));
    assert.deepEqual(leaked, [], 'a product off screen sends the page nothing');

    // The next page: its products are watched, the first page's are not.
    await page.locator('button[data-page=next]').click();
    await page.locator(card(offScreen.id)).waitFor();
    assert.equal(await priceOf(page, offScreen.id), '9999', 'a product coming on screen shows its current price');
    const watches = sent.map((x) => JSON.parse(x)).filter((m) => m.type === 'watch');
    const last = watches.at(-1);
    assert.ok(last.add.includes(offScreen.id) && last.remove.includes(onScreen.id), JSON.stringify(last));
    await patchPrice(shop, offScreen.id, 8888);
    await page.locator(`${card(offScreen.id)} .price[data-price="8888"]`).waitFor();
    const from2 = received.length;
    await patchPrice(shop, onScreen.id, 4323);
    await patchPrice(shop, offScreen.id, 8887);
    await page.locator(`${card(offScreen.id)} .price[data-price="8887"]`).waitFor();
    assert.deepEqual(received.slice(from2).filter((f) => f.includes(onScreen.id)), [],
      'the first page\'s products are no longer followed');

    // A search asks the server and follows what it finds.
    await page.locator('#f-q').fill('Print 03');
    await page.locator(card(onScreen.id)).waitFor();
    assert.equal(await page.locator('.product-card').count(), 1);
    assert.equal(await priceOf(page, onScreen.id), '4323');
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
    await shop.server.stop();
  }
});

test('every page verifies what it shows and says when', { timeout: 120000 }, async () => {
  const demo = await startDemo();
  const browser = await launchBrowser();
  try {
    const pages = {
      admin: `/admin?key=${demo.keys.admin}`,
      shop: `/shop?key=${demo.keys.shop}`,
      pos: `/pos?key=${demo.keys.pos}`,
      dashboard: `/dashboard?key=${demo.keys.dashboard}`,
      'portal (retail)': `/portal?key=${demo.portals.retail}`,
      'portal (partner)': `/portal?key=${demo.portals.partner}`,
    };
    for (const [name, path] of Object.entries(pages)) {
      const page = watchErrors(await (await browser.newContext()).newPage());
      await page.goto(`${demo.server.url}${path}&verify=1`);
      const label = page.locator('[data-role=verified][data-state=ok]');
      await label.waitFor({ timeout: 30000 });
      assert.match(await label.textContent(), /^Verified \d\d:\d\d:\d\d/, name);
      assert.ok(Date.parse(await label.getAttribute('data-verified-at')) > Date.now() - 60000, name);
      assert.deepEqual(page.errors, [], name);
      await page.context().close();
    }
  } finally {
    await browser.close();
    await demo.server.stop();
  }
});
