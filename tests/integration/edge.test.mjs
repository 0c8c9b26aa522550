// What a hostile client meets at the edge (docs/api.md "Limits"): every
// test here starts its own server with the limit it exercises, set low, and
// drives it from this one address.
//
// - X-Client-Id is checked before anything else: bytes that are not a short
//   printable token are refused, so no subscriber ever gets a frame that is
//   not UTF-8 (it used to break every live WebSocket of the shop).
// - requests per address and per token answer 429 with Retry-After; the
//   public key is every shopper's and is limited per address only; behind a
//   trusted proxy the address is taken from X-Forwarded-For.
// - connections per address and live connections per token are capped.
// - a request head must arrive within --head-timeout; an upload's caller is
//   checked before its body is read.
// - ?access_token= is for WebSocket and EventSource only; every answer says
//   nosniff; CORS answers only the listed origins; unknown flags are refused.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, api, runCli, freePort } from './lib/server.mjs';
import { assertProblem, create } from './lib/check.mjs';
import { LiveSocket, SseStream, subscribeOk, eventually, MP } from './lib/live.mjs';

const servers = [];
after(async () => { await Promise.all(servers.map((s) => s.stop())); });

async function serverWith(args, limits = 'lifted') {
  const srv = await startServer({ args, limits });
  servers.push(srv);
  const t = await srv.createTenant('Edge Shop');
  return { srv, t, admin: api(srv.url, t.admin_token), pub: api(srv.url, t.public_token) };
}

// One raw HTTP/1.1 exchange on a fresh socket: `head` may hold any bytes.
// Resolves {status, headers, text} or {closed: true} if the server closed
// without an answer.
function rawRequest(port, headBytes, { body = Buffer.alloc(0) } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let got = Buffer.alloc(0);
    sock.on('data', (d) => { got = Buffer.concat([got, d]); });
    sock.on('error', () => {});
    sock.on('close', () => {
      const text = got.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!m) return resolve({ closed: true, text });
      const [head, ...rest] = text.split('\r\n\r\n');
      const headers = {};
      for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(m[1]), headers, text: rest.join('\r\n\r\n') });
    });
    sock.once('connect', () => {
      sock.write(Buffer.concat([headBytes, body]));
    });
    setTimeout(() => { sock.destroy(); reject(new Error('raw request: no answer within 30 s')); }, 30000).unref();
  });
}

test('a mutation with a non-UTF-8 X-Client-Id is refused and changes nothing; subscribers stay connected and get valid frames', async () => {
  const { srv, t, admin } = await serverWith([]);
  const p = await create(admin, 'products', { title: 'Mug', price: 900, status: 'active' });
  const sock = await LiveSocket.connect(srv.url, t.public_token);
  await subscribeOk(sock, { sub: 's', topic: 'products', batch_ms: 0 });

  const patch = Buffer.concat([
    Buffer.from(`PATCH /api/products/${p.id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.admin_token}\r\n` +
      'Content-Type: application/merge-patch+json\r\nContent-Length: 16\r\nConnection: close\r\nX-Client-Id: ', 'latin1'),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('\r\n\r\n{"price": 1000}', 'latin1'),
  ]);
  const refused = await rawRequest(srv.port, patch);
  assert.equal(refused.status, 400, refused.text);
  assert.equal(JSON.parse(refused.text).code, 'bad_client_id');
  // A guest order with the public key, the way the hole was found.
  const order = Buffer.concat([
    Buffer.from(`POST /api/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.public_token}\r\n` +
      'Content-Type: application/json\r\nIdempotency-Key: k1\r\nContent-Length: 2\r\nConnection: close\r\nX-Client-Id: ', 'latin1'),
    Buffer.from([0xc3, 0x28]),  // an invalid two-byte sequence
    Buffer.from('\r\n\r\n{}', 'latin1'),
  ]);
  assert.equal((await rawRequest(srv.port, order)).status, 400);
  for (const bad of ['has space', 'x'.repeat(129)]) {
    const r = await admin.patch(`/api/products/${p.id}`, { price: 1001 }, { ...MP, headers: { 'X-Client-Id': bad } });
    assertProblem(r, 400, 'bad_client_id');
  }
  assert.equal((await admin.get(`/api/products/${p.id}`)).body.version, 1, 'nothing changed');

  const ok = await admin.patch(`/api/products/${p.id}`, { price: 1100 }, { ...MP, headers: { 'X-Client-Id': 'till-7' } });
  assert.equal(ok.status, 200);
  const m = await sock.waitFor((x) => x.type === 'changes' && x.changes.some((c) => c.id === p.id && c.version === 2),
    { what: 'the good change' });
  const change = m.changes.find((c) => c.id === p.id && c.version === 2);
  assert.equal(change.origin, 'till-7');
  assert.equal(change.data.price, 1100);
  assert.equal(sock.closed, false, `still connected (close ${sock.closeCode})`);
  assert.deepEqual(sock.errors, []);
  assert.equal(sock.items.filter((x) => x.type === '__not_json__').length, 0);
  await sock.close();
});

