// Screenshots of the back office on the demo shop (`shelfsync demo`, with
// its 30 days of history) at desktop and phone widths, into
// out/screenshots/docs-*: the dashboard, the portal of a retail customer
// and of a partner, and the product editor scrolled to its stock history.
// `scripts/docs-screenshots.sh` runs this and copies them to
// docs/screenshots/. Each shot also checks the page fits its width and
// logged no error.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startDemo, openPage, screenshot, api, waitConnection } from './lib/browser.mjs';
import { openAdmin, editProduct } from './lib/pages.mjs';

let demo;
let browser;

before(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await demo?.server.stop();
});

const VIEWPORTS = ['desktop', 'phone'];
const fitsWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
// Pages ring only once touched: a click where nothing is, so the "click to
// allow sound" hint is gone from the picture.
const touch = async (page) => {
  await page.mouse.click(2, 300);
  await page.waitForSelector('#sound-hint', { state: 'hidden' });
};

async function shoot(page, name, viewport) {
  assert.equal(await fitsWidth(page), true, `${name} at ${viewport}: nothing scrolls sideways`);
  await screenshot(page, `docs-${name}`, viewport);
  assert.deepEqual(page.errors, []);
}

test('the dashboard', { timeout: 90000 }, async () => {
  for (const viewport of VIEWPORTS) {
    const { context, page } = await openPage(browser, `${demo.server.url}/dashboard?key=${demo.keys.dashboard}`, { viewport });
    try {
      await waitConnection(page);
      await page.waitForSelector('#chart[data-days="30"] canvas');
      // Bills name their customers once the customers feed is in.
      await page.waitForFunction(() => [...document.querySelectorAll('#bills .bill-who')]
        .some((e) => !e.textContent.startsWith('cust_')));
      await page.waitForSelector('#stock li');
      await touch(page);
      await shoot(page, 'dashboard', viewport);
    } finally {
      await context.close();
    }
  }
});

test('the portal of a retail customer and of a partner', { timeout: 90000 }, async () => {
  for (const kind of ['retail', 'partner']) {
    for (const viewport of VIEWPORTS) {
      const { context, page } = await openPage(browser, `${demo.server.url}/portal?key=${demo.portals[kind]}`, { viewport });
      try {
        await waitConnection(page);
        await page.waitForSelector(`body[data-kind="${kind}"] #orders li[data-order-id]`);
        await page.waitForSelector('#bills li[data-bill-id]');
        if (kind === 'partner') await page.waitForSelector('.portal-product');
        await touch(page);
        await shoot(page, `portal-${kind}`, viewport);
      } finally {
        await context.close();
      }
    }
  }
});

test('the product editor with its stock history', { timeout: 90000 }, async () => {
  // The product whose stock moved most in the demo's month.
  const admin = api(demo.server.url, demo.keys.admin);
  const counts = new Map();
  let after = '';
  do {
    const page = (await admin.get(`/api/stock_movements?limit=1000${after ? `&after=${after}` : ''}`)).body;
    for (const m of page.data) counts.set(m.product_id, (counts.get(m.product_id) ?? 0) + 1);
    after = page.next;
  } while (after);
  const [busiest] = [...counts].sort((a, b) => b[1] - a[1])[0];
  const shop = { url: demo.server.url, adminToken: demo.keys.admin };
  for (const viewport of VIEWPORTS) {
    const { context, page } = await openAdmin(browser, shop, { viewport });
    try {
      await editProduct(page, busiest);
      await page.waitForSelector(`.stock-history[data-count="${counts.get(busiest)}"]`);
      await page.locator('.stock-history').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await shoot(page, 'admin-stock-history', viewport);
    } finally {
      await context.close();
    }
  }
});
