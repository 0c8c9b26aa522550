// The shop keeps its catalog and cursor in the browser's IndexedDB: a later
// visit shows the stored catalog when the live feed cannot connect (with
// the offline notice), and once it can, resumes with `since` = the stored
// cursor, so what changed meanwhile arrives without a new snapshot.

import test from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startShop, seedProduct, watchErrors } from './lib/browser.mjs';
import { openShop } from './lib/pages.mjs';

const card = (p) => `.product-card[data-product-id="${p.id}"]`;

// The products view's stored cursor, read from the page's IndexedDB
// database `shelfsync-shop` (null until one is stored).
const storedCursor = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const req = indexedDB.open('shelfsync-shop');
  req.onerror = () => reject(req.error);
  req.onsuccess = () => {
    const db = req.result;
    if (!db.objectStoreNames.contains('meta')) { db.close(); resolve(null); return; }
    const all = db.transaction('meta').objectStore('meta').getAll();
    all.onsuccess = () => {
      db.close();
      resolve(all.result.find((m) => m.view.endsWith(':products'))?.cursor ?? null);
    };
    all.onerror = () => reject(all.error);
  };
}));

test('a revisit shows the stored catalog without the live feed, then resumes from the stored cursor', { timeout: 90000 }, async () => {
  const shop = await startShop();
  const browser = await launchBrowser();
  try {
    const bowl = await seedProduct(shop.admin, { title: 'Stoneware Bowl', price: 2400, variants: [{ sku: 'BOWL', stock: 6, options: {} }] });
    const basket = await seedProduct(shop.admin, { title: 'Rattan Basket', price: 3900, variants: [{ sku: 'BASKET', stock: 4, options: {} }] });

    // First visit: the catalog comes in and is stored with its cursor.
    const { context, page: first } = await openShop(browser, shop);
    await first.locator(card(basket)).waitFor();
    let stored = null;
    for (let i = 0; i < 50 && !stored; i++) {
      stored = await storedCursor(first);
      if (!stored) await first.waitForTimeout(100);
    }
    assert.ok(stored, 'a cursor is stored in IndexedDB');
    await first.close();

    // While the shopper is away, the bowl is renamed.
    const r = await shop.admin.patch(`/api/products/${bowl.id}`, { title: 'Stoneware Bowl, Large' });
    assert.equal(r.status, 200, r.text);

    // Second visit with the live feed unreachable: the stored catalog shows,
    // as it was, with the offline notice.
    const away = await context.newPage();
    await away.routeWebSocket(/\/api\/live/, (ws) => ws.close());
    await away.route('**/api/stream**', (route) => route.abort('connectionrefused'));
    await away.goto(`${shop.url}/shop?key=${shop.publicToken}`);
    await away.locator(`${card(bowl)} .card-title`, { hasText: /^Stoneware Bowl$/ }).waitFor();
    await away.locator(card(basket)).waitFor();
    await away.locator('.banner[role=alert]', { hasText: 'offline' }).waitFor({ state: 'visible' });
    assert.equal(await storedCursor(away), stored, 'nothing new was stored while the feed was away');
    await away.close();

    // Third visit, feed reachable: it subscribes from the stored cursor and
    // the rename arrives.
    const back = watchErrors(await context.newPage());
    const sent = [];
    back.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
    await back.goto(`${shop.url}/shop?key=${shop.publicToken}`);
    await back.locator(`${card(bowl)} .card-title`, { hasText: 'Stoneware Bowl, Large' }).waitFor();
    const subscribes = sent.map((x) => { try { return JSON.parse(x); } catch { return null; } })
      .filter((m) => m?.type === 'subscribe' && m.topic === 'products');
    assert.equal(subscribes.length, 1);
    assert.equal(subscribes[0].since, stored, 'resumed from the stored cursor');
    assert.deepEqual(back.errors, []);
  } finally {
    await browser.close();
    await shop.server.stop();
  }
});
