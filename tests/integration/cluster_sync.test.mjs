// Several servers on one database (SPEC §6, §8, PostgreSQL): a long poll
// (`/api/sync?wait=`) on one node wakes for a commit made through another,
// a cursor from one node resumes on any other, and a publish topic declared
// through one node is known to the others within a second or so.
//
// Runs only with SHELFSYNC_TEST_PG.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, api, sleep, NEEDS_PG } from './lib/server.mjs';
import { headCursor, eventually } from './lib/live.mjs';

test('a long poll on one node answers with a change committed through another', { skip: NEEDS_PG, timeout: 60000 }, async () => {
  const cluster = await startCluster({ nodes: 2 });
  try {
    const T = await cluster.createTenant('cluster-sync');
    const [a, b] = cluster.nodes.map((n) => api(n.url, T.admin_token));
    await a.post('/api/products', { title: 'Before', price: 1, status: 'active' });
    const cursor = await headCursor(b, 'products');
    // The poll waits up to 30 s; the write comes after it is parked.
    const poll = b.get(`/api/sync?since=${cursor}&entities=products&wait=30`);
    await sleep(300);
    const made = await a.post('/api/products', { title: 'Through the other node', price: 2, status: 'active' });
    assert.equal(made.status, 201);
    const res = await poll;
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.has_changes, true, 'woken by the change, not by the end of the wait');
    assert.deepEqual(res.body.data.products.added.map((p) => p.id), [made.body.id]);

    // The cursor it answered with resumes on the first node: nothing more yet.
    const next = await a.get(`/api/sync?since=${res.body.cursor}&entities=products`);
    assert.equal(next.status, 200);
    assert.equal(next.body.has_changes, false);
  } finally {
    await cluster.stop();
  }
});

test('a topic declared through one node is known to the others: publish, read, and a change of its readers',
  { skip: NEEDS_PG, timeout: 60000 }, async () => {
    const cluster = await startCluster({ nodes: 2 });
    try {
      const T = await cluster.createTenant('cluster-topics');
      const [a, b] = cluster.nodes.map((n) => api(n.url, T.admin_token));
      const publicOnB = api(cluster.nodes[1].url, T.public_token);
      assert.equal((await a.put('/api/topics/shelf.levels', { read: ['staff'] })).status, 201);
      const published = await eventually(async () => {
        const r = await b.post('/api/publish', { topic: 'shelf.levels', key: 'aisle-1', data: { qty: 3 } });
        return r.status === 200 ? r : null;
      }, { timeout: 10000, interval: 100 });
      assert.ok(published, 'the other node accepts a publish to the topic');
      const read = await a.get('/api/sync?entities=shelf.levels');
      assert.equal(read.status, 200, read.text);
      assert.deepEqual(read.body.data['shelf.levels'].added.map((r) => r.id), ['aisle-1']);
      // Readers widened through the first node: the second lets the public in.
      assert.equal((await publicOnB.get('/api/sync?entities=shelf.levels')).status, 403);
      assert.equal((await a.put('/api/topics/shelf.levels', { read: ['staff', 'public'] })).status, 200);
      const opened = await eventually(async () => {
        const r = await publicOnB.get('/api/sync?entities=shelf.levels');
        return r.status === 200 ? r : null;
      }, { timeout: 10000, interval: 100 });
      assert.ok(opened, 'the other node follows the change of readers');
      assert.deepEqual(opened.body.data['shelf.levels'].added.map((r) => r.id), ['aisle-1']);
    } finally {
      await cluster.stop();
    }
  });
