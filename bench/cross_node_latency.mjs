// Edit → delivery latency across nodes: a WebSocket subscriber on each of
// the other nodes, PATCHes sent through the first at a fixed rate. Each
// latency runs from the moment a PATCH was due (its slot in the schedule),
// not when it was sent, so a stalled writer shows as latency too.
//   node bench/cross_node_latency.mjs TOKEN RATE SECONDS URL1 URL2 [URL3 ...]
import WebSocket from '../tests/integration/node_modules/ws/wrapper.mjs';

const [token, rateArg, secondsArg, writeUrl, ...readUrls] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

const created = await (await fetch(`${writeUrl}/api/products`, {
  method: 'POST', headers: auth, body: JSON.stringify({ title: 'Latency probe', price: 1, status: 'active' }),
})).json();
const id = created.id;

const due = new Map();  // price (the write's number) → when it was due (ms, performance clock)
const latencies = [];
const sockets = await Promise.all(readUrls.map((url) => new Promise((resolve, reject) => {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/live?access_token=${token}`);
  ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', sub: 's', topic: 'products', filter: { ids: [id] } })));
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString());
    if (m.type === 'subscribed') resolve(ws);
    if (m.type !== 'changes') return;
    const now = performance.now();
    for (const c of m.changes) {
      const at = due.get(c.data?.price);
      if (at !== undefined) latencies.push(now - at);
    }
  });
  ws.on('error', reject);
})));

const total = Math.floor(rate * seconds);
const start = performance.now() + 200;
const inflight = [];
for (let i = 0; i < total; i++) {
  const at = start + (i * 1000) / rate;
  const wait = at - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const price = 1000 + i;
  due.set(price, at);
  inflight.push(fetch(`${writeUrl}/api/products/${id}`, {
    method: 'PATCH', headers: { ...auth, 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ price }),
  }).then((r) => { if (r.status !== 200) throw new Error(`PATCH ${r.status}`); return r.arrayBuffer(); }));
}
await Promise.all(inflight);
await new Promise((r) => setTimeout(r, 1000));
for (const ws of sockets) ws.close();
const expected = total * readUrls.length;
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
console.log(`${rate} edits/s for ${seconds} s through one node, ${readUrls.length} subscriber node(s): `
  + `${latencies.length} of ${expected} deliveries, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`);
if (latencies.length !== expected) process.exit(1);
