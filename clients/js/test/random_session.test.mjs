// Must-show (b): after a randomized session the cache equals a fresh sync.
// Fixed seeds; random creates, patches, deletes and status changes that move
// products in and out of a shopper's view; random disconnects and a server
// restart. Checked for an admin view and a public view at once, over
// WebSocket and over SSE, and the client's digest must equal the server's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, makeClient, freshSync, diffRecords, record, eventually, Writer, sleep,
} from './helpers.mjs';

function versionsOnlyRise(rec) {
  const problems = [];
  for (const [id, evs] of rec.byId) {
    for (let i = 1; i < evs.length; i++) {
      if (evs[i].v < evs[i - 1].v) problems.push(`${id}: v${evs[i].v} after v${evs[i - 1].v}`);
      if (evs[i].v === evs[i - 1].v && evs[i].op === evs[i - 1].op) problems.push(`${id}: v${evs[i].v} ${evs[i].op} twice`);
    }
  }
  return problems;
}

for (const { seed, transport } of [
  { seed: 11, transport: 'websocket' },
  { seed: 29, transport: 'websocket' },
  { seed: 47, transport: 'sse' },
]) {
  test(`randomized session (seed ${seed}, ${transport}): cache equals a fresh sync`, async (tc) => {
    const srv = await startServer();
    const clients = [];
    try {
      const t = await srv.createTenant(`js-random-${seed}`);
      const writer = new Writer(srv, t.admin_token, { seed, prefix: `s${seed}_` });
      for (let i = 0; i < 12; i++) await writer.create(i % 3 === 0 ? 'draft' : 'active');

      const admin = makeClient(srv, t.admin_token, { transport });
      const shop = makeClient(srv, t.public_token, { transport });
      clients.push(admin, shop);
      const fa = admin.subscribe('products');
      const fp = shop.subscribe('products', { batchMs: 20 });
      const ra = record(fa);
      const rp = record(fp);
      await Promise.all([fa.ready, fp.ready]);

      let drops = 0;
      let restarted = false;
      for (let i = 0; i < 220; i++) {
        await writer.step({ statuses: true });
        const r = writer.random();
        if (r < 0.04) { drops++; admin.live.reconnect(); }
        else if (r < 0.08) { drops++; shop.live.reconnect(); }
        if (i === 110) { await srv.restart(); restarted = true; }
        if (writer.random() < 0.1) await sleep(writer.random() * 30);
      }

      for (const [name, feed, token] of [['admin', fa, t.admin_token], ['public', fp, t.public_token]]) {
        const expected = await freshSync(srv, token);
        const same = await eventually(() => diffRecords(feed.records(), expected) === null);
        assert.ok(same, `${name} cache differs from a fresh sync: ${diffRecords(feed.records(), expected)}`);
        const v = await feed.verify({ heal: false });
        assert.equal(v.ok, true, `${name}: client digest equals the server's`);
      }
      assert.ok(fp.records().every((p) => p.status === 'active'), 'a shopper holds active products only');
      assert.ok(fp.records().length < fa.records().length, 'drafts and archived products are outside the public view');
      assert.deepEqual(versionsOnlyRise(ra), []);
      assert.deepEqual(versionsOnlyRise(rp), []);
      assert.ok(restarted);
      tc.diagnostic(`${writer.ops} writes, ${drops} drops, outages admin ${ra.outages.length} public ${rp.outages.length}, `
        + `${fa.records().length} admin / ${fp.records().length} public records`);
    } finally {
      for (const c of clients) c.close();
      await srv.stop();
    }
  });
}

test('self-heal: a cache that drifted is found by the digest and replaced by a fresh snapshot', async () => {
  const srv = await startServer();
  let c;
  try {
    const t = await srv.createTenant('js-heal');
    const writer = new Writer(srv, t.admin_token, { seed: 2, prefix: 'h' });
    for (let i = 0; i < 8; i++) await writer.create();
    c = makeClient(srv, t.admin_token);
    const feed = c.subscribe('products');
    await feed.ready;
    assert.equal((await feed.verify()).ok, true);

    // Damage the cache behind the feed's back: one record lost, one stale.
    const [a, b] = feed.records();
    feed.collection.records.delete(a.id);
    feed.collection.records.set(b.id, { ...b, version: b.version - 1 + 100 });
    const healed = [];
    feed.on('heal', (d) => healed.push(d));
    const r = await feed.verify({ attempts: 2, interval: 50 });
    assert.deepEqual([r.ok, r.healed], [false, true]);
    assert.equal(healed.length, 1);
    const expected = await freshSync(srv, t.admin_token);
    assert.equal(diffRecords(feed.records(), expected), null);
    assert.equal((await feed.verify({ heal: false })).ok, true);
    // Still live after the heal.
    await writer.patch(a.id, { price: 5 });
    assert.ok(await eventually(() => feed.get(a.id)?.price === 5));
  } finally {
    c?.close();
    await srv.stop();
  }
});

test('self-heal of filtered feeds: an ids room and a field filter each verify their own scope', async () => {
  const srv = await startServer();
  let c;
  try {
    const t = await srv.createTenant('js-heal-scoped');
    const writer = new Writer(srv, t.admin_token, { seed: 3, prefix: 's' });
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push((await writer.create()).id);
    const cat = (await writer.client().post('/api/categories', { name: 'Followed' })).body;
    for (const id of ids.slice(0, 4)) await writer.patch(id, { category_ids: [cat.id] });
    c = makeClient(srv, t.admin_token);
    const room = c.subscribe('products', { filter: { ids: ids.slice(5, 8) } });
    const shelf = c.subscribe('products', { filter: { category_id: cat.id } });
    for (const [feed, size] of [[room, 3], [shelf, 4]]) {
      await feed.ready;
      assert.equal(feed.records().length, size);
      const v = await feed.verify({ heal: false });
      assert.deepEqual([v.ok, v.count], [true, size], 'the scope\'s digest, not the whole catalog\'s');
      // A record changed behind the feed's back is found and repaired.
      const [a] = feed.records();
      feed.collection.records.set(a.id, { ...a, version: a.version + 50, title: 'tampered' });
      const r = await feed.verify({ attempts: 2, interval: 50 });
      assert.deepEqual([r.ok, r.healed], [false, true]);
      assert.notEqual(feed.get(a.id).title, 'tampered');
      assert.equal((await feed.verify({ heal: false })).ok, true);
    }
  } finally {
    c?.close();
    await srv.stop();
  }
});
