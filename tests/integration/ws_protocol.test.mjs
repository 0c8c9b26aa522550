// The WebSocket layer of /api/live as a strict client (the `ws` package)
// sees it: control frames, the close handshake, limits, fragmented and
// large messages, and the close code a restarting server sends.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startServer, api } from './lib/server.mjs';
import { LiveSocket, wsUrl, eventually } from './lib/live.mjs';

let srv;
let t;

before(async () => {
  srv = await startServer();
  t = await srv.createTenant('ws-protocol');
});
after(async () => { await srv?.stop(); });

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(srv.url, t.admin_token));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}
const closed = (ws) => new Promise((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
const nextMessage = (ws) => new Promise((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))));

test('a ping frame is answered with a pong carrying its payload', async () => {
  const ws = await open();
  const pong = new Promise((r) => ws.once('pong', (d) => r(d.toString())));
  ws.ping('are you there');
  assert.equal(await pong, 'are you there');
  ws.close();
  await closed(ws);
});

test('the client closes: the server answers the close handshake with 1000', async () => {
  const ws = await open();
  const done = closed(ws);
  ws.close(1000, 'bye');
  const { code } = await done;
  assert.equal(code, 1000);
});

test('binary messages get bad_message; the connection stays usable', async () => {
  const ws = await open();
  const reply = nextMessage(ws);
  ws.send(Buffer.from([1, 2, 3]), { binary: true });
  const m = await reply;
  assert.equal(m.type, 'error');
  assert.equal(m.code, 'bad_message');
  const pong = nextMessage(ws);
  ws.send(JSON.stringify({ type: 'ping' }));
  assert.equal((await pong).type, 'pong');
  ws.close();
});

test('a message fragmented into frames is read as one', async () => {
  const ws = await open();
  const reply = nextMessage(ws);
  const text = JSON.stringify({ type: 'ping' });
  ws.send(text.slice(0, 5), { fin: false });
  ws.send(text.slice(5), { fin: true });
  assert.equal((await reply).type, 'pong');
  ws.close();
});

test('a message over 64 KiB closes the connection with 1009', async () => {
  const ws = await open();
  const done = closed(ws);
  ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(70 * 1024) }));
  assert.equal((await done).code, 1009);
});

test('a subscribe with thousands of ids (one large message) is served', async () => {
  const admin = api(srv.url, t.admin_token);
  const r = await admin.post('/api/products', { title: 'Large room', price: 100, status: 'active' });
  assert.equal(r.status, 201);
  const ids = Array.from({ length: 3000 }, (_, i) => `p_${i}`);
  ids.push(r.body.id);
  const sock = await LiveSocket.connect(srv.url, t.admin_token);
  const m = await sock.subscribe({ sub: 'big', topic: 'products', filter: { ids } });
  assert.equal(m.type, 'subscribed');
  const snapshot = sock.items.filter((x) => x.type === 'changes' && x.sub === 'big');
  assert.deepEqual(snapshot.flatMap((x) => x.changes.map((c) => c.id)), [r.body.id]);
  await sock.close();
});

test('SIGTERM closes live sockets with 1012 (service restart)', async () => {
  const own = await startServer();
  try {
    const tt = await own.createTenant('ws-restart');
    const sock = await LiveSocket.connect(own.url, tt.admin_token);
    assert.equal((await sock.subscribe({ sub: 's', topic: 'products' })).type, 'subscribed');
    const exit = own.terminate();
    await eventually(() => sock.closed);
    assert.equal(sock.closeCode, 1012);
    await exit;
  } finally {
    await own.stop();
  }
});
