// /metrics (issue 14, Prometheus text): request latency by route and status,
// the writer's queue depth, commit latency and group-commit size, and each
// fsync — counted exactly against the requests this test makes; the ids
// live subscriptions follow (issue 17).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, PG_URL } from './lib/server.mjs';
import { create, assertStatus } from './lib/check.mjs';
import { LiveSocket, View, subscribeOk } from './lib/live.mjs';

let srv;
let admin;
let adminToken;

before(async () => {
  srv = await startServer();
  const t = await srv.createTenant('metrics-shop');
  admin = api(srv.url, t.admin_token);
  adminToken = t.admin_token;
});
after(async () => { await srv?.stop(); });

// Every sample line as {"name{labels}": number}; fails on a line that is
// neither a comment nor a sample.
async function scrape() {
  const res = await fetch(`${srv.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const out = {};
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    // name{label="value",...} number; a value may hold braces (a route pattern).
    const m = /^([a-z_][a-z0-9_]*(?:\{(?:[a-z_]+="(?:[^"\\]|\\.)*",?)*\})?) (-?[0-9.e+-]+|\+Inf)$/.exec(line);
    assert.ok(m, `a Prometheus sample line: ${line}`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

// A histogram's buckets, in order, with its count and sum.
function histogram(samples, name, labels = '') {
  const prefix = `${name}_bucket{${labels ? labels + ',' : ''}le="`;
  const buckets = Object.entries(samples).filter(([k]) => k.startsWith(prefix));
  const braces = labels ? `{${labels}}` : '';
  return { buckets: buckets.map(([k, v]) => [k.slice(prefix.length, -2), v]),
    count: samples[`${name}_count${braces}`], sum: samples[`${name}_sum${braces}`] };
}

function assertHistogram(h, what) {
  assert.ok(h.buckets.length > 1, `${what}: buckets`);
  assert.equal(h.buckets.at(-1)[0], '+Inf', `${what}: the last bucket is +Inf`);
  for (let i = 1; i < h.buckets.length; i++)
    assert.ok(h.buckets[i][1] >= h.buckets[i - 1][1], `${what}: buckets are cumulative`);
  assert.equal(h.buckets.at(-1)[1], h.count, `${what}: +Inf equals _count`);
  assert.ok(h.sum >= 0, `${what}: a sum`);
}

test('request latency by route and status counts each request once', async () => {
  const p = await create(admin, 'products', { title: 'Metered', price: 100, status: 'active' });
  const PATCHES = 17;
  for (let i = 0; i < PATCHES; i++) assertStatus(await admin.patch(`/api/products/${p.id}`, { price: 200 + i }), 200);
  assertStatus(await admin.get('/api/products/prod_missing_one'), 404);
  assertStatus(await admin.get('/no/such/endpoint'), 404);
  const s = await scrape();
  const patched = histogram(s, 'shelfsync_http_request_duration_seconds',
    'method="PATCH",route="/api/{collection}/{id}",status="200"');
  assertHistogram(patched, 'PATCH 200');
  assert.equal(patched.count, PATCHES);
  const missing = histogram(s, 'shelfsync_http_request_duration_seconds',
    'method="GET",route="/api/{collection}/{id}",status="404"');
  assert.equal(missing.count, 1);
  // Unknown paths share one series: a scanner cannot grow /metrics.
  assert.equal(histogram(s, 'shelfsync_http_request_duration_seconds',
    'method="GET",route="unmatched",status="404"').count, 1);
  assert.ok(!Object.keys(s).some((k) => k.includes('/no/such/endpoint')), 'no raw path in a label');
  assertHistogram(histogram(s, 'shelfsync_http_io_wait_seconds'), 'io wait');
});

// 2·N writes (creates, then concurrent patches of distinct products: no
// write races another, a lost race would be one more job), with the
// samples scraped before and after them.
async function writeSome(N = 11) {
  const before = await scrape();
  const products = [];
  for (let i = 0; i < N; i++) products.push(await create(admin, 'products', { title: `Written ${i}`, price: 100, status: 'active' }));
  const patched = await Promise.all(products.map((p, i) => admin.patch(`/api/products/${p.id}`, { price: 300 + i })));
  for (const r of patched) assertStatus(r, 200);
  return { before, after: await scrape(), writes: 2 * N };
}

test('the writer: queue depth, commits and group sizes', async () => {
  const { before, after: s, writes } = await writeSome();
  assert.equal(s.shelfsync_writer_queue_depth, 0, 'nothing waits once every write is answered');
  const commits = histogram(s, 'shelfsync_writer_commit_seconds');
  const groups = histogram(s, 'shelfsync_writer_group_commit_size');
  for (const [h, what] of [[commits, 'commits'], [groups, 'group sizes']]) assertHistogram(h, what);
  const newCommits = commits.count - before.shelfsync_writer_commit_seconds_count;
  assert.equal(groups.count, commits.count, 'one group size per commit');
  // Each write is in exactly one group commit.
  assert.equal(groups.sum - before.shelfsync_writer_group_commit_size_sum, writes);
  assert.ok(newCommits >= 1 && newCommits <= writes, `${newCommits} commits for ${writes} writes`);
});

// SQLite only: on PostgreSQL the database server syncs its own files, so
// this process has none to count.
test('the store: an fsync per commit', { skip: PG_URL ? 'fsyncs are the SQLite store\'s' : false }, async () => {
  const { before, after: s } = await writeSome();
  const fsyncs = histogram(s, 'shelfsync_store_fsync_seconds');
  assertHistogram(fsyncs, 'fsyncs');
  const newCommits = s.shelfsync_writer_commit_seconds_count - before.shelfsync_writer_commit_seconds_count;
  // synchronous=FULL: every commit syncs the WAL at least once.
  assert.ok(fsyncs.count - before.shelfsync_store_fsync_seconds_count >= newCommits, 'an fsync per commit');
});

test('followed ids: ids filters and watches move shelfsync_followed_ids', async () => {
  const ids = [];
  for (let i = 0; i < 4; i++) ids.push((await create(admin, 'products', { title: `F${i}`, price: 100 + i })).id);
  const followed = async () => (await scrape()).shelfsync_followed_ids;
  const base = await followed();
  const sock = await LiveSocket.connect(srv.url, adminToken);
  try {
    await subscribeOk(sock, { sub: 'f', topic: 'products', filter: { ids: ids.slice(0, 2) } }, new View('f'));
    assert.equal(await followed(), base + 2);
    sock.send({ type: 'watch', sub: 'f', add: [ids[2], ids[3]], remove: [ids[0]] });
    await waitUntil(async () => (await followed()) === base + 3, 'a watch adds 2 ids and removes 1');
    sock.send({ type: 'unsubscribe', sub: 'f' });
    await waitUntil(async () => (await followed()) === base, 'an unsubscribe forgets its ids');
  } finally {
    sock.close();
  }
});

async function waitUntil(cond, what) {
  for (let i = 0; i < 200; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out: ${what}`);
}
