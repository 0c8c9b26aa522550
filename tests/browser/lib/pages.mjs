// Page-level helpers shared by the browser tests: opening /admin and /shop,
// waiting for a save, and measuring save-to-visible.

import { openPage, recordTiming, watchErrors } from './browser.mjs';

export async function openAdmin(browser, shop, { hash = '', viewport = 'desktop', saveDelayMs } = {}) {
  const { context, page } = await openPage(browser, 'about:blank', { viewport });
  if (saveDelayMs) {
    await context.addInitScript((ms) => localStorage.setItem('shelfsync.admin.saveDelayMs', String(ms)), saveDelayMs);
  }
  await page.goto(`${shop.url}/admin?key=${shop.adminToken}${hash}`);
  await page.locator('.pill.live').waitFor();
  return { context, page };
}

export async function openShop(browser, shop, { hash = '', viewport = 'desktop', context } = {}) {
  let page;
  if (context) {
    page = watchErrors(await context.newPage());
    await page.goto(`${shop.url}/shop?key=${shop.publicToken}${hash}`);
  } else {
    ({ context, page } = await openPage(browser, `${shop.url}/shop?key=${shop.publicToken}${hash}`, { viewport }));
  }
  await page.locator('.pill.live').waitFor();
  return { context, page };
}

// Opens the editor of product `id` on the admin page.
export async function editProduct(admin, id) {
  await admin.evaluate((pid) => { location.hash = `#/product/${encodeURIComponent(pid)}`; }, id);
  await admin.locator(`.editor[data-product-id="${id}"]`).waitFor();
}

// Runs the admin's `act`, takes the moment its write request leaves as the
// save, waits for every check, and records the time between.
export async function measure(suite, what, admin, act, checks, { match = () => true, timeout = 15000 } = {}) {
  const sent = admin.waitForRequest((r) => r.method() !== 'GET' && r.url().includes('/api/') && match(r), { timeout });
  await act();
  await sent;
  const t0 = performance.now();
  await Promise.all(checks.map((c) => c()));
  const ms = performance.now() - t0;
  recordTiming(suite, what, ms);
  return ms;
}

// Waits for a locator that has the given text.
export const seeText = (page, selector, text, timeout = 10000) =>
  () => page.locator(selector, { hasText: text }).first().waitFor({ state: 'attached', timeout });
export const gone = (page, selector, timeout = 10000) =>
  () => page.locator(selector).first().waitFor({ state: 'detached', timeout });
export const present = (page, selector, timeout = 10000) =>
  () => page.locator(selector).first().waitFor({ state: 'attached', timeout });

// Marks the page's document, so a test can show later that every change
// arrived in this same document (no reload, no navigation away).
export const markDocument = (page) => page.evaluate(() => { window.__shelfsyncSameDocument = true; });
export const sameDocument = (page) => page.evaluate(() => window.__shelfsyncSameDocument === true);
