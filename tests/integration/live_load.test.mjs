// Live delivery under load (SPEC §7 flow control), asserted on behaviour,
// never on timings:
// 1. A subscriber that reads promptly (batch_ms 0) during a burst of 2,000
//    edits to one product receives every version, once, in order, and the
//    server coalesces nothing; one that stops reading during the next burst
//    is coalesced, and /metrics counts it as a slow reader.
// 2. While 5,000 subscribers take a flood of edits, PATCHes on another
//    connection are answered before the flood has drained: requests do not
//    queue behind the fan-out.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import { startServer, api } from './lib/server.mjs';
import { assertStatus, create } from './lib/check.mjs';
import { MP, View, LiveSocket, subscribeOk, pool, eventually } from './lib/live.mjs';

const BURST = 2000;
// Big records fill the paused reader's socket buffers (a few MiB) early in
// the burst, so the server sees a reader that does not take its bytes.
const DESCRIPTION = 'Burst ballast, one product edited many times. '.repeat(180);

let srv;
after(async () => { await srv?.stop(); });

// /metrics counters as {"name{labels}": value}
async function counters(url) {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  const out = {};
  for (const line of (await res.text()).split('\n')) {
    const m = /^(shelfsync_live_(?:versions_coalesced|catchups)_total\{[^}]*\}) (\d+)$/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  assert.ok(Object.keys(out).length >= 7, `coalescing and catch-up counters on /metrics: ${JSON.stringify(out)}`);
  return out;
}

function delta(before, after) {
  const out = {};
  for (const k of Object.keys(after)) if (after[k] !== before[k]) out[k] = after[k] - (before[k] ?? 0);
  return out;
}

// Every version of `id` a socket received from message index `from` on.
function versionsOf(sock, sub, id, from = 0) {
  const out = [];
  for (const m of sock.items.slice(from)) {
    if (m.type !== 'changes' || m.sub !== sub) continue;
    for (const c of m.changes) if (c.id === id) out.push(c.version);
  }
  return out;
}