test('?access_token= is refused on REST and taken by SSE; answers say nosniff', async () => {
  const { srv, t } = await serverWith([]);
  const anon = api(srv.url);
  const r = await anon.get(`/api/products?access_token=${t.admin_token}`);
  assertProblem(r, 401, 'unauthorized');
  assert.match(r.body.detail, /access_token/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  const ok = await api(srv.url, t.admin_token).get('/api/products');
  assert.equal(ok.headers.get('x-content-type-options'), 'nosniff');
  const stream = await SseStream.open(srv.url, { topic: 'products', access_token: t.public_token });
  assert.equal(stream.status, 200);
  assert.equal(stream.headers.get('x-content-type-options'), 'nosniff');
  stream.close();
});

test('serve refuses an unknown flag instead of serving', async () => {
  // A real server's data: a flag error must stop the command whatever the db.
  const { srv } = await serverWith([]);
  const port = await freePort();
  const db = srv.dbUrl;
  await assert.rejects(
    runCli(['serve', '--listen', `127.0.0.1:${port}`, '--db', db, '--anything', '1'], { timeoutMs: 5000 }),
    (e) => e.code === 2 && /unknown flag --anything/.test(e.message));
  await assert.rejects(
    runCli(['serve', '--listen', `127.0.0.1:${port}`, '--db', db, '--rate-limit', 'lots'], { timeoutMs: 5000 }),
    (e) => e.code === 2 && /--rate-limit/.test(e.message));
  await assert.rejects(
    runCli(['serve', '--listen', `127.0.0.1:${port}`, '--db', db, '--cors-origin', 'example.com'], { timeoutMs: 5000 }),
    (e) => e.code === 2 && /cors-origin/.test(e.message));
});

// Rate limits: one request per second with a burst of two. Ten requests in a
// row can have at most 2 + (seconds they took) answered, so the test holds
// on any machine that sends them within eight seconds.
const TEN = 10;
async function statuses(client, n = TEN, opts = {}) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await client.get('/api/products?limit=1', opts));
  return out;
}

test('requests per address: 429 problem+json with Retry-After, also for the public key; /health is not counted', async () => {
  const { srv, pub, admin } = await serverWith(['--rate-limit', '1', '--token-rate-limit', '0'], 'default');
  const answers = await statuses(pub);
  const limited = answers.filter((r) => r.status === 429);
  assert.ok(limited.length >= TEN - 8, `429s: ${limited.length}`);
  assertProblem(limited[0], 429, 'rate_limited');
  assert.ok(Number(limited[0].headers.get('retry-after')) >= 1, 'Retry-After in whole seconds');
  // The address is spent for every token.
  assert.equal((await admin.get('/api/products')).status, 429);
  for (let i = 0; i < 5; i++) assert.equal((await api(srv.url).get('/health')).status, 200);
  // A page's static files are not counted: a product list loads dozens of thumbnails at once.
  for (let i = 0; i < 20; i++) {
    assert.equal((await api(srv.url).get('/assets/common/base.css')).status, 200);
    assert.equal((await api(srv.url).get('/media/no-such-shop/img_x.png')).status, 404);
  }
});

test('requests per token: another token is unaffected; the public key is not limited as a token', async () => {
  const { srv, t, admin, pub } = await serverWith(['--rate-limit', '0', '--token-rate-limit', '1'], 'default');
  const answers = await statuses(admin);
  assert.ok(answers.filter((r) => r.status === 429).length >= TEN - 8);
  const staff = api(srv.url, await srv.createToken(t.tenant, 'staff'));
  assert.equal((await staff.get('/api/products')).status, 200, 'a second token has its own budget');
  const shoppers = await statuses(pub, 3 * TEN);
  assert.deepEqual([...new Set(shoppers.map((r) => r.status))], [200], 'the public key is limited per address only');
});

