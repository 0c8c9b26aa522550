// Several servers on one database (SPEC §7, §8, PostgreSQL): a node dies.
// - SIGKILL of a node while clients follow it: they reconnect to the other
//   nodes with their cursor and lose nothing while writes go on through the
//   others; the node starts again, catches up, and subscribers on it see
//   everything.
// - A sale written through a node that is killed before the sale ends still
//   ends on time, exactly once: one new version, also once the node is back.
//
// Runs only with SHELFSYNC_TEST_PG.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, api, rng, sleep, NEEDS_PG } from './lib/server.mjs';
import { create, isoIn, DAY } from './lib/check.mjs';
import { MP, pool, eventually } from './lib/live.mjs';
import { getProduct } from './lib/commerce.mjs';
import { Subscriber, settledProblems, orderProblems } from './lib/cluster.mjs';

const pick = (r, arr) => arr[Math.floor(r() * arr.length)];

// Writes acknowledged before each step (the kill, the restart, the end): a
// slow run still has writes in every phase.
const WRITES_PER_PHASE = 150;

test('SIGKILL of a node: its subscribers resume on the others and lose nothing; the node returns and catches up',
  { skip: NEEDS_PG, timeout: 90000 }, async () => {
    const cluster = await startCluster({ nodes: 3 });
    const [victim, n1, n2] = cluster.nodes;
    const subs = [];
    try {
      const T = await cluster.createTenant('failover');
      const adminOn = (node) => api(node.url, T.admin_token);
      const products = await pool(40, 8, (i) => create(adminOn(cluster.nodes[i % 3]), 'products', {
        title: `Failover ${i}`, price: 100 + i, status: i % 5 === 0 ? 'draft' : 'active',
      }));
      const admin = T.admin_token;
      const pub = T.public_token;
      const onVictim = [
        new Subscriber('ws admin', { token: admin }),
        new Subscriber('ws public', { token: pub, batch_ms: 20 }),
        new Subscriber('ws admin invalidate', { token: admin, mode: 'invalidate' }),
        new Subscriber('ws admin ids', { token: admin, filter: { ids: products.slice(0, 8).map((p) => p.id) } }),
        new Subscriber('sse admin', { transport: 'sse', token: admin }),
        new Subscriber('sse public Last-Event-ID', { transport: 'sse', token: pub, lastEventId: true }),
      ];
      // elsewhere[0] is the reference: no filter, batch_ms 0, never moves (orderProblems).
      const elsewhere = [new Subscriber('ws admin on n1', { token: admin }), new Subscriber('sse public on n2', { transport: 'sse', token: pub })];
      subs.push(...onVictim, ...elsewhere);
      await Promise.all([...onVictim.map((s) => s.connect(victim.url)), elsewhere[0].connect(n1.url), elsewhere[1].connect(n2.url)]);

      // Writers go through every node that is up; a write cut by the kill has
      // an unknown outcome, which the final comparison with a fresh sync covers.
      const up = new Set(cluster.nodes);
      const failures = [];
      let acked = 0;
      let writing = true;
      const writer = async (w) => {
        const wr = rng(700 + w);
        for (let n = 0; writing; n++) {
          const node = pick(wr, [...up]);
          try {
            const res = wr() < 0.1
              ? await adminOn(node).post('/api/products', { title: `Written ${w}-${n}`, price: n, status: 'active' })
              : await adminOn(node).patch(`/api/products/${pick(wr, products).id}`, { price: Math.floor(wr() * 10000) }, MP);
            if (res.status === 200 || res.status === 201) acked++;
            else failures.push(`${res.status} ${res.text.slice(0, 200)}`);
          } catch (e) {
            if (up.has(node)) failures.push(`${node.url}: ${e.message}`);
          }
          await sleep(wr() * 10);
        }
      };
      const writers = Array.from({ length: 4 }, (_, w) => writer(w));
      const phase = async (what) => {
        const until = acked + WRITES_PER_PHASE;
        assert.ok(await eventually(() => acked >= until || failures.length > 0, { interval: 20 }), `${what}: writes stalled at ${acked}`);
        assert.deepEqual(failures, [], `${what}: writes failed`);
      };

      await phase('before the kill');
      up.delete(victim);
      assert.equal((await victim.kill9()).signal, 'SIGKILL');
      assert.ok(await eventually(() => onVictim.every((s) => s.closed)), 'the killed node\'s subscribers saw their connections end');
      const cursors = onVictim.map((s) => s.view.cursor);
      await Promise.all(onVictim.map((s, i) => s.connect((i % 2 ? n2 : n1).url)));
      assert.deepEqual(onVictim.map((s) => s.since), cursors, 'each resumed from its last cursor');

      await phase('with the node down');
      await victim.start();
      up.add(victim);
      // Back on the restarted node: a fresh subscriber, and two that return with their cursor.
      const fresh = [new Subscriber('ws admin fresh on the restarted node', { token: admin }),
        new Subscriber('sse public fresh on the restarted node', { transport: 'sse', token: pub })];
      subs.push(...fresh);
      await Promise.all([...fresh.map((s) => s.connect(victim.url)), onVictim[0].connect(victim.url), onVictim[4].connect(victim.url)]);
      const freshChanges = fresh.map((s) => s.view.changes);

      await phase('after the restart');
      writing = false;
      await Promise.all(writers);
      assert.deepEqual(failures, []);

      // The restarted node reads what the others read.
      const digests = await Promise.all(cluster.nodes.map(async (n) => (await adminOn(n).get('/api/sync/digest?entities=products')).body));
      for (const d of digests.slice(1)) assert.deepEqual([d.count, d.hash], [digests[0].count, digests[0].hash], 'digests differ between nodes');
      const problems = await settledProblems(subs, n1.url);
      problems.push(...await orderProblems(subs, { url: n2.url, adminToken: admin, reference: elsewhere[0] }));
      assert.deepEqual(problems.slice(0, 30), [], `${problems.length} problems`);
      for (const [i, s] of fresh.entries()) {
        assert.ok(s.view.changes > freshChanges[i], `${s.view.name}: live changes after its snapshot`);
      }
      console.log(`# cluster_failover: ${acked} writes, ${subs.reduce((n, s) => n + s.view.changes, 0)} changes received, `
        + `${subs.reduce((n, s) => n + s.view.log.length, 0)} messages checked against the log`);
    } finally {
      for (const s of subs) s.drop();
      await cluster.stop();
    }
  });

