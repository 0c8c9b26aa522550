// Several servers on one database (SPEC §8, PostgreSQL): webhooks are
// delivered by one node at a time, the holder of the delivery lease.
// - Writes through every node reach the receiver, each record in its final
//   state, batches in cursor order (no two nodes deliver side by side).
// - The delivering node is killed: another takes the lease and resumes from
//   the stored cursor; nothing is lost (a batch may come twice:
//   at-least-once), and a hook created through another node's API is
//   delivered too.
//
// Runs only with SHELFSYNC_TEST_PG.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, api, sleep, NEEDS_PG } from './lib/server.mjs';
import { headCursor, syncSince, eventually } from './lib/live.mjs';
import { receiver, delivered, cursorSeq } from './lib/webhooks.mjs';

const FAST = ['--webhook-allow', '127.0.0.0/8', '--webhook-backoff-ms', '40'];
const MP = { contentType: 'application/merge-patch+json' };

test('one node delivers at a time; when it dies another resumes from the stored cursor and nothing is lost',
  { skip: NEEDS_PG, timeout: 90000 }, async () => {
    const cluster = await startCluster({ nodes: 3, args: FAST });
    // The first node starts alone (startCluster), so it asks for the lease first.
    const [leader, n1, n2] = cluster.nodes;
    const rcv = await receiver();
    const late = await receiver();
    try {
      const T = await cluster.createTenant('cluster-hooks');
      const adminOn = (node) => api(node.url, T.admin_token);
      const created = await adminOn(n1).post('/api/webhooks', { url: rcv.url, topics: ['products'] });
      assert.equal(created.status, 201, created.text);

      const ids = [];
      const write = async (nodes, rounds) => {
        for (let i = 0; i < rounds; i++) {
          const node = nodes[i % nodes.length];
          const r = i % 4 === 0 || ids.length === 0
            ? await adminOn(node).post('/api/products', { title: `Hooked ${ids.length}`, price: 100 + i, status: 'active' })
            : await adminOn(node).patch(`/api/products/${ids[i % ids.length]}`, { price: 1000 + i }, MP);
          assert.ok(r.status === 200 || r.status === 201, r.text);
          if (r.status === 201) ids.push(r.body.id);
        }
      };
      await write(cluster.nodes, 90);
      const before = await headCursor(adminOn(n2), 'products');
      assert.ok(await eventually(() => rcv.acked().some((r) => r.json.cursor === before)), 'delivered up to the head');
      // Until here one node delivered: batches strictly in cursor order, no repeats.
      delivered(rcv);

      assert.equal((await leader.kill9()).signal, 'SIGKILL');
      const killedAt = Date.now();
      // A new hook starts at the log's head: it gets what is written after it.
      const other = await adminOn(n2).post('/api/webhooks', { url: late.url, topics: ['products'] });
      assert.equal(other.status, 201, other.text);
      await write([n1, n2], 60);
      const end = await headCursor(adminOn(n1), 'products');
      assert.ok(await eventually(() => rcv.acked().some((r) => r.json.cursor === end)), 'the first hook resumed to the head');
      assert.ok(await eventually(() => late.acked().some((r) => r.json.cursor === end)), 'the new hook delivered to the head');
      assert.ok(rcv.acked().some((r) => r.at > killedAt), 'delivered after the kill');

      const first = delivered(rcv, { strict: false });
      for (const id of ids) {
        const now = (await adminOn(n1).get(`/api/products/${id}`)).body;
        assert.equal(first.get(`products/${id}`)?.version, now.version, `${id} delivered at its current version`);
      }
      // The new hook's receiver got every change made after it, in its final state.
      const second = delivered(late);
      const changed = await syncSince(adminOn(n1), other.body.cursor, { entities: 'products' });
      for (const b of changed.bodies) {
        for (const r of [...b.data.products.added, ...b.data.products.updated]) {
          assert.equal(second.get(`products/${r.id}`)?.version, r.version, `the new hook: ${r.id}`);
        }
      }
      // The stored cursor moved to the end, and never back.
      await sleep(300);
      const stored = (await adminOn(n2).get(`/api/webhooks/${created.body.id}`)).body.cursor;
      assert.equal(cursorSeq(stored), cursorSeq(end));
    } finally {
      await rcv.close();
      await late.close();
      await cluster.stop();
    }
  });
