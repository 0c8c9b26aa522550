// What a hostile reader can learn or keep through the live protocol
// (SPEC §3, §7): `watch` says nothing about ids outside the reader's view, a
// customer may not name another customer in a filter, and a revoked token
// loses its open connections.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { create, assertProblem } from './lib/check.mjs';
import { LiveSocket, SseStream, subscribeOk, eventually } from './lib/live.mjs';
import { capi, order, item } from './lib/commerce.mjs';

const RECHECK_SECONDS = 1;

let srv;
let t;
let admin;
let oneToken;
let twoToken;
let own; // cust_one's records: {customers, orders, bills}
let other; // cust_two's
let p;

before(async () => {
  srv = await startServer({ args: ['--token-recheck', String(RECHECK_SECONDS)] });
  t = await srv.createTenant('live-access');
  admin = capi(srv.url, t.admin_token);
  oneToken = await srv.createToken(t.tenant, 'customer', 'cust_one');
  twoToken = await srv.createToken(t.tenant, 'customer', 'cust_two');
  p = await create(admin, 'products', { title: 'Access', sku: 'LA', price: 500, status: 'active', variants: [{ sku: 'LA', options: {}, stock: 1000 }] });
  const records = async (token, customer) => {
    const res = await order(capi(srv.url, token), { items: [item(p, 0, 1)] });
    assert.equal(res.status, 201, res.text);
    const bills = await admin.get(`/api/bills?customer_id=${customer}`);
    assert.equal(bills.status, 200, bills.text);
    assert.ok(bills.body.data.length > 0, `a bill for ${customer}`);
    return { customers: customer, orders: res.body.id, bills: bills.body.data[0].id };
  };
  own = await records(oneToken, 'cust_one');
  other = await records(twoToken, 'cust_two');
});
after(async () => { await srv?.stop(); });

// Sends one watch and returns every change of `sub` up to and including the
// message that carries `marker` (an id the reader sees): the changes of one
// watch are read together and go out together, so nothing of it comes later.
async function watchOutcome(sock, sub, body, marker) {
  const from = sock.items.length;
  sock.send({ type: 'watch', sub, ...body });
  const m = await sock.waitFor((x) => (x.type === 'changes' && x.sub === sub && x.changes.some((c) => c.id === marker))
    || (x.type === 'error' && x.sub === sub), { from, timeout: 10000, what: `watch ${JSON.stringify(body)}` });
  assert.equal(m.type, 'changes', JSON.stringify(m));
  const upTo = sock.items.indexOf(m, from);
  return sock.items.slice(from, upTo + 1).filter((x) => x.type === 'changes' && x.sub === sub).flatMap((x) => x.changes);
}

async function assertWatchSaysNothing(token, topic, hidden, visible) {
  const missing = `${topic.slice(0, 3)}_doesnotexist0001`;
  const guesses = [hidden, missing];
  const sock = await LiveSocket.connect(srv.url, token);
  try {
    const sub = `w-${topic}`;
    const from = sock.items.length;
    await subscribeOk(sock, { sub, topic, filter: { ids: [...guesses, visible] } });
    const snap = sock.items.slice(from).filter((x) => x.type === 'changes').flatMap((x) => x.changes);
    assert.deepEqual(snap.map((c) => c.id), [visible], `${topic}: the snapshot holds only the reader's record`);

    const removed = await watchOutcome(sock, sub, { remove: [...guesses, visible] }, visible);
    assert.deepEqual(removed.map((c) => `${c.op} ${c.id}`), [`delete ${visible}`],
      `${topic}: removing ids says nothing about the ones the reader may not see`);
    const added = await watchOutcome(sock, sub, { add: [...guesses, visible] }, visible);
    assert.deepEqual(added.map((c) => `${c.op} ${c.id}`), [`upsert ${visible}`],
      `${topic}: adding ids says nothing about the ones the reader may not see`);
    const again = await watchOutcome(sock, sub, { remove: [...guesses, visible] }, visible);
    assert.deepEqual(again.map((c) => `${c.op} ${c.id}`), [`delete ${visible}`], `${topic}: second removal`);
  } finally {
    sock.terminate();
  }
}

