// Sale-timer lateness (issue "Commerce" 8).
//   node bench/sale_timer.mjs URL TOKEN [products=200] [spread_seconds=10]
// Creates PRODUCTS products whose sales start at instants spread over the
// next SPREAD seconds and end 3 s after they start, subscribes to them over
// one WebSocket, and for every transition records
//   timer lateness:     updated_at of the new version − the instant (server clock)
//   delivered lateness: when the change arrived here − the instant
// No request touches the products after they are created.
import WebSocket from '../tests/integration/node_modules/ws/wrapper.mjs';

const [url, token, productsArg, spreadArg] = process.argv.slice(2);
const N = Number(productsArg || 200);
const SPREAD = Number(spreadArg || 10) * 1000;
const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

const ws = new WebSocket(url.replace(/^http/, 'ws') + `/api/live?access_token=${token}`);
await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
const timer = [];
const delivered = [];
const instants = new Map();  // product id → [starts_at, ends_at]
let subscribed;
const ready = new Promise((resolve) => { subscribed = resolve; });
ws.on('message', (raw) => {
  const now = Date.now();
  const msg = JSON.parse(raw);
  if (msg.type === 'subscribed') subscribed();
  if (msg.type !== 'changes') return;
  for (const c of msg.changes) {
    const at = instants.get(c.id);
    if (!at || c.origin !== 'sale_timer') continue;
    const instant = c.data.on_sale ? at[0] : at[1];
    timer.push(Date.parse(c.data.updated_at) - instant);
    delivered.push(now - instant);
  }
});
ws.send(JSON.stringify({ type: 'subscribe', sub: 's', topic: 'products', batch_ms: 0 }));
await ready;

const start = Date.now() + 2000;
await Promise.all(Array.from({ length: N }, async (_, i) => {
  const startsAt = start + Math.floor((i * SPREAD) / N);
  const endsAt = startsAt + 3000;
  const r = await fetch(`${url}/api/products`, {
    method: 'POST', headers: auth, body: JSON.stringify({
      title: `Timed ${i}`, price: 1000, status: 'active',
      sale: { kind: 'percent', value: 10, starts_at: new Date(startsAt).toISOString(),
              ends_at: new Date(endsAt).toISOString() },
    }),
  });
  const p = await r.json();
  instants.set(p.id, [startsAt, endsAt]);
}));
if (Date.now() > start) console.log('warning: creating the products took past the first start');
await new Promise((r) => setTimeout(r, start + SPREAD + 3000 + 1500 - Date.now()));
ws.close();

const pct = (a, p) => a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))];
for (const [name, a] of [['timer lateness (updated_at − instant)', timer],
                         ['delivered lateness (received − instant)', delivered]]) {
  a.sort((x, y) => x - y);
  console.log(`${name}: n=${a.length}/${2 * N} p50=${pct(a, 50)} ms p99=${pct(a, 99)} ms max=${a[a.length - 1]} ms`);
}
if (timer.length !== 2 * N) { console.error('FAILED: some transitions never arrived'); process.exit(1); }
