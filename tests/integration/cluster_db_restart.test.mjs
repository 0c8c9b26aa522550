// Several servers on one database (SPEC §8, PostgreSQL): the database
// restarts under load.
// - While it is away, writes answer 503 problem+json (`unavailable`), never
//   a false success; every acknowledged write is there afterwards.
// - Every node recovers by itself (no restart of its own): writes and reads
//   through each succeed again, and /health answers.
// - WebSocket connections stay up; every subscriber ends equal to a fresh
//   sync (one whose subscription the outage ended subscribes again with its
//   cursor, as the error asks).
//
// - No node exits: a request that failed on a worker after the restart once
//   ended a node (an exception escaped the handler pool).
//
// Runs only with SHELFSYNC_TEST_PG and SHELFSYNC_TEST_PG_DIR (the sandbox
// directory of scripts/pg-sandbox.sh, which restarts it); scripts/test.sh
// runs it alone after the rest of the PostgreSQL suite.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startCluster, api, rng, sleep, NEEDS_PG, REPO_ROOT } from './lib/server.mjs';
import { create } from './lib/check.mjs';
import { MP, pool, eventually } from './lib/live.mjs';
import { Subscriber, settledProblems } from './lib/cluster.mjs';

const PG_DIR = process.env.SHELFSYNC_TEST_PG_DIR;
const SKIP = NEEDS_PG || (PG_DIR ? false : 'needs SHELFSYNC_TEST_PG_DIR: the sandbox to restart');
const restartDatabase = () => promisify(execFile)(path.join(REPO_ROOT, 'scripts', 'pg-sandbox.sh'), ['restart', PG_DIR]);

test('PostgreSQL restarted under load: no acknowledged write lost, no false success, every node recovers by itself',
  { skip: SKIP, timeout: 120000 }, async () => {
    const cluster = await startCluster({ nodes: 3 });
    const subs = [];
    let writing = true; // ended in `finally` too: a failed run must not leave writers looping
    try {
      const T = await cluster.createTenant('db-restart');
      const adminOn = (node) => api(node.url, T.admin_token);
      const products = await pool(12, 4, (i) => create(adminOn(cluster.nodes[i % 3]), 'products', {
        title: `Restart ${i}`, price: 100 + i, status: 'active',
      }));
      for (const [i, node] of cluster.nodes.entries()) {
        subs.push(new Subscriber(`ws admin on node ${i}`, { token: T.admin_token }));
        subs.push(new Subscriber(`sse public on node ${i}`, { transport: 'sse', token: T.public_token }));
      }
      await Promise.all(subs.map((s, i) => s.connect(cluster.nodes[Math.floor(i / 2)].url)));
      const sockets = subs.filter((s) => s.opts.transport === 'ws').map((s) => s.conn);

      // Each write adds its own attribute: an acknowledged one must be in
      // the final record, whatever came after it.
      const acked = [];
      const failures = [];
      let unavailable = 0;
      let cut = 0;
      let restarted = false;
      const recovered = new Set();
      const writer = async (w) => {
        const r = rng(900 + w);
        for (let n = 0; writing; n++) {
          const node = cluster.nodes[(w + n) % 3];
          const p = products[Math.floor(r() * products.length)];
          const key = `w${w}_${n}`;
          try {
            const res = await adminOn(node).patch(`/api/products/${p.id}`, { attributes: { [key]: n } }, MP);
            if (res.status === 200) {
              acked.push({ id: p.id, key, n });
              if (restarted) recovered.add(node);
            } else if (res.status === 503 && res.body?.code === 'unavailable'
              && /problem\+json/.test(res.headers.get('content-type'))) {
              unavailable++;
            } else {
              failures.push(`${res.status} ${res.text.slice(0, 200)}`);
            }
          } catch {
            cut++; // the connection itself failed: the outcome is unknown, and is not checked
          }
          await sleep(r() * 5);
        }
      };
      const writers = Array.from({ length: 6 }, (_, w) => writer(w));

      await eventually(() => acked.length >= 150 || failures.length > 0, { interval: 20 });
      const before = acked.length;
      await restartDatabase();
      restarted = true;
      const dead = () => cluster.nodes.filter((n) => !n.alive);
      if (!await eventually(() => recovered.size === 3 || failures.length > 0 || dead().length > 0,
        { timeout: 60000, interval: 50 }) || dead().length > 0) {
        const stuck = cluster.nodes.filter((n) => !recovered.has(n) || !n.alive);
        assert.fail(`nodes that wrote again after the restart: ${recovered.size} of 3, ${dead().length} exited; `
          + `the others' logs:\n`
          + stuck.map((n) => `${n.url}:\n${n.stderr.slice(-3000)}`).join('\n'));
      }
      const after = acked.length;
      await eventually(() => acked.length >= after + 150 || failures.length > 0, { interval: 20 });
      writing = false;
      await Promise.all(writers);
      assert.deepEqual(failures.slice(0, 10), [], 'every answer was 200 or 503 unavailable');
      assert.ok(unavailable + cut > 0, 'the restart was seen by the writers');

      // No acknowledged write lost, on any node's reads.
      for (const [i, node] of cluster.nodes.entries()) {
        const health = await api(node.url).get('/health');
        assert.equal(health.status, 200, `node ${i} /health`);
        const now = new Map();
        for (const p of products) now.set(p.id, (await adminOn(node).get(`/api/products/${p.id}`)).body.attributes ?? {});
        const lost = acked.filter((a) => now.get(a.id)[a.key] !== a.n);
        assert.deepEqual(lost.slice(0, 5), [], `node ${i}: ${lost.length} of ${acked.length} acknowledged writes missing`);
      }

      assert.deepEqual(dead(), [], 'every node is still running');
      assert.ok(sockets.every((s) => !s.closed), 'the WebSocket connections stayed up');
      // A subscription the outage ended (error `unavailable`) resumes from its cursor.
      for (const [i, s] of subs.entries()) {
        const ended = s.closed || (s.conn.items ?? []).some((m) => m.type === 'error' || m.event === 'error');
        if (ended) await s.connect(cluster.nodes[(Math.floor(i / 2) + 1) % 3].url);
      }
      const problems = await settledProblems(subs, cluster.nodes[0].url);
      assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
      console.log(`# cluster_db_restart: ${before} writes before the restart, ${acked.length} acknowledged in all, `
        + `${unavailable} answered 503, ${cut} cut; ${subs.reduce((n, s) => n + s.connects - 1, 0)} resubscribes`);
    } finally {
      writing = false;
      for (const s of subs) s.drop();
      await cluster.stop();
    }
  });