for (const topic of ['customers', 'orders', 'bills']) {
  test(`watch add/remove tells a customer nothing about another customer's ${topic} or missing ids`, async () => {
    await assertWatchSaysNothing(oneToken, topic, other[topic], own[topic]);
  });
}

test('watch add/remove tells a public token nothing about a draft product', async () => {
  const draft = await create(admin, 'products', { title: 'Secret', price: 1, status: 'draft' });
  await assertWatchSaysNothing(t.public_token, 'products', draft.id, p.id);
});

test("a customer naming another customer's customer_id is refused: WebSocket error, SSE 403", async () => {
  const sock = await LiveSocket.connect(srv.url, oneToken);
  try {
    for (const topic of ['orders', 'bills']) {
      const m = await sock.subscribe({ sub: `f-${topic}`, topic, filter: { customer_id: 'cust_two' } });
      assert.equal(m.type, 'error', `${topic}: ${JSON.stringify(m)}`);
      assert.equal(m.code, 'forbidden_filter', `${topic}: ${JSON.stringify(m)}`);
      const s = await SseStream.open(srv.url, { topic, filter: { customer_id: 'cust_two' }, access_token: oneToken });
      s.close();
      assertProblem({ status: s.status, headers: s.headers, text: s.body, body: JSON.parse(s.body || 'null') }, 403, 'forbidden_filter');
      // its own customer_id stays allowed
      await subscribeOk(sock, { sub: `own-${topic}`, topic, filter: { customer_id: 'cust_one' } });
    }
    // customers has no customer_id filter at all: refused too
    const m = await sock.subscribe({ sub: 'f-customers', topic: 'customers', filter: { customer_id: 'cust_two' } });
    assert.equal(m.type, 'error', JSON.stringify(m));
    assert.equal(m.code, 'bad_filter', JSON.stringify(m));
  } finally {
    sock.terminate();
  }
});

test('a revoked token loses its WebSocket and SSE connections and cannot reconnect', async () => {
  for (const role of ['staff', 'customer']) {
    const token = role === 'customer'
      ? await srv.createToken(t.tenant, 'customer', `cust_revoked_${role}`)
      : await srv.createToken(t.tenant, role);
    const topic = role === 'customer' ? 'orders' : 'products';
    const sock = await LiveSocket.connect(srv.url, token);
    await subscribeOk(sock, { sub: 's', topic });
    const sse = await SseStream.open(srv.url, { topic, access_token: token });
    assert.equal(sse.status, 200, sse.body);
    await sse.waitFor((e) => e.event === 'subscribed', { what: 'SSE subscribed' });
    // another token of the tenant stays connected
    const keep = await LiveSocket.connect(srv.url, t.admin_token);
    try {
      await srv.revokeToken(token);
      // generous: the server checks every RECHECK_SECONDS
      const closed = await eventually(() => sock.closed && sse.closed, { timeout: 30000 });
      assert.ok(closed, `${role}: both connections closed (ws ${sock.closed}, sse ${sse.closed})`);
      const err = sock.items.find((m) => m.type === 'error');
      assert.equal(err?.code, 'token_revoked', `${role}: WebSocket error before the close: ${JSON.stringify(sock.items.slice(-3))}`);
      assert.equal(sock.closeCode, 1008, `${role}: WebSocket close code`);
      const sseErr = sse.items.find((e) => e.event === 'error');
      assert.equal(sseErr?.data?.code, 'token_revoked', `${role}: SSE error event: ${JSON.stringify(sse.items.slice(-3))}`);

      const refused = await LiveSocket.connect(srv.url, token).then(() => null, (e) => e);
      assert.equal(refused?.status, 401, `${role}: a WebSocket reconnect with the revoked token: ${refused?.message}`);
      const again = await SseStream.open(srv.url, { topic, access_token: token });
      again.close();
      assert.equal(again.status, 401, `${role}: an SSE reconnect with the revoked token`);

      keep.send({ type: 'ping' });
      await keep.waitFor((m) => m.type === 'pong', { what: 'pong on the admin connection' });
      assert.equal(keep.closed, false, 'connections of other tokens stay open');
    } finally {
      sock.terminate();
      sse.close();
      keep.terminate();
    }
  }
});
