// Times GET /api/products?q=... (one page of 50), then repeated
// GET /api/sync/digest?entities=products with no write between, with a
// kept-alive connection. Prints p50/p99 per query.
//   node bench/search.mjs URL TOKEN [rounds=200]
const [url, token, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 200);
const auth = { authorization: `Bearer ${token}` };

// "product 999 " matches exactly one seeded title in any catalog of 1,000+;
// the others: a miss, and the two-character window path.
const queries = { 'one match': 'product 999 ', 'no match': 'no-such-thing', 'short (2 chars)': 'zz' };
for (const [name, q] of Object.entries(queries)) {
  const times = [];
  let count = 0;
  for (let i = 0; i < rounds + 20; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${url}/api/products?limit=50&q=${encodeURIComponent(q)}`, { headers: auth });
    const body = await res.json();
    const t1 = process.hrtime.bigint();
    if (res.status !== 200) throw new Error(`GET ${res.status}`);
    count = body.data.length;
    if (i >= 20) times.push(Number(t1 - t0) / 1e6);  // first 20 warm up
  }
  times.sort((a, b) => a - b);
  const p = (x) => times[Math.min(times.length - 1, Math.floor(x * times.length))].toFixed(2);
  console.log(`  ${name.padEnd(16)} hits ${count}  p50 ${p(0.5)} ms  p99 ${p(0.99)} ms`);
}

// The digest, asked again and again while nothing is written.
const times = [];
for (let i = 0; i < 50 + 5; i++) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/api/sync/digest?entities=products`, { headers: auth });
  await res.json();
  const t1 = process.hrtime.bigint();
  if (res.status !== 200) throw new Error(`digest ${res.status}`);
  if (i >= 5) times.push(Number(t1 - t0) / 1e6);
}
times.sort((a, b) => a - b);
const p = (x) => times[Math.min(times.length - 1, Math.floor(x * times.length))].toFixed(2);
console.log(`  ${'digest (repeat)'.padEnd(16)} p50 ${p(0.5)} ms  p99 ${p(0.99)} ms`);
