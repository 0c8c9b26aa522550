// Webhook throughput and lag (run by bench/webhooks.sh).
//   node bench/webhooks.mjs BASE ADMIN_TOKEN BACKLOG RATE SECONDS
import http from 'node:http';

const [base, token, backlogArg, rateArg, secondsArg] = process.argv.slice(2);
const BACKLOG = Number(backlogArg);
const RATE = Number(rateArg);
const SECONDS = Number(secondsArg);
const PRODUCTS = 100;

async function api(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// The receiver: per hook the newest cursor acknowledged; per (hook, id,
// version) the first arrival.
const cursors = new Map();
const arrivals = new Map();
let changesIn = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const now = performance.now();
    const msg = JSON.parse(Buffer.concat(chunks).toString());
    cursors.set(msg.webhook, msg.cursor);
    changesIn += msg.changes.length;
    for (const c of msg.changes) {
      const k = `${msg.webhook}:${c.id}@${c.version}`;
      if (!arrivals.has(k)) arrivals.set(k, now);
    }
    res.writeHead(204).end();
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/hook`;

const ids = [];
for (let i = 0; i < PRODUCTS; i++) ids.push((await api('POST', '/api/products', { title: `W${i}`, price: 100 + i })).id);

const head = async () => {
  let body = await api('GET', '/api/sync?entities=products&limit=1000');
  while (body.has_more) body = await api('GET', `/api/sync?entities=products&limit=1000&since=${body.cursor}`);
  return body.cursor;
};
const seq = (c) => Number(c.slice(1));
async function allAt(hooks, cursor) {
  for (;;) {
    if (hooks.every((h) => cursors.has(h.id) && seq(cursors.get(h.id)) >= seq(cursor))) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

let n = 0;
const patch = (i) => api('PATCH', `/api/products/${ids[i % PRODUCTS]}`, { price: 1000 + i });

async function scenario(count) {
  const hooks = [];
  for (let i = 0; i < count; i++) hooks.push(await api('POST', '/api/webhooks', { url, topics: ['products'], active: false }));
  // Throughput: a backlog of new records (each one change to deliver), then
  // every hook switched on.
  for (let done = 0; done < BACKLOG;) {
    const wave = [];
    for (let k = 0; k < 16 && done < BACKLOG; k++, done++) wave.push(api('POST', '/api/products', { title: `B${n++}`, price: 1 }));
    await Promise.all(wave);
  }
  const end = await head();
  changesIn = 0;
  const t0 = performance.now();
  await Promise.all(hooks.map((h) => api('PATCH', `/api/webhooks/${h.id}`, { active: true })));
  await allAt(hooks, end);
  const secs = (performance.now() - t0) / 1000;
  console.log(`hooks=${count} backlog=${BACKLOG} changes_delivered=${changesIn} seconds=${secs.toFixed(2)} ` +
    `changes_per_s=${Math.round(changesIn / secs)} per_hook_changes_per_s=${Math.round(changesIn / secs / count)}`);

  // Lag: writes paced at RATE/s, each stamped when it was due.
  arrivals.clear();
  const due = new Map();
  const start = performance.now();
  const total = RATE * SECONDS;
  const inflight = [];
  for (let i = 0; i < total; i++) {
    const at = start + (i * 1000) / RATE;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const k = n++;
    inflight.push(patch(k).then((p) => due.set(`${p.id}@${p.version}`, at)));
  }
  await Promise.all(inflight);
  await allAt(hooks, await head());
  const lags = [];
  for (const [k, at] of due)
    for (const h of hooks) if (arrivals.has(`${h.id}:${k}`)) lags.push(arrivals.get(`${h.id}:${k}`) - at);
  lags.sort((a, b) => a - b);
  const q = (p) => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))].toFixed(1);
  console.log(`hooks=${count} rate=${RATE}/s for ${SECONDS}s: versions delivered ${lags.length}/${due.size * count} ` +
    `(the rest coalesced into a later one), lag from due p50=${q(0.5)} ms p99=${q(0.99)} ms max=${q(1)} ms`);
  for (const h of hooks) await api('DELETE', `/api/webhooks/${h.id}`);
}

await scenario(1);
await scenario(100);
server.close();
