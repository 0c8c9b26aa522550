// CORS in a real browser (SPEC §4, `serve --cors-origin`): a page served
// from another origin on 127.0.0.1 reads products with a bearer token (a
// preflighted request) and follows the SSE stream; the same page from an
// origin that is not listed is refused by the browser.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, api, freePort } from '../integration/lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';

// The page another shop's site would serve: it calls the API on `apiBase`.
const PAGE = `<!doctype html><meta charset="utf-8"><title>elsewhere</title>
<script>
  window.run = async (apiBase, token) => {
    const out = { products: null, fetchError: null, events: [], streamError: false };
    window.result = out;
    try {
      const res = await fetch(apiBase + '/api/products', { headers: { Authorization: 'Bearer ' + token } });
      out.products = (await res.json()).data.map((p) => p.title);
      out.etag = res.headers.get('ETag');
    } catch (e) {
      out.fetchError = String(e);
    }
    const es = new EventSource(apiBase + '/api/stream?topic=products&batch_ms=0&access_token=' + token);
    es.addEventListener('changes', (e) => {
      for (const c of JSON.parse(e.data).changes) out.events.push(c.data ? c.data.title : c.id);
    });
    es.onerror = () => { out.streamError = true; };
    return out;
  };
</script>`;

function servePage(port) {
  const srv = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(PAGE);
  });
  return new Promise((resolve) => srv.listen(port, '127.0.0.1', () => resolve(srv)));
}

let browser;
let shop;
let allowedSite;
let otherSite;
let allowedOrigin;
let otherOrigin;
let tokens;

before(async () => {
  const allowedPort = await freePort();
  const otherPort = await freePort();
  allowedOrigin = `http://127.0.0.1:${allowedPort}`;
  otherOrigin = `http://127.0.0.1:${otherPort}`;
  allowedSite = await servePage(allowedPort);
  otherSite = await servePage(otherPort);
  shop = await startServer({ args: ['--cors-origin', allowedOrigin] });
  tokens = await shop.createTenant('Cors Shop');
  await api(shop.url, tokens.admin_token).post('/api/products', { title: 'Listed Lamp', price: 1500, status: 'active' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await shop?.stop();
  allowedSite?.close();
  otherSite?.close();
});

async function openElsewhere(origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin + '/');
  await page.evaluate(([base, token]) => window.run(base, token), [shop.url, tokens.public_token]);
  return { page, context };
}

test('a page on a listed origin reads products and follows the live stream', async () => {
  const { page, context } = await openElsewhere(allowedOrigin);
  await page.waitForFunction(() => window.result && (window.result.products || window.result.fetchError));
  const r = await page.evaluate(() => window.result);
  assert.equal(r.fetchError, null);
  assert.deepEqual(r.products, ['Listed Lamp']);
  assert.ok(r.etag, 'ETag is exposed to the page');
  await page.waitForFunction(() => window.result.events.includes('Listed Lamp'), null, { timeout: 15000 });
  await api(shop.url, tokens.admin_token).post('/api/products', { title: 'Live Lantern', price: 2500, status: 'active' });
  await page.waitForFunction(() => window.result.events.includes('Live Lantern'), null, { timeout: 15000 });
  await context.close();
});

test('the same page on an origin that is not listed is refused', async () => {
  const { page, context } = await openElsewhere(otherOrigin);
  await page.waitForFunction(() => window.result && (window.result.products || window.result.fetchError));
  await page.waitForFunction(() => window.result.streamError, null, { timeout: 15000 });
  const r = await page.evaluate(() => window.result);
  assert.equal(r.products, null);
  assert.match(r.fetchError, /TypeError|Failed to fetch/);
  assert.deepEqual(r.events, [], 'no stream data reached the page');
  await context.close();
});
