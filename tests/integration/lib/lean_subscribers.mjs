// A worker thread holding many lean WebSocket subscribers to one product
// (mode invalidate, batch_ms 0): for each version it keeps only when it
// arrived, so thousands fit in one test process, and reading them does not
// hold up the thread that sends requests and waits for their answers.
//
// workerData: {url, token, id, first, versions, count}. Posts {type:'ready'}
// once every subscriber is subscribed; on {type:'report', last} waits (up to
// 5 minutes) until every subscriber has version `last`, then posts {type:'report',
// reached, backwards, lastArrival}: per version k (first + k), the last time
// (epoch ms) a subscriber got it — or, where it was coalesced away for
// someone, the first later version.

import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { pool, wsUrl } from './live.mjs';

const { url, token, id, first, versions, count } = workerData;
const now = () => performance.timeOrigin + performance.now();

function subscribe() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(url, token));
    const s = { ws, version: 0, backwards: 0, arrived: new Float64Array(versions) };
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString('utf8'));
      if (m.type === 'subscribed') return resolve(s);
      if (m.type === 'error') return reject(new Error(JSON.stringify(m)));
      if (m.type !== 'changes') return;
      const at = now();
      for (const c of m.changes) {
        if (c.id !== id) continue;
        if (c.version < s.version) s.backwards++;
        s.version = c.version;
        if (c.version >= first && c.version < first + versions) s.arrived[c.version - first] = at;
      }
    });
    ws.once('open', () => ws.send(JSON.stringify({
      type: 'subscribe', sub: 'lean', topic: 'products', mode: 'invalidate', batch_ms: 0, filter: { ids: [id] },
    })));
    ws.once('error', reject);
  });
}

const subs = await pool(count, 100, subscribe);
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', async (m) => {
  if (m.type !== 'report') return;
  const deadline = Date.now() + 300000;
  while (subs.some((s) => s.version < m.last) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const lastArrival = new Float64Array(versions);
  for (const s of subs) {
    let seen = Infinity; // walking back: the earliest arrival of this version or a later one
    for (let k = versions - 1; k >= 0; k--) {
      if (s.arrived[k] > 0) seen = Math.min(seen, s.arrived[k]);
      lastArrival[k] = Math.max(lastArrival[k], seen);
    }
  }
  parentPort.postMessage({
    type: 'report',
    reached: subs.map((s) => s.version),
    backwards: subs.reduce((n, s) => n + s.backwards, 0),
    lastArrival,
  });
  for (const s of subs) s.ws.terminate();
  parentPort.close();
});