function range(first, last) {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

async function burst(admin, id, n, start) {
  await pool(n, 16, async (k) => {
    const res = await admin.patch(`/api/products/${id}`, { price: start + k }, MP);
    assertStatus(res, 200, `PATCH ${k}`);
  });
}

test(`a prompt reader gets all ${BURST} versions of a burst uncoalesced; a paused one is coalesced as a slow reader`, { timeout: 300000 }, async () => {
  srv = await startServer();
  const T = await srv.createTenant('live-burst');
  const admin = api(srv.url, T.admin_token);
  const p = await create(admin, 'products', { title: 'Burst', price: 100, status: 'active', description: DESCRIPTION });

  const prompt = await LiveSocket.connect(srv.url, T.admin_token);
  const promptView = new View('prompt reader');
  await subscribeOk(prompt, { sub: 'p', topic: 'products', batch_ms: 0 }, promptView);

  // Burst 1: only the prompt reader.
  let from = prompt.items.length;
  let before = await counters(srv.url);
  await burst(admin, p.id, BURST, 1000);
  const v1 = p.version + BURST;
  await eventually(() => promptView.records.get(p.id)?.version === v1, { timeout: 120000 });
  assert.deepEqual(versionsOf(prompt, 'p', p.id, from), range(p.version + 1, v1),
    'the prompt reader receives every version once, in order');
  assert.deepEqual(delta(before, await counters(srv.url)), {},
    'nothing coalesced and no catch-up from the store for a reader that keeps up');

  // Burst 2: a second reader subscribes, then stops reading.
  const paused = await LiveSocket.connect(srv.url, T.admin_token);
  const pausedView = new View('paused reader');
  await subscribeOk(paused, { sub: 's', topic: 'products', batch_ms: 0 }, pausedView);
  assert.equal(pausedView.records.get(p.id)?.version, v1);
  paused.ws._socket.pause();
  from = prompt.items.length;
  const pausedFrom = paused.items.length;
  before = await counters(srv.url);
  await burst(admin, p.id, BURST, 5000);
  const v2 = v1 + BURST;
  await eventually(() => promptView.records.get(p.id)?.version === v2, { timeout: 120000 });
  assert.deepEqual(versionsOf(prompt, 'p', p.id, from), range(v1 + 1, v2),
    'the prompt reader still receives every version while another reader stalls');

  paused.ws._socket.resume();
  await eventually(() => pausedView.records.get(p.id)?.version === v2, { timeout: 120000 });
  const got = versionsOf(paused, 's', p.id, pausedFrom);
  assert.ok(got.length < BURST, `the paused reader was coalesced (${got.length} of ${BURST} versions sent)`);
  assert.deepEqual(got, [...got].sort((a, b) => a - b), 'its versions still only go forwards');
  const d = delta(before, await counters(srv.url));
  assert.ok((d['shelfsync_live_versions_coalesced_total{reason="slow_reader"}'] ?? 0) > 0,
    `coalesced versions counted as slow_reader: ${JSON.stringify(d)}`);
  for (const reason of ['window', 'replay', 'ring']) {
    assert.equal(d[`shelfsync_live_versions_coalesced_total{reason="${reason}"}`] ?? 0, 0,
      `nothing coalesced for reason ${reason}: ${JSON.stringify(d)}`);
  }
  assert.deepEqual([...promptView.violations, ...pausedView.violations], []);
  await prompt.close();
  await paused.close();
});

const SUBSCRIBERS = 5000;
const WORKERS = 2;
const FLOOD = 200;
const PROBES = 10;
const now = () => performance.timeOrigin + performance.now();

// Starts the lean subscribers in worker threads; resolves once all are
// subscribed, with report(last) → the merged per-version arrivals.
async function leanSubscribers(url, token, id, first, versions) {
  const workers = Array.from({ length: WORKERS }, () => new Worker(new URL('./lib/lean_subscribers.mjs', import.meta.url), {
    workerData: { url, token, id, first, versions, count: SUBSCRIBERS / WORKERS },
  }));
  const next = (w, type) => new Promise((resolve, reject) => {
    const onMessage = (m) => { if (m.type === type) { w.off('error', reject); w.off('message', onMessage); resolve(m); } };
    w.on('message', onMessage);
    w.once('error', reject);
  });
  await Promise.all(workers.map((w) => next(w, 'ready')));
  return async (last) => {
    const reports = await Promise.all(workers.map((w) => { const r = next(w, 'report'); w.postMessage({ type: 'report', last }); return r; }));
    const merged = { reached: [], backwards: 0, lastArrival: new Float64Array(versions) };
    for (const r of reports) {
      merged.reached.push(...r.reached);
      merged.backwards += r.backwards;
      for (let k = 0; k < versions; k++) merged.lastArrival[k] = Math.max(merged.lastArrival[k], r.lastArrival[k]);
    }
    return merged;
  };
}

// PATCH over one dedicated keep-alive connection; resolves with the version
// it made and the time its answer arrived.
function probePatch(agent, url, token, id, price) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ price });
    const req = http.request(`${url}/api/products/${id}`, {
      method: 'PATCH', agent,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': MP.contentType, 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        const at = now();
        if (res.statusCode !== 200) reject(new Error(`probe PATCH: HTTP ${res.statusCode} ${text}`));
        else resolve({ version: JSON.parse(text).version, at });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

test(`while ${SUBSCRIBERS} subscribers take a flood, PATCHes on another connection are answered before it drains`, { timeout: 600000 }, async () => {
  const s2 = await startServer();
  try {
    const T = await s2.createTenant('live-flood');
    const admin = api(s2.url, T.admin_token);
    const hot = await create(admin, 'products', { title: 'Flooded', price: 100, status: 'active' });
    const first = hot.version + 1;
    const report = await leanSubscribers(s2.url, T.admin_token, hot.id, first, FLOOD + PROBES);

    // The flood: FLOOD edits of the product all 5,000 watch, every one
    // committed and acknowledged before the probes start, so what is left is
    // its fan-out. Then one more connection edits it, PATCH after PATCH:
    // each answer must arrive before the flood has reached every
    // subscriber. An answer queued behind the fan-out arrives after it.
    const t0 = now();
    await burst(admin, hot.id, FLOOD, 1000);
    const flooded = now();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const probes = [];
    for (let k = 0; k < PROBES; k++) probes.push(await probePatch(agent, s2.url, T.admin_token, hot.id, 5000 + k));
    agent.destroy();
    const floodLast = hot.version + FLOOD;
    const last = floodLast + PROBES;
    const r = await report(last);
    assert.equal(r.reached.filter((v) => v !== last).length, 0, `every subscriber reaches v${last}`);
    assert.equal(r.backwards, 0, 'no version went backwards');

    const drained = r.lastArrival[floodLast - first];
    const answered = probes[probes.length - 1].at;
    console.log(`# flood of ${FLOOD} edits written in ${(flooded - t0).toFixed(0)} ms, drained ${(drained - t0).toFixed(0)} ms `
      + `after its start; ${PROBES} probe PATCHes answered by ${(answered - t0).toFixed(0)} ms`);
    assert.ok(answered < drained, 'every probe PATCH is answered before the last delivery of the flood');
  } finally {
    await s2.stop();
  }
});
