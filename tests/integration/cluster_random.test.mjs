// Several servers on one database (SPEC §8, PostgreSQL): a change written
// through any node reaches subscribers on every node, in order. Per fixed
// seed, 3 nodes; writers on every node create, patch (price, status,
// categories) and delete products and adjust their stock, while WebSocket
// and SSE subscribers on every node — admin and public, no filter /
// category / ids, data and invalidate mode — follow them, some hopping to
// another node now and then with their last cursor. Once writes stop,
// every subscriber holds what a fresh sync shows it, never saw a version
// twice or going backwards, and got every change between the cursor before
// it and its own, in the order every node's reference subscriber got them
// (lib/cluster.mjs orderProblems).
//
// Runs only with SHELFSYNC_TEST_PG. CLUSTER_SEEDS=5,6 picks other seeds;
// CLUSTER_OPS scales the writes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, api, rng, sleep, NEEDS_PG } from './lib/server.mjs';
import { create } from './lib/check.mjs';
import { MP, pool } from './lib/live.mjs';
import { adjust } from './lib/commerce.mjs';
import { Subscriber, settledProblems, orderProblems } from './lib/cluster.mjs';

const SEEDS = (process.env.CLUSTER_SEEDS ?? '11,12').split(',').map((x) => Number(x.trim()));
const OPS = Number(process.env.CLUSTER_OPS ?? 900);
const NODES = 3;
const WRITERS = 3;
const SUBSCRIBERS = 24; // and a reference on each node
const CATEGORIES = 3;
const INITIAL = 60;

const pick = (r, arr) => arr[Math.floor(r() * arr.length)];

