// A long run of mixed load (run by bench/soak.sh): the question is not how
// fast, but whether anything creeps — memory, descriptors, latency.
//   node bench/soak.mjs BASE ADMIN_TOKEN SERVER_PID SECONDS OUT_CSV
//
// The load, all on fixed schedules (latency runs from when a request or an
// edit was due, so a stall shows as latency, not as a quieter schedule):
// - PATCH_RATE price edits/s over PRODUCTS products, delivered to
//   WS_SUBSCRIBERS WebSocket and SSE_SUBSCRIBERS SSE subscribers (each follows
//   10 products by an ids filter, batch_ms 0); delivery latency = arrival −
//   the edit's due time;
// - ORDER_RATE orders/s (2 items, Idempotency-Key) and STOCK_RATE stock
//   adjusts/s on 20 other products; SYNC_RATE syncs/s from a cursor; one bill
//   payment per 2 s;
// - churn: CHURN_RATE WebSocket subscribers/s close and reconnect with their
//   last cursor (the open/close paths are where descriptors and buffers leak);
// - a webhook on all products to a receiver in this process.
// Every SAMPLE_SECONDS one CSV line: the server's RSS and open descriptors,
// delivery and request latency percentiles over that interval, counts.
import http from 'node:http';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import WebSocket from '../tests/integration/node_modules/ws/wrapper.mjs';

const [base, token, pidArg, secondsArg, csvPath] = process.argv.slice(2);
const PID = Number(pidArg);
const SECONDS = Number(secondsArg);
const env = (name, dflt) => Number(process.env[name] ?? dflt);
const PRODUCTS = env('PRODUCTS', 200);
const PATCH_RATE = env('PATCH_RATE', 100);
const ORDER_RATE = env('ORDER_RATE', 10);
const STOCK_RATE = env('STOCK_RATE', 10);
const SYNC_RATE = env('SYNC_RATE', 5);
const WS_SUBSCRIBERS = env('WS_SUBSCRIBERS', 200);
const SSE_SUBSCRIBERS = env('SSE_SUBSCRIBERS', 50);
const CHURN_RATE = env('CHURN_RATE', 5);
const SAMPLE_SECONDS = env('SAMPLE_SECONDS', 10);

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const url = new URL(base);

