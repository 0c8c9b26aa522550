// Snapshots that nobody reads (SPEC §7, docs/architecture.md "Paged
// snapshots"): 200 WebSocket connections with the public token each
// subscribe to a 10,000-product catalog without `since` and never read. The
// server reads a snapshot page by page only as a connection drains, so its
// memory stays bounded (RSS sampled from /proc) and it keeps answering; a
// connection that reads again gets the whole snapshot, then `subscribed`.
//
// Sizes and bound can be overridden (the sanitized run is slower and keeps
// freed memory in quarantine): SNAPSHOT_MEMORY_PRODUCTS (10000),
// SNAPSHOT_MEMORY_CONNECTIONS (200), SNAPSHOT_MEMORY_RSS_HEADROOM_MIB.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, sleep } from './lib/server.mjs';
import { create } from './lib/check.mjs';
import { View, LiveSocket, pool, rssBytes, eventually, MiB } from './lib/live.mjs';

const PRODUCTS = Number(process.env.SNAPSHOT_MEMORY_PRODUCTS ?? 10000);
const CONNECTIONS = Number(process.env.SNAPSHOT_MEMORY_CONNECTIONS ?? 200);
// ~1.2 KB per record as a change object: a whole snapshot is ~12 MB.
const DESCRIPTION = 'Snapshot ballast. '.repeat(60);
// The bound. What one unread connection may hold in the server: its
// outgoing queue up to the low-water mark (256 KiB, feed/live_connection.hpp:
// the next page is read only into a queue drained to it) plus the one page
// read then (500 records × ~1.2 KB ≈ 0.6 MiB, one message), plus allocator
// slack: under 2 MiB, so 200 × 2 MiB = 400 MiB over the baseline.
// Measured (release build): baseline 74 MiB, peak +169 MiB. Holding each
// whole snapshot until read (as before paging) measured +758 MiB for only
// 50 connections (~15 MiB each: ~3 GiB for 200).
const RSS_HEADROOM = Number(process.env.SNAPSHOT_MEMORY_RSS_HEADROOM_MIB ?? 2 * CONNECTIONS) * MiB;

let srv;
const socks = [];
after(async () => {
  for (const s of socks) s.terminate();
  await srv?.stop();
});

test(`${CONNECTIONS} unread snapshots of ${PRODUCTS} products: bounded memory, the server answers, a reader gets it all`, { timeout: 600000 }, async () => {
  srv = await startServer();
  const T = await srv.createTenant('snapshot-memory');
  const admin = api(srv.url, T.admin_token);
  const pub = api(srv.url, T.public_token);
  const t0 = Date.now();
  const products = await pool(PRODUCTS, 32, (i) => create(admin, 'products', {
    title: `Snapshot ${i}`, price: 100 + i, status: 'active', description: DESCRIPTION,
  }));
  console.log(`# snapshot memory: ${PRODUCTS} products in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const pid = srv.pid;
  await sleep(500);
  const baseline = rssBytes(pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    try { peak = Math.max(peak, rssBytes(pid)); } catch { /* exited: fails elsewhere */ }
  }, 100);
  const view = new View('resumed reader');
  try {
    for (let i = 0; i < CONNECTIONS; i++) {
      const s = await LiveSocket.connect(srv.url, T.public_token);
      socks.push(s);
      s.ws._socket.pause(); // never read: the server's writes back up
      if (i === 0) s.track('snap', view);
      s.send({ type: 'subscribe', sub: 'snap', topic: 'products' });
    }
    // every subscription is registered and its first pages went out
    const subscribed = await eventually(async () => (await admin.get('/health')).body?.subscriptions >= CONNECTIONS,
      { timeout: 60000, interval: 250 });
    assert.ok(subscribed, 'the server holds every subscription');
    await sleep(3000); // let every connection fill up to its mark
    // the server keeps answering meanwhile
    const health = await admin.get('/health');
    assert.equal(health.status, 200, health.text);
    console.log(`# snapshot memory: /health ${JSON.stringify(health.body)}`);
    const one = await pub.get(`/api/products/${products[PRODUCTS - 1].id}`);
    assert.equal(one.status, 200, one.text);
  } finally {
    clearInterval(sampler);
  }
  console.log(`# snapshot memory: RSS baseline ${(baseline / MiB).toFixed(1)} MiB, peak ${(peak / MiB).toFixed(1)} MiB `
    + `(+${((peak - baseline) / MiB).toFixed(1)} MiB for ${CONNECTIONS} unread snapshots; bound +${RSS_HEADROOM / MiB} MiB)`);
  assert.ok(peak < baseline + RSS_HEADROOM,
    `server RSS peaked at ${(peak / MiB).toFixed(0)} MiB, over baseline ${(baseline / MiB).toFixed(0)} + ${RSS_HEADROOM / MiB} MiB`);

  // One reader reads again: the complete snapshot, then `subscribed`.
  const reader = socks[0];
  const tr = Date.now();
  reader.ws._socket.resume();
  const done = await eventually(() => view.subscribed || reader.closed, { timeout: 120000, interval: 100 });
  assert.ok(done && !reader.closed, `subscribed after reading again (closed: ${reader.closed}, code ${reader.closeCode})`);
  console.log(`# snapshot memory: the resumed reader got ${view.changes} changes in ${view.messages} messages `
    + `in ${((Date.now() - tr) / 1000).toFixed(1)} s`);
  assert.equal(view.records.size, PRODUCTS, 'the whole snapshot before subscribed');
  assert.deepEqual(view.violations, []);
  const last = await admin.patch(`/api/products/${products[0].id}`, { price: 7 }, { contentType: 'application/merge-patch+json' });
  assert.equal(last.status, 200);
  assert.ok(await eventually(() => view.records.get(products[0].id)?.version === last.body.version),
    'live after the snapshot');
});
