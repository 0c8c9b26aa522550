// Browser test helpers: the system's chromium driven by playwright-core,
// the real server (tests/integration/lib/server.mjs), seeding, tokens,
// pages in their own contexts, screenshots and timings.

import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, api, runCli, sleep } from '../../integration/lib/server.mjs';

export { api, sleep } from '../../integration/lib/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const OUT_DIR = path.resolve(here, '..', 'out');
export const SCREENSHOT_DIR = path.join(OUT_DIR, 'screenshots');
export const TIMINGS_FILE = path.join(OUT_DIR, 'timings.txt');
const CHROMIUM = process.env.SHELFSYNC_CHROMIUM || '/usr/bin/chromium';

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

// Debian's chromium package; installed on first use.
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const install = () => execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'],
    { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  try {
    install();
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    install();
  }
  if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM} after installing it`);
  return CHROMIUM;
}

export async function launchBrowser() {
  const executablePath = ensureChromium();
  return chromium.launch({
    executablePath,
    headless: true,
    // Root in a container has no user namespaces for the sandbox; nothing
    // but the local server is ever loaded.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

// A server with one tenant: {server, url, tenant, adminToken, publicToken,
// admin, pub, token(role, customer?), customer(id, name, kind?)}.
export async function startShop(name = 'Browser Shop') {
  const server = await startServer();
  const t = await server.createTenant(name);
  const admin = api(server.url, t.admin_token);
  const token = (role, customer) => server.createToken(t.tenant, role, customer);
  return {
    server,
    url: server.url,
    tenant: t.tenant,
    adminToken: t.admin_token,
    publicToken: t.public_token,
    admin,
    pub: api(server.url, t.public_token),
    token,
    // A customer with its own key, {id, token, api}: the token command
    // creates it; the admin names it and sets its kind.
    async customer(id, customerName, kind = 'retail') {
      const key = await token('customer', id);
      const r = await admin.patch(`/api/customers/${id}`, { name: customerName, kind },
        { contentType: 'application/merge-patch+json' });
      if (r.status !== 200) throw new Error(`customer ${id}: ${r.status} ${r.text}`);
      return { id, token: key, api: api(server.url, key) };
    },
  };
}

// Starts a server stopped by kill9() again on its port and db, so an open
// page's own address keeps working (restart() would pick a new port).
export async function restartOnSamePort(server) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await server.start({ port: server.port });
    } catch (e) {
      if (attempt >= 10) throw e;
      await sleep(300); // the port may still be held for a moment
    }
  }
}

// A server on the demo catalog (`shelfsync demo`): {server, key, keys,
// portals}, with `keys` the key of each page's link ({shop, admin, pos,
// dashboard}), `portals` the portal's ({retail, partner}) and `key` the one
// of `page` (e.g. '/pos'). The caller stops the server.
export async function startDemo(page) {
  const server = await startServer();
  try {
    await server.terminate();
    const out = await runCli(['demo', ...server.dbArgs, '--url', 'http://x']);
    const keys = Object.fromEntries([...out.matchAll(/\/(\w+)\?key=(\S+)/g)].map((m) => [m[1], m[2]]));
    // The portal is printed twice: for a retail customer and for a partner.
    const portals = Object.fromEntries([...out.matchAll(/\/portal\?key=(\S+)\s+\((retail|partner)/g)]
      .map((m) => [m[2], m[1]]));
    const key = page ? keys[page.replace(/^\//, '')] : undefined;
    if (page && !key) throw new Error(`demo printed no link to ${page}:\n${out}`);
    await server.start();
    return { server, key, keys, portals };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

// The staff pages' connection state (#conn[data-state]).
export const waitConnection = (page, state = 'online') =>
  page.waitForSelector(`#conn[data-state="${state}"]`, { timeout: 15000 });

export async function seed(adminApi, collection, doc) {
  const r = await adminApi.post(`/api/${collection}`, doc);
  if (r.status !== 201) throw new Error(`seed ${collection}: ${r.status} ${r.text}`);
  return r.body;
}

export function seedProduct(adminApi, fields = {}) {
  return seed(adminApi, 'products', {
    title: 'Linen Shirt', price: 4900, status: 'active',
    variants: [{ sku: 'LS-1', stock: 10, options: {} }], ...fields,
  });
}

// A new context (own storage) with one page on `url`. Page errors are kept
// in page.errors so a test can assert there were none. `setup(page)` runs
// before the page loads (e.g. to route its WebSocket).
export async function openPage(browser, url, { viewport = 'desktop', setup } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport] || viewport });
  const page = await context.newPage();
  watchErrors(page);
  await setup?.(page);
  await page.goto(url);
  return { context, page };
}

// Collects uncaught errors, console errors and failed loads (with their URL)
// in page.errors.
export function watchErrors(page) {
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.errors.push(m.text());
  });
  page.on('response', (r) => { if (r.status() >= 400) page.errors.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
  return page;
}

// out/screenshots/<pageName>-<viewport>.png: what the screen shows, or with
// fullPage the whole scrolled page (for what lies below the fold).
export async function screenshot(page, pageName, viewport, { fullPage = false } = {}) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${pageName}-${viewport}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

// One line per measurement: "<suite>  <what>  <ms> ms".
export function recordTiming(suite, what, ms) {
  mkdirSync(OUT_DIR, { recursive: true });
  appendFileSync(TIMINGS_FILE, `${suite.padEnd(14)} ${what.padEnd(40)} ${String(Math.round(ms)).padStart(6)} ms\n`);
}

// Runs `act` (the save), then waits until `visible()` holds on every given
// page; returns the milliseconds from the end of `act` to visible.
export async function timeToVisible(act, checks, { timeout = 10000 } = {}) {
  await act();
  const t0 = performance.now();
  await Promise.all(checks.map((c) => c()));
  return performance.now() - t0;
}

// Routes a page's live WebSocket through the test, which can hold what the
// server sends (as if the network stalled) and release it later, in order:
// the page then shows a stale state the way a slow link would leave it.
// Call before the page loads; returns {hold(), release()}.
export async function holdableLive(page) {
  let holding = false;
  const held = [];
  await page.routeWebSocket(/\/api\/live/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => { if (holding) held.push([ws, m]); else ws.send(m); });
  });
  return {
    hold() { holding = true; },
    release() {
      holding = false;
      for (const [ws, m] of held.splice(0)) ws.send(m);
    },
  };
}