async function runSeed(seed) {
  const cluster = await startCluster({ nodes: NODES });
  const subs = [];
  try {
    const r = rng(seed);
    const urls = cluster.nodes.map((n) => n.url);
    const T = await cluster.createTenant(`cluster-${seed}`);
    const admins = urls.map((u) => api(u, T.admin_token));
    const cats = [];
    for (let i = 0; i < CATEGORIES; i++) cats.push((await create(admins[i % NODES], 'categories', { name: `Cat ${i}` })).id);
    const products = await pool(INITIAL, 12, (i) => create(admins[i % NODES], 'products', {
      title: `Item ${i}`, price: 100 + i, status: r() < 0.7 ? 'active' : 'draft', category_ids: [pick(r, cats)],
      variants: [{ sku: `SKU-${seed}-${i}`, options: {}, stock: 20 }],
    }));
    const live = products.map((p) => ({ id: p.id, variant: p.variants[0].id, deleted: false }));

    // On every node a reference that sees every version in order: no filter,
    // batch_ms 0, never moves (orderProblems).
    const refs = urls.map((_, n) => new Subscriber(`reference on node ${n}`, { token: T.admin_token }));
    subs.push(...refs);
    await Promise.all(refs.map((s, n) => s.connect(urls[n])));
    // Subscribers: every node gets its share of WebSocket and SSE ones; every
    // fourth one (of either kind, on any node) hops.
    const hoppers = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const x = r();
      const filter = x < 0.5 ? null
        : x < 0.75 ? { category_id: pick(r, cats) }
          : { ids: [...new Set(Array.from({ length: 10 }, () => pick(r, live).id))] };
      const sub = new Subscriber(`#${i}`, {
        transport: Math.floor(i / NODES) % 3 === 2 ? 'sse' : 'ws',
        token: r() < 0.5 ? T.admin_token : T.public_token,
        filter,
        mode: r() < 0.25 ? 'invalidate' : 'data',
        batch_ms: pick(r, [0, 0, 0, 20, 100]),
        lastEventId: r() < 0.5,
      });
      subs.push(sub);
      if (i % 4 === 0) hoppers.push(sub);
      await sub.connect(urls[i % NODES]);
    }

    let writing = true;
    const hop = async (s, i) => {
      const hr = rng(seed * 31 + i);
      let node = urls.indexOf(s.url);
      while (writing) {
        await sleep(300 + hr() * 1500);
        if (!writing) break;
        node = (node + 1 + Math.floor(hr() * (NODES - 1))) % NODES;
        await s.connect(urls[node]);
      }
    };
    const hopping = hoppers.map(hop);

    const stats = { create: 0, patch: 0, status: 0, move: 0, delete: 0, adjust: 0, gone: 0 };
    const writer = async (w) => {
      const wr = rng(seed * 7 + w);
      for (let n = 0; n < OPS / WRITERS; n++) {
        const admin = pick(wr, admins);
        const x = wr();
        const alive = live.filter((p) => !p.deleted);
        const target = pick(wr, alive);
        let res;
        if (x < 0.1 || !target) {
          const p = await create(admin, 'products', {
            title: `New ${w}-${n}`, price: Math.floor(wr() * 9000), status: wr() < 0.6 ? 'active' : 'draft',
            category_ids: [pick(wr, cats)], variants: [{ sku: `SKU-${seed}-${w}-${n}`, options: {}, stock: 10 }],
          });
          live.push({ id: p.id, variant: p.variants[0].id, deleted: false });
          stats.create++;
        } else if (x < 0.14) {
          target.deleted = true;
          res = await admin.del(`/api/products/${target.id}`);
          assert.ok([204, 404].includes(res.status), `DELETE ${res.status} ${res.text}`);
          stats.delete++;
        } else if (x < 0.34) {
          res = await adjust(admin, { variant_id: target.variant, delta: pick(wr, [-3, -1, 1, 2, 5]) });
          // 409: fewer units than the delta takes away
          assert.ok([200, 404, 409].includes(res.status), `adjust ${res.status} ${res.text}`);
          stats.adjust++;
        } else {
          let body;
          if (x < 0.65) { body = { price: Math.floor(wr() * 100000) }; stats.patch++; }
          else if (x < 0.82) { body = { status: pick(wr, ['active', 'active', 'draft', 'archived']) }; stats.status++; }
          else { body = { category_ids: [...new Set([pick(wr, cats), pick(wr, cats)])].slice(0, Math.floor(wr() * 3)) }; stats.move++; }
          res = await admin.patch(`/api/products/${target.id}`, body, MP);
          assert.ok([200, 404].includes(res.status), `PATCH ${res.status} ${res.text}`);
        }
        if (res?.status === 404) stats.gone++;
        await sleep(wr() * 20);
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    const writeSecs = (Date.now() - started) / 1000;
    writing = false;
    await Promise.all(hopping);

    // Every node reads the same catalog.
    const digests = await Promise.all(admins.map(async (a) => (await a.get('/api/sync/digest?entities=products')).body));
    for (const d of digests.slice(1)) assert.deepEqual([d.count, d.hash], [digests[0].count, digests[0].hash], 'digests differ between nodes');

    const checking = Date.now();
    const problems = await settledProblems(subs, urls[0]);
    problems.push(...await orderProblems(subs, { url: urls[1], adminToken: T.admin_token, reference: refs[0] }));
    const changes = subs.reduce((s, x) => s + x.view.changes, 0);
    const connects = subs.reduce((s, x) => s + x.connects, 0);
    console.log(`# cluster_random seed ${seed}: ${NODES} nodes, ${subs.length} subscribers, ${JSON.stringify(stats)} `
      + `in ${writeSecs.toFixed(1)} s, ${changes} changes received, ${connects - subs.length} hops, `
      + `${subs.reduce((s, x) => s + x.view.log.length, 0)} messages checked against the log in `
      + `${((Date.now() - checking) / 1000).toFixed(1)} s, ${problems.length} problems`);
    assert.ok(hoppers.every((s) => s.connects > 1 && s.since !== null), 'every hopper hopped, resuming from its cursor');
    assert.deepEqual(problems.slice(0, 30), [], `${problems.length} problems`);
  } finally {
    for (const s of subs) s.drop();
    await cluster.stop();
  }
}

for (const seed of SEEDS) {
  test(`3 nodes, one database: randomized writes and subscribers on every node, seed ${seed}`,
    { skip: NEEDS_PG, timeout: 120000 }, () => runSeed(seed));
}