// How late the end may come: the surviving nodes take over the timers of the
// dead one; room for a slow run, still far below a second end's chance to hide.
const LATE_MS = 5000;

test('a sale whose node is killed before it ends still ends, exactly once', { skip: NEEDS_PG, timeout: 60000 }, async () => {
  const cluster = await startCluster({ nodes: 3 });
  const [owner, n1, n2] = cluster.nodes;
  const watchers = [];
  try {
    const T = await cluster.createTenant('failover-sale');
    const id = 'sale_on_killed_node';
    // Subscribed before the product exists: every version arrives live.
    watchers.push(new Subscriber('watcher on n1', { token: T.admin_token, filter: { ids: [id] } }),
      new Subscriber('watcher on n2', { transport: 'sse', token: T.public_token, filter: { ids: [id] } }));
    await Promise.all([watchers[0].connect(n1.url), watchers[1].connect(n2.url)]);
    const endsAt = isoIn(2000);
    const p = await create(api(owner.url, T.admin_token), 'products', {
      id, title: 'Sale on a killed node', price: 1000, status: 'active', variants: [{ sku: 'KILLED', options: {}, stock: 5 }],
      sale: { kind: 'percent', value: 10, starts_at: isoIn(-DAY), ends_at: endsAt },
    });
    assert.deepEqual([p.version, p.on_sale, p.price_now], [1, true, 900]);
    await owner.kill9();
    assert.ok(Date.now() < Date.parse(endsAt), 'the node died before the sale ended');

    const read = (node) => getProduct(api(node.url, T.admin_token), id);
    const ended = await eventually(async () => {
      const g = await read(n1);
      return g.version > 1 ? g : null;
    }, { interval: 50, timeout: 20000 });
    const at = Date.now();
    assert.ok(ended, 'the sale did not end with its node dead');
    assert.ok(at >= Date.parse(endsAt) - 20, `the sale ended ${Date.parse(endsAt) - at} ms early`);
    assert.ok(at <= Date.parse(endsAt) + LATE_MS, `the sale ended ${at - Date.parse(endsAt)} ms late`);
    assert.deepEqual([ended.version, ended.on_sale, ended.price_now], [2, false, 1000]);

    // A second end (by another node, or by the dead one when it is back) would be a new version.
    await sleep(1500);
    await owner.start();
    await sleep(1500);
    for (const node of cluster.nodes) {
      const g = await read(node);
      assert.deepEqual([g.version, g.on_sale, g.price_now], [2, false, 1000], `read on ${node.url}`);
    }
    for (const w of watchers) {
      const v = w.view;
      assert.deepEqual(v.violations, []);
      assert.equal(v.changes, 2, `${v.name}: exactly two versions arrived (made, sale ended)`);
      assert.deepEqual([v.records.get(id)?.version, v.records.get(id)?.data?.on_sale], [2, false], v.name);
    }
    const end = watchers[0].conn.items.filter((m) => m.type === 'changes').flatMap((m) => m.changes).at(-1);
    assert.equal(end.origin, 'sale_timer');
  } finally {
    for (const w of watchers) w.drop();
    await cluster.stop();
  }
});
