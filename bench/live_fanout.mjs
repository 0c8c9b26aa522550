// Live fan-out benchmark (issue "Live core" 6a/6b).
//   node bench/live_fanout.mjs URL TOKEN SUBSCRIBERS [rounds=50] [flood_seconds=10]
// 1. Opens SUBSCRIBERS WebSocket connections, each subscribed to one product
//    (filter {ids: [p]}, batch_ms 0).
// 2. Latency: ROUNDS times, PATCHes the product and records, per subscriber,
//    the time from sending the PATCH to receiving that version (and from the
//    PATCH's acknowledgement). Rounds do not overlap.
// 3. Throughput: for FLOOD_SECONDS, PATCHes back to back from 4 clients and
//    counts change deliveries per second across all subscribers.
import WebSocket from '../tests/integration/node_modules/ws/wrapper.mjs';

const [url, token, subsArg, roundsArg, floodArg] = process.argv.slice(2);
const SUBS = Number(subsArg);
const ROUNDS = Number(roundsArg || 50);
const FLOOD = Number(floodArg || 10);
const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const wsUrl = url.replace(/^http/, 'ws') + `/api/live?access_token=${token}`;

const created = await (await fetch(`${url}/api/products`, {
  method: 'POST', headers: auth, body: JSON.stringify({ title: 'Fan-out', price: 100, status: 'active' }),
})).json();
const pid = created.id;

let deliveries = 0;
const waiting = new Map();  // version → {sent, acked, remaining, latencies, ackLatencies, done}
function onChange(version) {
  deliveries++;
  const w = waiting.get(version);
  if (!w) return;
  const now = performance.now();
  w.latencies.push(now - w.sent);
  if (w.acked !== null) w.ackLatencies.push(now - w.acked);
  else w.early++;
  if (--w.remaining === 0) w.done();
}

function connect() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', sub: 's', topic: 'products', filter: { ids: [pid] }, batch_ms: 0 })));
    ws.on('message', (raw) => {
      const m = JSON.parse(raw);
      if (m.type === 'subscribed') resolve(ws);
      else if (m.type === 'changes') for (const c of m.changes) onChange(c.version);
      else if (m.type === 'error') reject(new Error(m.message));
    });
    ws.on('error', reject);
  });
}

const sockets = [];
const t0 = performance.now();
for (let i = 0; i < SUBS; i += 250) {
  sockets.push(...await Promise.all(Array.from({ length: Math.min(250, SUBS - i) }, connect)));
}
console.log(`${SUBS} subscribers connected in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
deliveries = 0;

let version = created.version;
const all = [], allAck = [];
let early = 0;
for (let r = 0; r < ROUNDS; r++) {
  version++;
  const w = { sent: performance.now(), acked: null, remaining: SUBS, latencies: [], ackLatencies: [], early: 0 };
  const done = new Promise((res) => { w.done = res; });
  waiting.set(version, w);
  const res = await fetch(`${url}/api/products/${pid}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ price: 200 + r }) });
  w.acked = performance.now();
  const body = await res.json();
  if (body.version !== version) throw new Error(`expected version ${version}, got ${body.version}`);
  await done;
  waiting.delete(version);
  all.push(...w.latencies); allAck.push(...w.ackLatencies); early += w.early;
  await new Promise((r2) => setTimeout(r2, 20));
}
const q = (arr, p) => { const s = [...arr].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const fmt = (arr) => `p50 ${q(arr, 0.5).toFixed(2)} ms  p99 ${q(arr, 0.99).toFixed(2)} ms  max ${arr.reduce((m, x) => (x > m ? x : m), 0).toFixed(2)} ms`;
console.log(`edit sent → change received (${all.length} samples): ${fmt(all)}`);
console.log(`edit acknowledged → change received: ${fmt(allAck)} (${early} deliveries arrived before the ack)`);

// Throughput.
deliveries = 0;
let patches = 0;
const end = performance.now() + FLOOD * 1000;
await Promise.all(Array.from({ length: 4 }, async (_, k) => {
  while (performance.now() < end) {
    const res = await fetch(`${url}/api/products/${pid}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ price: 1000 + patches }) });
    await res.arrayBuffer();
    patches++;
  }
}));
await new Promise((r) => setTimeout(r, 1000));  // let deliveries drain
console.log(`fan-out: ${patches} PATCHes in ${FLOOD} s → ${(deliveries / FLOOD).toFixed(0)} change deliveries/s to ${SUBS} subscribers`);
for (const ws of sockets) ws.terminate();
process.exit(0);
