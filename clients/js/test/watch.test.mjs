// Feed.watch (SPEC §7 `watch`): an ids-filtered feed changes the ids it
// follows in place. Added ids arrive in their current state, removed ones
// leave the cache and send nothing more, the feed's digest is its scope's;
// a reload that follows other ids keeps only those, and ids the stored view
// lacks are read afresh. Over WebSocket (the `watch` message) and SSE (the
// stream opened again for the new ids).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeClient, eventually, Writer } from './helpers.mjs';
import { Cache, MemoryStore } from '../src/index.js';

const versions = (feed) => Object.fromEntries(feed.records().map((r) => [r.id, r.version]));

async function serverVersions(writer, ids) {
  const out = {};
  for (const id of ids) out[id] = (await writer.client().get(`/api/products/${id}`)).body.version;
  return out;
}

for (const transport of ['websocket', 'sse']) {
  test(`watch (${transport}): ids added and removed in place, a reload follows other ids`, async () => {
    const srv = await startServer();
    const clients = [];
    try {
      const t = await srv.createTenant(`js-watch-${transport}`);
      const writer = new Writer(srv, t.admin_token, { seed: 5, prefix: 'w' });
      const ids = [];
      for (let i = 0; i < 6; i++) ids.push((await writer.create()).id);
      const store = new MemoryStore();
      const open = () => {
        const c = makeClient(srv, t.admin_token, { transport, cache: new Cache({ store }) });
        clients.push(c);
        return c;
      };

      const c1 = open();
      const feed = c1.subscribe('products', { filter: { ids: [ids[0], ids[1]] }, key: 'watched' });
      await feed.ready;
      assert.deepEqual(Object.keys(versions(feed)).sort(), [ids[0], ids[1]].sort());

      // ids[2] changes before it is watched: it must arrive in its current state.
      await writer.patch(ids[2], { price: 777 });
      const late = [];
      feed.on('changes', (changes) => {
        for (const ch of changes) if (ch.id === ids[0] && ch.op === 'upsert') late.push(ch);
      });
      feed.watch({ add: [ids[2], ids[3]], remove: [ids[0]] });
      assert.equal(feed.get(ids[0]), undefined, 'a removed id leaves the cache at once');
      const want = [ids[1], ids[2], ids[3]];
      assert.ok(await eventually(async () => JSON.stringify(versions(feed)) === JSON.stringify(await serverVersions(writer, want))),
        `the watched ids arrive current: ${JSON.stringify(versions(feed))}`);
      assert.equal(feed.get(ids[2]).price, 777);

      // A change of a removed id sends nothing; one of a watched id arrives.
      await writer.patch(ids[0], { price: 1 });
      await writer.patch(ids[3], { price: 333 });
      assert.ok(await eventually(() => feed.get(ids[3])?.price === 333));
      assert.deepEqual(late, [], 'nothing arrives for an id no longer watched');
      assert.equal(feed.get(ids[0]), undefined);
      const v = await feed.verify({ heal: false });
      assert.deepEqual([v.ok, v.count], [true, 3], 'the digest is the watched scope\'s');
      await c1.cache.flush();
      c1.close();

      // A reload that shows other products: ids[1] (changed meanwhile, kept)
      // and ids[4] (never stored), and not ids[2] or ids[3].
      await writer.patch(ids[1], { price: 111 });
      const c2 = open();
      const again = c2.subscribe('products', { filter: { ids: [ids[1], ids[4]] }, key: 'watched' });
      const loaded = new Promise((resolve) => again.on('loaded', resolve));
      assert.equal((await loaded).count, 1, 'the stored view keeps only the ids followed now');
      await again.ready;
      const want2 = [ids[1], ids[4]];
      assert.ok(await eventually(async () => JSON.stringify(versions(again)) === JSON.stringify(await serverVersions(writer, want2))),
        `resumed and read afresh: ${JSON.stringify(versions(again))}`);
      assert.equal(again.get(ids[1]).price, 111);
      assert.deepEqual((await again.verify({ heal: false })).ok, true);

      // A tampered record in the watched scope is repaired, and reported.
      const repairs = [];
      again.on('repair', (r) => repairs.push(r));
      const stale = again.get(ids[4]);
      again.collection.records.set(ids[4], { ...stale, version: stale.version + 9 });
      const r = await again.verify({ attempts: 2, interval: 50 });
      assert.deepEqual([r.ok, r.healed], [false, true]);
      assert.deepEqual(r.differed, [{ id: ids[4], had: stale.version + 9, now: stale.version }]);
      assert.deepEqual(repairs.map((x) => x.differed.length), [1]);
      assert.equal((await again.verify({ heal: false })).ok, true);
    } finally {
      for (const c of clients) c.close();
      await srv.stop();
    }
  });
}

test('watch refuses a feed without an ids filter', async () => {
  const srv = await startServer();
  let c;
  try {
    const t = await srv.createTenant('js-watch-refuse');
    c = makeClient(srv, t.admin_token);
    const feed = c.subscribe('products');
    assert.throws(() => feed.watch({ add: ['prod_x'] }), /ids filter/);
  } finally {
    c?.close();
    await srv.stop();
  }
});
