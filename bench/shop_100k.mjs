// The shop on a large catalog in real Chromium (run by bench/shop_100k.sh):
// first screen, JS heap, IndexedDB size and the server's counters of what
// the page follows and is sent; then, for comparison, the same catalog
// kept whole.
//   node bench/shop_100k.mjs BASE ADMIN_TOKEN PUBLIC_TOKEN PRODUCTS

import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';

const [base, adminToken, publicToken, products] = process.argv.slice(2);
const CHROMIUM = process.env.SHELFSYNC_CHROMIUM || '/usr/bin/chromium';
const PAGES = 30;
const SEARCHES = ['Product 4', 'Product 77', 'tag7', 'Product 9999', 'Product 123', 'tag12', 'Product 5000', 'Product 31', 'tag40', 'Product 88888'];

async function api(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function counters() {
  const text = await (await fetch(`${base}/metrics`)).text();
  const pick = (name) => Number(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    followed: pick('shelfsync_followed_ids'),
    subscriptions: pick('shelfsync_subscriptions'),
    delivered: pick('shelfsync_delivered_changes_total{transport="ws"}'),
  };
}

async function until(cond, what, timeout = 60000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const mb = (bytes) => (bytes / 1048576).toFixed(1);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e}`));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize').value;
  };
  const stored = () => page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('shelfsync-shop');
    req.onsuccess = () => {
      const all = req.result.transaction('records').objectStore('records').count();
      all.onsuccess = () => { req.result.close(); resolve(all.result); };
    };
    req.onerror = () => resolve(-1);
  }));
  const cards = () => page.locator('.product-card').count();
  const shownIds = () => page.locator('.product-card').evaluateAll((els) => els.map((e) => e.dataset.productId));

  const url = `${base}/shop?key=${publicToken}`;
  const t0 = performance.now();
  await page.goto(url);
  await page.locator('.product-card').first().waitFor({ timeout: 60000 });
  const firstScreen = performance.now() - t0;
  await page.locator('.pill.live').waitFor({ timeout: 60000 });
  const onScreen = await cards();
  await until(async () => (await counters()).followed === onScreen, 'the server follows the cards on screen');
  const live = performance.now() - t0;
  const heapLoaded = await heap();
  const after = { counters: await counters(), stored: await stored() };
  console.log(`products=${products} first_screen_ms=${firstScreen.toFixed(0)} live_and_following_ms=${live.toFixed(0)} ` +
    `cards=${onScreen} followed_ids=${after.counters.followed} subscriptions=${after.counters.subscriptions} ` +
    `indexeddb_records=${after.stored} js_heap_mb=${mb(heapLoaded)}`);

  // Browse: 30 pages forward, then 10 searches.
  const heaps = [];
  for (let i = 0; i < PAGES; i++) {
    const before = (await shownIds())[0];
    await page.locator('button[data-page=next]').click();
    await until(async () => (await shownIds())[0] !== before, 'the next page');
    if ((i + 1) % 10 === 0) heaps.push(mb(await heap()));
  }
  for (const q of SEARCHES) {
    await page.locator('#f-q').fill(q);
    await until(async () => {
      const titles = await page.locator('.product-card .card-title').allTextContents();
      const tags = q.startsWith('tag');
      return tags || titles.length === 0 || titles.every((t) => t.includes(q));
    }, `search ${q}`);
  }
  await page.locator('#f-q').fill('');
  await until(async () => (await cards()) === onScreen, 'back to the first page');
  const shown = await shownIds();
  await until(async () => (await counters()).followed === shown.length, 'following the page again');
  const heapBrowsed = await heap();
  const browsed = { counters: await counters(), stored: await stored() };
  console.log(`after ${PAGES} pages and ${SEARCHES.length} searches: cards=${shown.length} followed_ids=${browsed.counters.followed} ` +
    `indexeddb_records=${browsed.stored} js_heap_mb=${mb(heapBrowsed)} (every 10 pages: ${heaps.join(', ')})`);

  // Changes: 200 to products off screen, then 10 to products on screen.
  const offScreen = [];
  const seen = new Set(shown);
  let cursor = null;
  while (offScreen.length < 200) {
    const pageOf = await api('GET', `/api/products?status=active&limit=1000${cursor ? `&after=${cursor}` : ''}`);
    for (const p of pageOf.data) if (!seen.has(p.id) && offScreen.length < 200) offScreen.push(p.id);
    cursor = pageOf.next;
  }
  const before = await counters();
  for (const [i, id] of offScreen.entries()) await api('PATCH', `/api/products/${id}`, { price: 50000 + i });
  for (const [i, id] of shown.slice(0, 10).entries()) await api('PATCH', `/api/products/${id}`, { price: 70000 + i });
  const lastId = shown[9];
  await page.locator(`.product-card[data-product-id="${lastId}"] .price[data-price="70009"]`).waitFor();
  await until(async () => (await counters()).delivered - before.delivered >= 10, 'the on-screen changes delivered');
  await new Promise((r) => setTimeout(r, 500)); // anything more would be counted too
  const sent = (await counters()).delivered - before.delivered;
  console.log(`changes: 200 off screen + 10 on screen -> changes sent to the page=${sent}`);

  // A revisit: the stored page shows before the server answers.
  const again = await context.newPage();
  const t1 = performance.now();
  await again.goto(url);
  await again.locator('.product-card').first().waitFor({ timeout: 60000 });
  console.log(`revisit first_screen_ms=${(performance.now() - t1).toFixed(0)}`);

  // For comparison: the same catalog kept whole (the shop's mode below
  // 5,000 products), in a fresh browser profile.
  const whole = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const wholeCdp = await whole.context().newCDPSession(whole);
  await wholeCdp.send('Performance.enable');
  const t2 = performance.now();
  await whole.goto(`${url}&catalog=whole`);
  await whole.locator('.pill.live').waitFor({ timeout: 600000 });
  await whole.locator('.product-card').first().waitFor({ timeout: 600000 });
  const wholeMs = performance.now() - t2;
  await wholeCdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await wholeCdp.send('Performance.getMetrics');
  const followed = (await counters()).followed;
  console.log(`kept whole: live_with_first_screen_ms=${wholeMs.toFixed(0)} ` +
    `js_heap_mb=${mb(metrics.find((m) => m.name === 'JSHeapUsedSize').value)} followed_ids=${followed}`);
} finally {
  await browser.close();
}
