// Must-show (a): reconnect and resume lose nothing. While a writer keeps
// changing products, the client's socket is killed and the server is
// restarted (new port each time); at the end the cache equals a fresh sync,
// its digest matches the server's, and every record's versions arrived in
// order, none twice, with no version skipped except where the protocol
// allows it (a replay after an outage carries each record once, in its
// latest state). Also: a reload resumes from the persisted cursor, and an
// expired cursor leads to a fresh snapshot.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, api, makeClient, freshSync, diffRecords, record, eventually, Writer, sleep,
} from './helpers.mjs';
import { Cache, MemoryStore } from '../src/index.js';

// Every record's versions must arrive in order, none twice, and none
// skipped except where the protocol coalesces: in the replay that opens a
// resumed connection (its first batch), for a write that the earlier
// connections had not reached yet. The writer sends one request at a time,
// so its order is the change log's order: if an earlier connection had
// delivered any later write, a skipped version was passed over while live.
function checkSequences(rec, writer) {
  const problems = [];
  const maxOrder = []; // epoch → the latest write delivered in it
  for (const [id, evs] of rec.byId) {
    for (const ev of evs) {
      const o = writer.orderOf(id, ev.v, ev.op);
      if (o !== undefined) maxOrder[ev.epoch] = Math.max(maxOrder[ev.epoch] ?? 0, o);
    }
  }
  const reachedBefore = (epoch) => Math.max(0, ...maxOrder.slice(0, epoch).map((x) => x ?? 0));
  let coalesced = 0;
  for (const [id, evs] of rec.byId) {
    const made = writer.versions.get(id) ?? new Map();
    let prev = null;
    for (const ev of evs) {
      if (prev) {
        if (ev.op === 'upsert' && ev.v <= prev.v) problems.push(`${id}: v${ev.v} after v${prev.v}`);
        if (ev.op === 'delete' && ev.v < prev.v) problems.push(`${id}: delete v${ev.v} after v${prev.v}`);
      }
      // The initial snapshot starts each record where it stood then.
      const from = prev ? prev.v + 1 : (ev.snapshot ? ev.v : 1);
      for (let m = from; m < ev.v; m++) {
        const w = made.get(m);
        if (!w) { problems.push(`${id}: v${m} skipped and never written by the writer`); continue; }
        const inReplay = ev.epoch > 0 && ev.batch === 1;
        if (!inReplay) problems.push(`${id}: v${m} (write #${w.order}) skipped in epoch ${ev.epoch} batch ${ev.batch}`);
        else if (reachedBefore(ev.epoch) > w.order) {
          problems.push(`${id}: v${m} (write #${w.order}) skipped although write #${reachedBefore(ev.epoch)} was delivered before`);
        } else coalesced += 1;
      }
      prev = ev;
    }
  }
  return { problems, coalesced };
}

test('reconnect and resume lose nothing: socket kills and server restarts under a writer', async (tc) => {
  const srv = await startServer();
  const client = { live: null };
  try {
    const t = await srv.createTenant('js-resume');
    const writer = new Writer(srv, t.admin_token, { seed: 7, prefix: 'r' });
    for (let i = 0; i < 15; i++) await writer.create();

    const c = makeClient(srv, t.admin_token, { transport: 'websocket' });
    client.live = c.live;
    const feed = c.subscribe('products');
    const rec = record(feed);
    await feed.ready;

    // The writer and the disruptions run side by side; the writer keeps
    // going until every disruption has happened.
    let disrupting = true;
    const writes = (async () => {
      for (let i = 0; i < 300 || disrupting; i++) {
        await writer.step();
        if (i % 3 === 0) await sleep(writer.random() * 12);
      }
    })();
    // Each disruption waits until the feed is live again, so every one makes
    // an outage of its own by construction (two falling into one recovery,
    // as on a slow run, would merge them).
    const disruptions = ['drop', 'drop', 'restart', 'drop', 'restart', 'drop', 'drop', 'restart'];
    for (const d of disruptions) {
      assert.ok(await eventually(() => feed.status === 'live'), `not live again before a ${d} (${feed.status})`);
      await sleep(250 + Math.floor(writer.random() * 300));
      if (d === 'drop') c.live.reconnect();
      else await srv.restart();
    }
    disrupting = false;
    await writes;
    assert.ok(await eventually(() => feed.status === 'live'), `not live after the last disruption (${feed.status})`);

    const expected = await freshSync(srv, t.admin_token);
    const same = await eventually(() => diffRecords(feed.records(), expected) === null);
    assert.ok(same, `cache differs from a fresh sync: ${diffRecords(feed.records(), expected)}`);
    assert.equal(rec.outages.length, disruptions.length, 'one outage per disruption');
    assert.equal(rec.resets, 0, 'no reset: every cursor was still servable');
    const { problems, coalesced } = checkSequences(rec, writer);
    const seen = [...rec.byId.values()].reduce((n, evs) => n + evs.length, 0);
    tc.diagnostic(`${writer.ops} writes, ${seen} changes seen in ${rec.batches} batches, ${rec.outages.length} outages, `
      + `${coalesced} versions coalesced by replays`);
    assert.deepEqual(problems.slice(0, 10), [], `${problems.length} sequence problems`);

    // The client's own digest equals the server's: nothing to heal.
    const v = await feed.verify({ heal: false });
    assert.equal(v.ok, true, 'digest matches');
    assert.equal(v.count, expected.length);
  } finally {
    client.live?.close();
    await srv.stop();
  }
});

