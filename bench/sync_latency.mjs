// Measures "one change since the cursor" sync latency: PATCH one product,
// then time GET /api/sync?since=<cursor before the PATCH>. Prints p50/p99.
//   node bench/sync_latency.mjs URL TOKEN [rounds=300]
const [url, token, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 300);
const auth = { authorization: `Bearer ${token}` };

const list = await (await fetch(`${url}/api/products?limit=1&status=active`, { headers: auth })).json();
const id = list.data[0].id;
let cursor = (await (await fetch(`${url}/api/sync/digest?entities=categories`, { headers: auth })).json()).cursor;

const times = [];
for (let i = 0; i < rounds + 20; i++) {
  const patch = await fetch(`${url}/api/products/${id}`, {
    method: 'PATCH',
    headers: { ...auth, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ price: 1000 + i }),
  });
  if (patch.status !== 200) throw new Error(`PATCH ${patch.status}`);
  await patch.arrayBuffer();
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/api/sync?since=${cursor}&entities=products`, { headers: auth });
  const body = await res.json();
  const t1 = process.hrtime.bigint();
  if (body.data.products.count.updated !== 1) throw new Error(`expected 1 change: ${JSON.stringify(body.data.products.count)}`);
  cursor = body.cursor;
  if (i >= 20) times.push(Number(t1 - t0) / 1e6);  // first 20 warm up
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
console.log(`rounds ${times.length}  p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  max ${times[times.length - 1].toFixed(2)} ms`);
