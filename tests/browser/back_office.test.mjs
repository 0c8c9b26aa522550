// The shop, the dashboard and the portal together, each in its own browser
// context against one real server, none ever reloaded: a customer's order
// placed in the shop appears on the dashboard with its chime, is confirmed
// there, and the customer's portal shows the new status; its bill, marked
// paid on the dashboard, turns paid in the portal; a partner's order from
// the portal appears on the dashboard.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startShop, seedProduct, openPage, waitConnection } from './lib/browser.mjs';
import { markDocument, openShop, sameDocument } from './lib/pages.mjs';

let shop;
let browser;

before(async () => {
  shop = await startShop('Corner Shop');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await shop?.server.stop();
});

async function open(path, token) {
  const { context, page } = await openPage(browser, `${shop.url}/${path}?key=${token}`);
  await waitConnection(page);
  await markDocument(page);
  return { context, page };
}

const cueFor = (page, orderId) =>
  page.waitForFunction((id) => (window.__shelfsyncCues ?? []).some((c) => c.order_id === id), orderId);

test('a shop order rings on the dashboard, is confirmed and paid there, and the portal follows', { timeout: 120000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Enamel Mug', price: 1450, variants: [{ sku: 'EM-1', stock: 30, options: {} }] });
  const cleo = await shop.customer('cust_cleo', 'Cleo Park');
  const dash = await open('dashboard', shop.adminToken);
  const portal = await open('portal', cleo.token);
  // The storefront, signed in with the customer's key: its order is hers.
  const { context: shopContext, page: store } = await openShop(browser,
    { url: shop.url, publicToken: cleo.token }, { hash: `#/product/${p.id}` });
  try {
    await store.locator(`.product-page[data-product-id="${p.id}"]`).waitFor();
    await store.fill('#qty', '2');
    await store.dispatchEvent('#qty', 'change');
    await store.click('.add-to-cart');
    await store.evaluate(() => { location.hash = '#/cart'; });
    await store.click('.checkout');
    const number = (await store.locator('.thanks .order-number').textContent()).replace('#', '');
    const order = (await shop.admin.get('/api/orders')).body.data.find((o) => String(o.number) === number);
    assert.equal(order.customer_id, cleo.id);
    assert.equal(order.channel, 'web');

    // The dashboard: the new order with its chime; confirmed from its row.
    const row = `#orders li[data-number="${number}"]`;
    await dash.page.waitForSelector(`${row}[data-status="placed"]`);
    await cueFor(dash.page, order.id);
    await dash.page.click(`${row} button[data-action="confirm"]`);
    await dash.page.waitForSelector(`${row}[data-status="confirmed"]`);

    // The portal: the order there too, now confirmed, with a notice and a cue.
    const mine = `#orders li[data-order-id="${order.id}"]`;
    await portal.page.waitForSelector(`${mine}[data-status="confirmed"]`);
    await portal.page.waitForSelector(`.notice[data-order-id="${order.id}"][data-status="confirmed"]`);
    await cueFor(portal.page, order.id);

    // Its bill, marked paid on the dashboard, turns paid in the portal.
    const bill = (await cleo.api.get(`/api/bills?customer_id=${cleo.id}`)).body.data.find((b) => b.order_id === order.id);
    await portal.page.waitForSelector(`#bills li[data-bill-id="${bill.id}"][data-status="unpaid"]`);
    await dash.page.click(`#bills li[data-id="${bill.id}"] button.pay`);
    await dash.page.waitForSelector(`dialog.pay-dialog[data-bill-id="${bill.id}"]`);
    assert.equal(await dash.page.inputValue('#pay-amount'), '29.00');
    await dash.page.click('dialog.pay-dialog button[type="submit"]');
    await dash.page.waitForSelector(`#bills li[data-id="${bill.id}"]`, { state: 'detached' });
    await portal.page.waitForSelector(`#bills li[data-bill-id="${bill.id}"][data-status="paid"]`);
    await portal.page.waitForSelector(`.notice[data-bill-id="${bill.id}"][data-status="paid"]`);

    for (const page of [dash.page, portal.page]) {
      assert.equal(await sameDocument(page), true, 'no page was reloaded');
      assert.deepEqual(page.errors, []);
    }
    assert.deepEqual(store.errors, []);
  } finally {
    await Promise.all([dash.context.close(), portal.context.close(), shopContext.close()]);
  }
});

test('a partner\'s order from the portal appears on the dashboard', { timeout: 120000 }, async () => {
  const p = await seedProduct(shop.admin, { title: 'Twine Spool', price: 600, variants: [{ sku: 'TS-1', stock: 80, options: {} }] });
  const acme = await shop.customer('cust_acme', 'Acme Resellers', 'partner');
  const dash = await open('dashboard', shop.adminToken);
  const portal = await open('portal', acme.token);
  try {
    const variant = p.variants[0];
    await portal.page.waitForSelector(`.portal-variant[data-variant-id="${variant.id}"][data-stock="80"]`);
    await portal.page.fill(`#qty-${variant.id}`, '12');
    await portal.page.click(`.portal-variant[data-variant-id="${variant.id}"] .add`);
    await portal.page.click('#place-order');
    const placed = await portal.page.waitForSelector('#cart .placed[data-order-id]');
    const orderId = await placed.getAttribute('data-order-id');
    const order = (await shop.admin.get(`/api/orders/${orderId}`)).body;
    assert.deepEqual([order.channel, order.customer_id, order.total], ['partner', acme.id, 7200]);

    const row = `#orders li[data-number="${order.number}"][data-status="placed"]`;
    await dash.page.waitForSelector(row);
    await cueFor(dash.page, order.id);
    assert.match(await dash.page.textContent(row), /Partner.*12× Twine Spool/s);
    // The partner sees its stock go down with its own order.
    await portal.page.waitForSelector(`.portal-variant[data-variant-id="${variant.id}"][data-stock="68"]`);
    for (const page of [dash.page, portal.page]) {
      assert.equal(await sameDocument(page), true, 'no page was reloaded');
      assert.deepEqual(page.errors, []);
    }
  } finally {
    await Promise.all([dash.context.close(), portal.context.close()]);
  }
});