// A page visit on a persistent `store`: its products feed (changes recorded)
// once ready. The client is added to `clients`, for the test to close.
// `loaded` lists the feed's `loaded` events, each with the feed's status and
// record count at that moment.
async function openProducts(srv, token, store, clients) {
  const client = makeClient(srv, token, { cache: new Cache({ store }) });
  clients.push(client);
  const feed = client.subscribe('products');
  const loaded = [];
  feed.on('loaded', (info) => loaded.push({ ...info, status: feed.status, records: feed.records().length }));
  const rec = record(feed);
  await feed.ready;
  return { client, feed, rec, loaded };
}

// Closes a visit with its cache written out, as a page being closed.
async function closeVisit(client) {
  await client.cache.flush();
  client.close();
}

async function assertLikeFreshSync(srv, token, feed) {
  const expected = await freshSync(srv, token);
  assert.ok(await eventually(() => diffRecords(feed.records(), expected) === null), diffRecords(feed.records(), expected));
}

test('a reload resumes from the persisted cursor with `since` (no new snapshot)', async () => {
  const srv = await startServer();
  const store = new MemoryStore(); // outlives the "page"
  const clients = [];
  try {
    const t = await srv.createTenant('js-reload');
    const writer = new Writer(srv, t.admin_token, { seed: 3, prefix: 'l' });
    for (let i = 0; i < 30; i++) await writer.create();
    const first = await openProducts(srv, t.admin_token, store, clients);
    assert.equal(first.feed.records().length, 30);
    assert.deepEqual(first.loaded.map((l) => [l.count, l.cursor, l.records]), [[0, null, 0]], 'a first visit loads nothing');
    const stored = first.feed.cursor;
    await closeVisit(first.client);

    // While the page is closed: a few changes.
    const touched = [writer.pick(), writer.pick()];
    for (const id of touched) await writer.patch(id, { price: 7 });
    const extra = await writer.create();

    const { rec, feed, loaded } = await openProducts(srv, t.admin_token, store, clients);
    // The stored view was there before the server answered.
    assert.equal(loaded.length, 1);
    assert.deepEqual([loaded[0].count, loaded[0].records, loaded[0].cursor], [30, 30, stored]);
    assert.notEqual(loaded[0].status, 'live');
    await assertLikeFreshSync(srv, t.admin_token, feed);
    assert.equal(rec.snapshots, 0, 'resumed: no snapshot was taken');
    const seen = new Set(rec.byId.keys());
    assert.deepEqual([...seen].sort(), [...new Set([...touched, extra.id])].sort(), 'only what changed came over the wire');
  } finally {
    for (const c of clients) c.close();
    await srv.stop();
  }
});

test('an expired cursor gets `reset` and a fresh snapshot replaces the cache', async () => {
  const srv = await startServer({ args: ['--retention', '1', '--purge-interval', '1'] });
  const store = new MemoryStore();
  const clients = [];
  try {
    const t = await srv.createTenant('js-reset');
    const writer = new Writer(srv, t.admin_token, { seed: 5, prefix: 'x' });
    for (let i = 0; i < 10; i++) await writer.create();
    await closeVisit((await openProducts(srv, t.admin_token, store, clients)).client);
    const afterVisit = (await api(srv.url, t.admin_token).get('/api/sync?entities=products&limit=1000')).body.cursor;

    const gone = writer.pick();
    await writer.delete(gone);
    await writer.patch(writer.pick(), { price: 1 });
    // Past the retention horizon: wait until the server's purge has passed a
    // cursor taken after the first visit (so the stored one too), rather than
    // a fixed sleep a slow (sanitized) run may not cover.
    assert.ok(await eventually(async () => (await api(srv.url, t.admin_token)
      .get(`/api/sync?since=${encodeURIComponent(afterVisit)}`)).status === 410, { interval: 200 }),
    'the purge never passed the stored cursor');

    const { rec, feed } = await openProducts(srv, t.admin_token, store, clients);
    await assertLikeFreshSync(srv, t.admin_token, feed);
    assert.equal(rec.resets, 1, 'one reset');
    assert.equal(feed.get(gone), undefined, 'the deleted record left the cache');
    assert.ok(rec.byId.get(gone)?.some((e) => e.op === 'delete'), 'listeners were told it left');
  } finally {
    for (const c of clients) c.close();
    await srv.stop();
  }
});