test('--trusted-proxy: the client address comes from X-Forwarded-For, and only from a trusted peer', async () => {
  const behind = await serverWith(['--rate-limit', '1', '--trusted-proxy', '127.0.0.0/8'], 'default');
  const spent = await statuses(behind.pub, TEN, { headers: { 'X-Forwarded-For': '198.51.100.1' } });
  assert.ok(spent.filter((r) => r.status === 429).length >= TEN - 8);
  const other = await behind.pub.get('/api/products', { headers: { 'X-Forwarded-For': '198.51.100.2' } });
  assert.equal(other.status, 200, 'another shopper behind the same proxy');
  // A forged left-most hop does not buy a new budget: the proxy appends the real one.
  const forged = await behind.pub.get('/api/products', { headers: { 'X-Forwarded-For': '203.0.113.7, 198.51.100.1' } });
  assert.equal(forged.status, 429);

  const direct = await serverWith(['--rate-limit', '1'], 'default');
  const answers = [];
  for (let i = 0; i < TEN; i++) {
    answers.push(await direct.pub.get('/api/products', { headers: { 'X-Forwarded-For': `198.51.100.${i + 1}` } }));
  }
  assert.ok(answers.filter((r) => r.status === 429).length >= TEN - 8, 'an untrusted peer cannot pick its address');
});

// An open keep-alive connection that has been answered once (so the server
// has certainly accepted and counted it).
async function openConnection(port, token) {
  const sock = net.connect(port, '127.0.0.1');
  sock.on('error', () => {});
  await new Promise((r) => sock.once('connect', r));
  const answered = new Promise((r) => sock.once('data', (d) => r(d.toString('latin1'))));
  sock.write(`GET /api/products?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`);
  const first = await answered;
  assert.match(first, /^HTTP\/1\.1 200/);
  return sock;
}

test('connections per address are capped: the next one is answered 429 with Retry-After, and a closed one frees its place', async () => {
  const { srv, t, pub } = await serverWith(['--rate-limit', '0', '--max-connections-per-ip', '3'], 'default');
  const open = [];
  for (let i = 0; i < 3; i++) open.push(await openConnection(srv.port, t.public_token));
  const r = await pub.get('/api/products');
  assertProblem(r, 429, 'too_many_connections');
  assert.ok(Number(r.headers.get('retry-after')) >= 1);
  open.pop().destroy();
  assert.ok(await eventually(async () => (await pub.get('/api/products')).status === 200, { timeout: 20000 }),
    'a place is free again once a connection closes');
  for (const s of open) s.destroy();
});

test('live connections per token are capped; the public key is counted per address instead', async () => {
  const { srv, t } = await serverWith(['--max-live-per-token', '2'], 'default');
  const staff = await srv.createToken(t.tenant, 'staff');
  const a = await LiveSocket.connect(srv.url, staff);
  const b = await SseStream.open(srv.url, { topic: 'products', access_token: staff });
  assert.equal(b.status, 200);
  await assert.rejects(LiveSocket.connect(srv.url, staff), (e) => e.status === 429 && /too_many_live_connections/.test(e.body));
  const c = await SseStream.open(srv.url, { topic: 'products', access_token: staff });
  assert.equal(c.status, 429);
  const shoppers = [];
  for (let i = 0; i < 4; i++) shoppers.push(await LiveSocket.connect(srv.url, t.public_token));
  await a.close();
  const again = await eventually(async () => {
    try { return await LiveSocket.connect(srv.url, staff); } catch { return null; }
  }, { timeout: 20000 });
  assert.ok(again, 'a place is free again once a live connection closes');
  await again.close();
  b.close();
  await Promise.all(shoppers.map((s) => s.close()));
});