// One request; resolves {status, body} and never rejects on an HTTP status.
function request(method, path, body, headers = {}) {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, method, path, agent,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(payload ? { 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
          'Content-Length': payload.length } : {}),
        ...headers,
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode, body: text && /json/.test(res.headers['content-type'] || '') ? JSON.parse(text) : text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function must(method, path, body, headers) {
  const res = await request(method, path, body, headers);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

// --- the interval's figures ---------------------------------------------
let deliveries = [];
let requests = [];
let counts = { patches: 0, orders: 0, adjusts: 0, syncs: 0, payments: 0, webhook_changes: 0, reconnects: 0, errors: 0 };
let firstError = null;
const recordError = (what, e) => {
  counts.errors++;
  if (!firstError) firstError = `${what}: ${e.message ?? e}`;
};

// Times one scheduled request from its due time.
async function timed(due, what, fn) {
  try {
    await fn();
    requests.push(performance.now() - due);
    counts[what]++;
  } catch (e) {
    recordError(what, e);
  }
}

// --- setup ----------------------------------------------------------------
const products = [];
for (let i = 0; i < PRODUCTS; i++) {
  const p = await must('POST', '/api/products', {
    title: `Soak product ${i}`, price: 1000, status: 'active',
    variants: [{ sku: `soak-${i}`, options: {}, stock: 1_000_000, available: true }],
  });
  products.push({ id: p.id, variant: p.variants[0].id });
}
// Orders and stock adjusts touch products nobody edits: their unit price
// holds, and a subscriber's changes are the timed edits alone.
const orderProducts = [];
for (let i = 0; i < 20; i++) {
  const p = await must('POST', '/api/products', {
    title: `Soak order product ${i}`, price: 500 + i, status: 'active',
    variants: [{ sku: `soak-order-${i}`, options: {}, stock: 1_000_000, available: true }],
  });
  orderProducts.push({ id: p.id, variant: p.variants[0].id, price: 500 + i });
}
const customer = await must('POST', '/api/customers', { name: 'Soak customer', email: 'soak@example.com' });

// Each edit writes a unique price; its due time is looked up on arrival.
const dueByPrice = new Map();
const onChanges = (changes) => {
  const now = performance.now();
  for (const c of changes) {
    const at = dueByPrice.get(c.data?.price);
    if (at !== undefined) deliveries.push(now - at);
  }
};

// WebSocket subscribers; each remembers its cursor, to resume after churn.
const followed = (i) => Array.from({ length: 10 }, (_, k) => products[(i * 10 + k) % PRODUCTS].id);
const wsClients = [];
function connectWs(client) {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/live?access_token=${token}`);
  client.ws = ws;
  ws.on('open', () => ws.send(JSON.stringify({
    type: 'subscribe', sub: 's', topic: 'products', filter: { ids: client.ids }, batch_ms: 0,
    ...(client.cursor ? { since: client.cursor } : {}),
  })));
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString());
    if (m.cursor) client.cursor = m.cursor;
    if (m.type === 'changes' && client.live) onChanges(m.changes);
    if (m.type === 'subscribed') client.live = true;
    if (m.type === 'error' || m.type === 'reset') recordError('live', new Error(JSON.stringify(m)));
  });
  ws.on('error', (e) => recordError('ws', e));
}
for (let i = 0; i < WS_SUBSCRIBERS; i++) {
  const client = { ids: followed(i), cursor: null, live: false };
  wsClients.push(client);
  connectWs(client);
}

// SSE subscribers over a plain streaming GET.
function connectSse(i) {
  const filter = encodeURIComponent(JSON.stringify({ ids: followed(WS_SUBSCRIBERS + i) }));
  const req = http.get({
    host: url.hostname, port: url.port,
    path: `/api/stream?topic=products&batch_ms=0&filter=${filter}&access_token=${token}`,
  }, (res) => {
    let buffer = '';
    let live = false;
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('');
        if (!data) continue;
        const m = JSON.parse(data);
        if (live && m.changes) onChanges(m.changes);
        if (/^event: subscribed/m.test(event) || m.cursor) live = true;
      }
    });
  });
  req.on('error', (e) => recordError('sse', e));
}
for (let i = 0; i < SSE_SUBSCRIBERS; i++) connectSse(i);

// The webhook receiver: counts changes, answers 204.
const receiver = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      counts.webhook_changes += JSON.parse(Buffer.concat(chunks).toString()).changes.length;
    } catch (e) {
      recordError('webhook', e);
    }
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
await must('POST', '/api/webhooks', { url: `http://127.0.0.1:${receiver.address().port}/hook`, topics: ['products'] });

let syncCursor = (await must('GET', '/api/sync/digest?entities=products')).cursor;
let bill = await must('POST', '/api/bills', { customer_id: customer.id, amount: 1_000_000_000 });

// --- the schedule -----------------------------------------------------------
// every(rate, fn): calls fn(due, n) at its due times until the end; fn's
// promise is not awaited, so a slow answer delays nothing else.
const start = performance.now() + 1000;
const end = start + SECONDS * 1000;
const loops = [];
function every(rate, fn) {
  if (rate <= 0) return;
  loops.push((async () => {
    for (let n = 0; ; n++) {
      const due = start + (n * 1000) / rate;
      if (due >= end) return;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      fn(due, n);
    }
  })());
}

let nextPrice = 100_000;
every(PATCH_RATE, (due, n) => {
  const price = nextPrice++;
  dueByPrice.set(price, due);
  if (dueByPrice.size > 100_000) dueByPrice.delete(dueByPrice.keys().next().value);
  timed(due, 'patches', () => must('PATCH', `/api/products/${products[n % PRODUCTS].id}`, { price }));
});
every(ORDER_RATE, (due, n) => {
  const a = orderProducts[n % orderProducts.length];
  const b = orderProducts[(n * 7 + 1) % orderProducts.length];
  timed(due, 'orders', () => must('POST', '/api/orders', {
    customer_id: customer.id,
    items: [{ product_id: a.id, variant_id: a.variant, qty: 1, unit_price: a.price },
      { product_id: b.id, variant_id: b.variant, qty: 2, unit_price: b.price }],
  }, { 'Idempotency-Key': randomUUID() }));
});
every(STOCK_RATE, (due, n) => {
  const p = orderProducts[(n * 3) % orderProducts.length];
  timed(due, 'adjusts', () => must('POST', '/api/stock/adjust', { variant_id: p.variant, delta: 3, reason: 'purchase' }));
});
every(SYNC_RATE, (due) => {
  timed(due, 'syncs', async () => {
    const body = await must('GET', `/api/sync?since=${syncCursor}&entities=products,orders`);
    syncCursor = body.cursor;
  });
});
// A bill takes at most 100 payments: a new one after every 50.
every(0.5, (due, n) => {
  timed(due, 'payments', async () => {
    if (n > 0 && n % 50 === 0) bill = await must('POST', '/api/bills', { customer_id: customer.id, amount: 1_000_000_000 });
    await must('POST', `/api/bills/${bill.id}/pay`, { amount: 100, method: 'card' });
  });
});
every(CHURN_RATE, (due, n) => {
  const client = wsClients[n % wsClients.length];
  client.live = false;
  client.ws.removeAllListeners('error');
  client.ws.on('error', () => {});
  client.ws.terminate();
  connectWs(client);
  counts.reconnects++;
});

// --- sampling ---------------------------------------------------------------
const q = (xs, p) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] : NaN);
function serverState() {
  const status = fs.readFileSync(`/proc/${PID}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  const threads = Number(/Threads:\s+(\d+)/.exec(status)[1]);
  // Sockets apart from the rest: the load's keep-alive pool grows when
  // answers slow down, so a leak shows in the other descriptors, or in
  // sockets beyond the live connections and that pool.
  let sockets = 0;
  const fds = fs.readdirSync(`/proc/${PID}/fd`);
  for (const fd of fds) {
    try {
      if (fs.readlinkSync(`/proc/${PID}/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch { /* closed meanwhile */ }
  }
  return { rss_mib: (rssKb / 1024).toFixed(1), fds: fds.length, sockets, other_fds: fds.length - sockets, threads };
}
const csv = fs.createWriteStream(csvPath);
csv.write('minute,rss_mib,fds,sockets,other_fds,live_connections,http_pool,threads,'
  + 'delivery_p50_ms,delivery_p99_ms,delivery_max_ms,request_p50_ms,request_p99_ms,deliveries,patches,orders,adjusts,syncs,payments,webhook_changes,reconnects,errors\n');
const sampler = setInterval(async () => {
  // The interval's figures are taken first: what arrives meanwhile counts
  // in the next one.
  const d = deliveries.sort((x, y) => x - y);
  const r = requests.sort((x, y) => x - y);
  const c = counts;
  const error = firstError;
  deliveries = [];
  requests = [];
  counts = { patches: 0, orders: 0, adjusts: 0, syncs: 0, payments: 0, webhook_changes: 0, reconnects: 0, errors: 0 };
  firstError = null;
  const s = serverState();
  const health = await request('GET', '/health').catch(() => ({ body: {} }));
  const pool = Object.values(agent.sockets).reduce((n, list) => n + list.length, 0)
    + Object.values(agent.freeSockets).reduce((n, list) => n + list.length, 0);
  const line = [((performance.now() - start) / 60000).toFixed(2), s.rss_mib, s.fds, s.sockets, s.other_fds,
    health.body.connections, pool, s.threads,
    q(d, 0.5).toFixed(1), q(d, 0.99).toFixed(1), (d.length ? d[d.length - 1] : NaN).toFixed(1),
    q(r, 0.5).toFixed(1), q(r, 0.99).toFixed(1), d.length,
    c.patches, c.orders, c.adjusts, c.syncs, c.payments, c.webhook_changes, c.reconnects, c.errors].join(',');
  csv.write(line + '\n');
  console.log(line + (error ? `  first error: ${error}` : ''));
}, SAMPLE_SECONDS * 1000);

await Promise.all(loops);
await new Promise((r) => setTimeout(r, 2000));
clearInterval(sampler);
csv.end();
for (const c of wsClients) c.ws.terminate();
process.exit(0);
