// Sequential GET /api/sync/digest calls: the whole view for an admin and a
// public key, and a 40-id scope; median and p99 per call after a warm-up.
//   node bench/digest.mjs BASE ADMIN_TOKEN PUBLIC_TOKEN CALLS PRODUCTS
const [base, adminToken, publicToken, calls, products] = process.argv.slice(2);

async function get(path, token) {
  const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function measure(name, path, token) {
  const times = [];
  let body;
  for (let i = 0; i < Number(calls) + 20; i++) {
    const t0 = process.hrtime.bigint();
    body = await get(path, token);
    if (i >= 20) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(3);
  console.log(`products=${products} ${name} count=${body.count} calls=${times.length} ` +
              `median_ms=${at(0.5)} p99_ms=${at(0.99)}`);
}

// 40 active products, spread over the first page of the catalog.
const page = (await get('/api/products?status=active&limit=1000', adminToken)).data;
const ids = Array.from({ length: 40 }, (_, i) => page[Math.floor((i * page.length) / 40)].id);
await measure('admin_whole', '/api/sync/digest?entities=products', adminToken);
await measure('public_whole', '/api/sync/digest?entities=products', publicToken);
await measure('public_40_ids', `/api/sync/digest?entities=products&ids=${ids.join(',')}`, publicToken);