test('a request head trickled one line at a time is cut off at --head-timeout', async () => {
  const { srv } = await serverWith(['--head-timeout', '1']);
  const sock = net.connect(srv.port, '127.0.0.1');
  sock.on('error', () => {});
  let closed = false;
  sock.on('close', () => { closed = true; });
  await new Promise((r) => sock.once('connect', r));
  sock.write('GET /health HTTP/1.1\r\nHost: x\r\n');
  // 40 header lines, 250 ms apart: ten seconds in all, ten times the deadline.
  let sent = 0;
  for (; sent < 40 && !closed; sent++) {
    sock.write(`X-Slow-${sent}: 1\r\n`);
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(closed, 'the server closed the connection');
  assert.ok(sent < 40, `cut off after ${sent} lines, before the head was complete`);
  sock.destroy();
});

test("an upload's caller is checked before its body is read", async () => {
  const { srv, t, admin } = await serverWith(['--request-timeout', '5']);
  const p = await create(admin, 'products', { title: 'Poster', price: 500 });
  // Ten megabytes announced and never sent: the answer must not wait for them.
  for (const [token, status] of [[t.public_token, 403], ['sk_unknown', 401], [null, 401]]) {
    const head = `POST /api/products/${p.id}/images HTTP/1.1\r\nHost: x\r\n` +
      (token ? `Authorization: Bearer ${token}\r\n` : '') +
      'Content-Type: image/png\r\nContent-Length: 10000000\r\n\r\n';
    const r = await rawRequest(srv.port, Buffer.from(head, 'latin1'));
    assert.equal(r.status, status, `token ${token}: ${r.text ?? 'closed without an answer'}`);
  }
});

test('CORS: listed origins get preflights and Access-Control-Allow-Origin on REST and SSE; others are refused', async () => {
  const origin = 'http://127.0.0.1:5999';
  const { srv, t, pub } = await serverWith(['--cors-origin', origin, '--cors-origin', 'https://shop.example']);
  const pre = await api(srv.url).req('OPTIONS', '/api/products', {
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,idempotency-key' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), origin);
  assert.match(pre.headers.get('access-control-allow-headers'), /Idempotency-Key/);
  assert.match(pre.headers.get('access-control-allow-headers'), /X-Client-Id/);
  assert.match(pre.headers.get('access-control-allow-methods'), /PATCH/);
  const refused = await api(srv.url).req('OPTIONS', '/api/products', {
    headers: { Origin: 'http://127.0.0.1:6000', 'Access-Control-Request-Method': 'GET' },
  });
  assertProblem(refused, 403, 'cors_origin_refused');
  assert.equal(refused.headers.get('access-control-allow-origin'), null);

  const get = await pub.get('/api/products', { headers: { Origin: origin } });
  assert.equal(get.headers.get('access-control-allow-origin'), origin);
  assert.match(get.headers.get('access-control-expose-headers'), /ETag/);
  assert.match(get.headers.get('access-control-expose-headers'), /Idempotent-Replayed/, 'a page can tell a replayed POST');
  const other = await pub.get('/api/products', { headers: { Origin: 'http://127.0.0.1:6000' } });
  assert.equal(other.headers.get('access-control-allow-origin'), null);

  const res = await fetch(`${srv.url}/api/stream?topic=products&access_token=${t.public_token}`, { headers: { Origin: origin } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), origin);
  await res.body.cancel();

  // None by default.
  const plain = await serverWith([]);
  const none = await plain.pub.get('/api/products', { headers: { Origin: origin } });
  assert.equal(none.headers.get('access-control-allow-origin'), null);
});

test('live limits are the operator\'s: subscriptions per connection, ids per filter, WebSocket message size', async () => {
  const { srv, t } = await serverWith(['--max-subscriptions', '2', '--max-filter-ids', '3', '--max-ws-message', '2048']);
  const sock = await LiveSocket.connect(srv.url, t.public_token);
  await subscribeOk(sock, { sub: 'a', topic: 'products', filter: { ids: ['p1', 'p2', 'p3'] } });
  await subscribeOk(sock, { sub: 'b', topic: 'products' });
  const third = await sock.subscribe({ sub: 'c', topic: 'products' });
  assert.equal(third.type, 'error');
  assert.equal(third.code, 'too_many_subscriptions');
  assert.match(third.message, /at most 2/);
  const from = sock.items.length;
  sock.send({ type: 'watch', sub: 'a', add: ['p4'] });
  const grown = await sock.waitFor((m) => m.type === 'error', { from, what: 'the watch refusal' });
  assert.equal(grown.code, 'bad_filter');
  assert.match(grown.message, /at most 3/);
  await sock.close();

  const other = await LiveSocket.connect(srv.url, t.public_token);
  const four = await other.subscribe({ sub: 'd', topic: 'products', filter: { ids: ['p1', 'p2', 'p3', 'p4'] } });
  assert.equal(four.type, 'error');
  assert.equal(four.code, 'bad_filter');
  other.send({ type: 'subscribe', sub: 'big', topic: 'products', filter: { ids: ['x'.repeat(3000)] } });
  await other.waitFor(() => false, { what: 'the close' }).catch(() => {});
  assert.equal(other.closeCode, 1009, 'a message over --max-ws-message closes with 1009');
});
