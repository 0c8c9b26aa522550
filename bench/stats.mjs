// Sequential GET /api/stats for the last 30 days: median and p99 per call.
//   node bench/stats.mjs BASE TOKEN CALLS ORDERS
const [base, token, calls, orders] = process.argv.slice(2);
const today = new Date().toISOString().slice(0, 10);
const from = new Date(Date.now() - 29 * 86400000).toISOString().slice(0, 10);
const url = `${base}/api/stats?from=${from}&to=${today}`;
const headers = { Authorization: `Bearer ${token}` };
const times = [];
let body;
for (let i = 0; i < Number(calls) + 20; i++) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url, { headers });
  body = await res.json();
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  if (i >= 20) times.push(Number(process.hrtime.bigint() - t0) / 1e6);  // after a warm-up
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
console.log(`orders=${orders} counted=${body.orders + body.cancelled} calls=${times.length} ` +
            `median_ms=${at(0.5)} p99_ms=${at(0.99)}`);
