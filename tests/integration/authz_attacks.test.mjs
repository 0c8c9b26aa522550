// The authorization attack table (SPEC §3): one list of attacks, each row
// {cat, name, as (attacker), via (transport), attempt, refused (what
// "refused" means for it)}, and one runner that executes every row and
// asserts it. Two shops: A is the victim, B the attacker; each has admin,
// staff, service and public tokens and two customers (the second a
// partner), a webhook, a declared publish topic with data, products (active
// and draft), orders and bills of customer A1, stock movements.
//
// What a row may expect:
// - P(status, code): a problem+json refusal;
// - EMPTY: an answer (REST 200, a sync, a WebSocket or SSE subscription
//   that reached `subscribed` and the attacker's own marker record) that
//   carries none of the victim's data;
// - WS(code) / SSE refusals, closed streams, 401 on a WebSocket upgrade;
// - SAME: "exists but not yours" answers exactly as "does not exist" (the
//   same status and body but for the id asked).
// Every answer, refused or not, must hold none of the victim's secret
// texts; a row that is not meant to write checks afterwards that nothing of
// A changed (its digest over every entity, its webhook and its topics).
// The last row reads the server's stdout and stderr: no token, nor its
// first 8 characters, nor any 12 characters of its secret, ever appears.
//
// The cases these tests already cover in depth are referenced, not
// repeated: tenancy.test.mjs (catalog isolation, projections),
// commerce_access.test.mjs (a customer's orders and bills under concurrent
// writes, channel × role), live_access.test.mjs (watch tells nothing,
// revoked live connections), partners.test.mjs, publish.test.mjs,
// webhooks.test.mjs, digest.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { assertProblem, create } from './lib/check.mjs';
import { LiveSocket, SseStream, eventually } from './lib/live.mjs';
import { capi, shopWithRoles, order, adjust, item, MP } from './lib/commerce.mjs';
import { receiver } from './lib/webhooks.mjs';

const SECRET = 'VICTIM-SECRET'; // in every record of shop A
const PRIVATE = 'A1-PRIVATE'; // in customer A1's own records only
const MISSING = { orders: 'ord_doesnotexist00001', bills: 'bill_doesnotexist0001', customers: 'cust_doesnotexist01' };

let srv;
let A; // the victim shop: clients, tokens and record ids
let B; // the attacker shop
let rcvA;
let rcvB;
const revoked = {}; // A's tokens revoked during setup, and what was open with them
const used = new Set(); // every token handed out, for the log row

// ------------------------------------------------------------- setup --

async function makeShop(name, prefix) {
  const c1 = `cust_${prefix}1`;
  const c2 = `cust_${prefix}2`;
  const s = await shopWithRoles(srv, name, [c1, c2]);
  const tok = {
    admin: s.t.admin_token, public: s.t.public_token, staff: s.staff.token, service: s.service.token,
    c1: s.tokens[c1], c2: s.tokens[c2],
  };
  for (const t of Object.values(tok)) used.add(t);
  return {
    tenant: s.t.tenant, tok, c1id: c1, c2id: c2,
    admin: s.admin, staff: s.staff, service: s.service, pub: s.pub, c1: s.customers[c1], c2: s.customers[c2],
  };
}

async function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.body;
}

before(async () => {
  srv = await startServer({ args: ['--token-recheck', '1', '--webhook-allow', '127.0.0.0/8', '--webhook-backoff-ms', '40'] });
  rcvA = await receiver();
  rcvB = await receiver();
  A = await makeShop('authz-victim', 'va');
  B = await makeShop('authz-attacker', 'vb');

  // A: a partner, products, a category, orders and bills of A1, movements, a hook, topics
  await ok(await A.admin.patch(`/api/customers/${A.c2id}`, { kind: 'partner', name: `${SECRET} partner` }, MP), 200, 'A2 partner');
  await ok(await A.admin.patch(`/api/customers/${A.c1id}`, { name: `${PRIVATE} ${SECRET} name`, email: 'a1@victim.example' }, MP), 200, 'A1 name');
  A.cat = await create(A.admin, 'categories', { name: `${SECRET} category` });
  A.pa = await create(A.admin, 'products', {
    title: `${SECRET} active`, sku: 'VSKU-A', price: 900, status: 'active', category_ids: [A.cat.id],
    variants: [{ sku: 'VSKU-A', options: {}, stock: 500 }],
  });
  A.pd = await create(A.admin, 'products', {
    title: `${SECRET} draft`, sku: 'VSKU-D', price: 100, status: 'draft', variants: [{ sku: 'VSKU-D', options: {}, stock: 50 }],
  });
  // a low_stock alert naming the draft
  await ok(await adjust(A.admin, { variant_id: A.pd.variants[0].id, delta: -48 }), 200, 'low stock');
  A.o1 = await ok(await order(A.c1, { items: [item(A.pa, 0, 1)] }, { key: 'victim-key-1' }), 201, 'A1 order');
  A.o2 = await ok(await order(A.admin, { items: [item(A.pa, 0, 2)], customer_id: A.c1id }), 201, 'order for A1');
  A.oA2 = await ok(await order(A.c2, { items: [item(A.pa, 0, 1)] }), 201, 'A2 order');
  A.bManual = await ok(await A.admin.post('/api/bills', { customer_id: A.c1id, amount: 4321, note: `${PRIVATE} ${SECRET} note` }), 201, 'A1 bill');
  const bills = (await A.admin.get(`/api/bills?customer_id=${A.c1id}`)).body.data;
  A.b1 = bills.find((b) => b.order_id === A.o1.id);
  A.bA2 = (await A.admin.get(`/api/bills?customer_id=${A.c2id}`)).body.data[0];
  A.mv = (await ok(await adjust(A.admin, { variant_id: A.pa.variants[0].id, delta: 3, note: `${SECRET} adjust` }), 200, 'adjust')).movement;
  await ok(await A.admin.put('/api/topics/warehouse.secret', { read: ['staff', 'service'] }), 201, 'A topic');
  await ok(await A.admin.put('/api/topics/erp.private', { read: ['service'] }), 201, 'A topic 2');
  await ok(await A.service.post('/api/publish', { topic: 'warehouse.secret', key: 'vkey-1', data: { note: SECRET, qty: 7 } }), 200, 'publish');
  await ok(await A.service.post('/api/publish', { topic: 'erp.private', key: 'vkey-2', data: { note: SECRET } }), 200, 'publish 2');
  A.hook = await ok(await A.admin.post('/api/webhooks', { url: rcvA.url, topics: ['products', 'orders', 'bills', 'warehouse.secret'] }), 201, 'A hook');

  // B: its own product, order, bill, hook over every collection
  B.pb = await create(B.admin, 'products', {
    title: 'Attacker own', sku: 'BSKU', price: 500, status: 'active', variants: [{ sku: 'BSKU', options: {}, stock: 500 }],
  });
  B.o1 = await ok(await order(B.c1, { items: [item(B.pb, 0, 1)] }), 201, 'B1 order');
  B.hook = await ok(await B.admin.post('/api/webhooks', {
    url: rcvB.url, topics: ['products', 'categories', 'customers', 'orders', 'bills', 'stock_movements', 'alerts'],
  }), 201, 'B hook');

  // The victim's record ids, and customer A1's
  A.ids = [A.pa.id, A.pd.id, A.cat.id, A.o1.id, A.o2.id, A.oA2.id, A.b1.id, A.bManual.id, A.bA2.id, A.mv.id, A.hook.id,
    A.c1id, A.c2id, A.pa.variants[0].id, 'vkey-1', 'vkey-2'];
  A.a1ids = [A.o1.id, A.o2.id, A.b1.id, A.bManual.id, A.c1id];

  // A's tokens to revoke, with what is open on them when they are
  const mk = async (role, customer) => {
    const t = await srv.createToken(A.tenant, role, customer);
    used.add(t);
    return t;
  };
  for (const role of ['admin', 'staff', 'service', 'public']) revoked[role] = await mk(role);
  revoked.customer = await mk('customer', A.c1id);
  revoked.wsCustomer = await mk('customer', A.c1id);
  revoked.sseStaff = await mk('staff');
  revoked.pollService = await mk('service');
  revoked.order = await ok(await order(capi(srv.url, revoked.customer), orderBody(), { key: 'revoked-key-1' }), 201, 'order before the revoke');
  A.ids.push(revoked.order.id);
  A.a1ids.push(revoked.order.id);
  revoked.ws = await LiveSocket.connect(srv.url, revoked.wsCustomer);
  revoked.ws.send({ type: 'subscribe', sub: 'o', topic: 'orders' });
  await revoked.ws.waitFor((m) => m.type === 'subscribed', { what: 'subscribed before the revoke' });
  revoked.sse = await SseStream.open(srv.url, { topic: 'products', access_token: revoked.sseStaff });
  await revoked.sse.waitFor((e) => e.event === 'subscribed', { what: 'SSE subscribed before the revoke' });
  const head = (await ok(await capi(srv.url, revoked.pollService).get('/api/sync?entities=products&limit=1000'), 200, 'head')).cursor;
  revoked.poll = capi(srv.url, revoked.pollService).get(`/api/sync?entities=products&since=${head}&wait=30`);
  for (const k of ['admin', 'staff', 'service', 'public', 'customer', 'wsCustomer', 'sseStaff', 'pollService']) {
    await srv.revokeToken(revoked[k]);
  }
  // written after the revoke: the held long poll must not carry it
  A.afterRevoke = await create(A.admin, 'products', { title: `${SECRET} after revoke`, price: 1, status: 'active' });
  A.ids.push(A.afterRevoke.id);
});

after(async () => {
  revoked.ws?.terminate();
  revoked.sse?.close();
  await rcvA?.close();
  await rcvB?.close();
  await srv?.stop();
});

// ----------------------------------------------------------- transports --

const client = (shop, role) => (shop === 'A' ? A : B)[role === 'public' ? 'pub' : role];
const token = (shop, role) => (shop === 'A' ? A : B).tok[role];
const tokenOf = (as) => {
  const [shop, role] = as.split('.');
  return revoked[role] && shop === 'A-revoked' ? revoked[role] : token(shop, role);
};
const clientOf = (as) => {
  const [shop, role] = as.split('.');
  return shop === 'A-revoked' ? capi(srv.url, revoked[role]) : client(shop, role);
};

// A WebSocket session: `steps` are subscribe and watch messages; a subscribe
// waits for `subscribed` or `error`; a watch waits for the change carrying
// `until` (an id the attacker sees, so the watch has been answered).
async function ws(as, steps, { header = false } = {}) {
  let sock;
  try {
    sock = await LiveSocket.connect(srv.url, tokenOf(as), { header });
  } catch (e) {
    if (!e.status) throw e;
    let body = e.body;
    try { body = JSON.parse(e.body); } catch { /* kept as text */ }
    return { kind: 'upgrade', status: e.status, body, text: e.body };
  }
  const answers = [];
  try {
    for (const s of steps) {
      const from = sock.items.length;
      const { until, ...msg } = s;
      sock.send(msg);
      if (msg.type === 'subscribe') {
        answers.push(await sock.waitFor((m) => (m.sub === msg.sub && m.type === 'subscribed') || m.type === 'error',
          { from, timeout: 10000, what: `answer to ${JSON.stringify(msg)}` }));
      } else if (until) {
        answers.push(await sock.waitFor((m) => (m.type === 'changes' && m.changes.some((c) => c.id === until)) || m.type === 'error',
          { from, timeout: 10000, what: `the watch's change of ${until}` }));
      }
    }
    return { kind: 'ws', answers, msgs: sock.items.slice(), text: JSON.stringify(sock.items) };
  } finally {
    sock.terminate();
  }
}

// An SSE stream: refused (a problem answer) or open until `subscribed` and,
// with `until`, the change carrying that id.
async function sse(as, params, { until } = {}) {
  const s = await SseStream.open(srv.url, { ...params, access_token: tokenOf(as) });
  if (s.status !== 200) {
    let body = s.body;
    try { body = JSON.parse(s.body); } catch { /* kept as text */ }
    return { kind: 'http', status: s.status, headers: s.headers, body, text: s.body };
  }
  try {
    await s.waitFor((e) => e.event === 'subscribed', { timeout: 10000, what: 'SSE subscribed' });
    if (until) {
      await s.waitFor((e) => e.event === 'changes' && e.data.changes.some((c) => c.id === until), { timeout: 10000, what: `SSE change of ${until}` });
    }
    return { kind: 'sse', status: 200, items: s.items.slice(), text: JSON.stringify(s.items) };
  } finally {
    s.close();
  }
}

const q = (o) => new URLSearchParams(o).toString();
const sub = (topic, filter, extra = {}) => ({ type: 'subscribe', sub: 's', topic, ...(filter ? { filter } : {}), ...extra });
const watch = (add, until) => ({ type: 'watch', sub: 's', add, until });
const orderBody = (extra = {}, p = () => A.pa) => ({ items: [item(p(), 0, 1)], ...extra });

// ---------------------------------------------------------- expectations --

// A problem+json refusal (a WebSocket upgrade: its status and code).
const P = (status, code) => ({ problem: [status, code] });
// An answer that carries none of the victim's data.
const EMPTY = { empty: true };
// A WebSocket `error` with this code.
const WS = (code) => ({ wsError: code });

function markersOf(row) {
  if (row.victim === 'A1') return { texts: [PRIVATE], ids: A.a1ids };
  return { texts: [SECRET], ids: A.ids };
}

function assertRefused(row, out) {
  const { texts, ids } = markersOf(row);
  for (const t of texts) assert.ok(!out.text.includes(t), `the answer carries the victim's data (${t}): ${out.text.slice(0, 600)}`);
  const r = row.refused;
  if (r.problem) {
    const [status, code] = r.problem;
    if (out.kind === 'upgrade') {
      assert.equal(out.status, status, `upgrade: ${out.status} ${out.text}`);
      assert.equal(out.body?.code, code, `upgrade: ${out.text}`);
    } else {
      assert.notEqual(out.kind, 'ws', `expected ${status} ${code}, the WebSocket was accepted`);
      assertProblem(out, status, code);
    }
  } else if (r.wsError) {
    assert.equal(out.kind, 'ws', `expected a WebSocket error, got ${out.kind} ${out.status}`);
    const err = out.answers.find((m) => m.type === 'error');
    assert.equal(err?.code, r.wsError, `answers: ${JSON.stringify(out.answers)}`);
  } else if (r.empty) {
    if (out.kind === 'ws') {
      for (const m of out.answers) assert.notEqual(m.type, 'error', `the session was refused: ${JSON.stringify(m)}`);
    } else {
      assert.equal(out.status, r.status ?? 200, `${out.status} ${out.text.slice(0, 300)}`);
    }
    const leaked = ids.filter((id) => out.text.includes(id));
    assert.deepEqual(leaked, [], `the answer names the victim's records: ${out.text.slice(0, 600)}`);
  }
  if (r.check) r.check(out);
}

// What the victim holds: unchanged by every attack that is not meant to write.
async function victimState() {
  const entities = 'products,categories,brands,units,customers,orders,bills,stock_movements,alerts,warehouse.secret,erp.private';
  const d = await A.admin.get(`/api/sync/digest?entities=${entities}`);
  assert.equal(d.status, 200, d.text);
  const h = (await A.admin.get(`/api/webhooks/${A.hook.id}`)).body;
  const topics = (await A.admin.get('/api/topics')).body.data.map((t) => `${t.name}:${t.read.join('+')}`);
  return { count: d.body.count, hash: d.body.hash, cursor: d.body.cursor, hook: [h.version, h.url, h.topics.join(','), h.active], topics };
}

// ------------------------------------------------------------ the table --

const ROLES_B = ['admin', 'staff', 'service', 'public', 'c1', 'c2'];
const readable = (role, coll) => {
  if (['products', 'categories'].includes(coll)) return true;
  if (role === 'public') return false;
  if (['orders', 'bills', 'customers'].includes(coll)) return true;
  return !['c1', 'c2'].includes(role);
};

const ROWS = [];
const row = (r) => ROWS.push(r);

// 1. Another shop's records, by id, through every transport, every role
for (const role of ROLES_B) {
  for (const [coll, id, label] of [['products', () => A.pa.id, 'active product'], ['products', () => A.pd.id, 'draft product'],
    ['categories', () => A.cat.id, 'category'], ['orders', () => A.o1.id, 'order'], ['bills', () => A.b1.id, 'bill'],
    ['customers', () => A.c1id, 'customer'], ['stock_movements', () => A.mv.id, 'stock movement']]) {
    row({
      cat: 'cross-tenant', name: `B ${role} GET A's ${label} by id`, as: `B.${role}`, via: 'REST',
      attempt: () => client('B', role).get(`/api/${coll}/${id()}`),
      refused: readable(role, coll) ? P(404, 'not_found') : P(403, 'forbidden'),
    });
  }
  row({
    cat: 'cross-tenant', name: `B ${role} syncs everything it may read`, as: `B.${role}`, via: 'sync',
    attempt: () => client('B', role).get('/api/sync?limit=1000'), refused: EMPTY,
  });
  row({
    cat: 'cross-tenant', name: `B ${role} digest scoped to A's product ids counts nothing`, as: `B.${role}`, via: 'digest',
    attempt: () => client('B', role).get(`/api/sync/digest?${q({ entities: 'products', ids: `${A.pa.id},${A.pd.id}` })}`),
    refused: { empty: true, check: (o) => assert.deepEqual([o.body.count, o.body.hash], [0, '0000000000000000']) },
  });
  row({
    cat: 'cross-tenant', name: `B ${role} subscribes to A's product ids, then watches them`, as: `B.${role}`, via: 'WebSocket',
    attempt: () => ws(`B.${role}`, [sub('products', { ids: [A.pa.id, A.pd.id] }), watch([A.pa.id, A.pd.id, B.pb.id], B.pb.id)]),
    refused: EMPTY,
  });
  row({
    cat: 'cross-tenant', name: `B ${role} streams A's product ids`, as: `B.${role}`, via: 'SSE',
    attempt: () => sse(`B.${role}`, { topic: 'products', filter: { ids: [A.pa.id, A.pd.id, B.pb.id] } }, { until: B.pb.id }),
    refused: EMPTY,
  });
}
for (const role of ['admin', 'staff', 'service']) {
  for (const [coll, field, id] of [['orders', 'customer_id', () => A.c1id], ['bills', 'order_id', () => A.o1.id],
    ['bills', 'customer_id', () => A.c1id], ['stock_movements', 'product_id', () => A.pa.id],
    ['stock_movements', 'order_id', () => A.o1.id], ['products', 'category_id', () => A.cat.id], ['alerts', 'product_id', () => A.pd.id]]) {
    row({
      cat: 'cross-tenant', name: `B ${role} lists ${coll}?${field}= naming A's record`, as: `B.${role}`, via: 'REST',
      attempt: () => client('B', role).get(`/api/${coll}?${field}=${id()}`),
      refused: { empty: true, check: (o) => assert.deepEqual(o.body.data, []) },
    });
  }
}
row({
  cat: 'cross-tenant', name: 'B staff subscribes to bills of customer_id A1 and stock movements of A\'s product', as: 'B.staff', via: 'WebSocket',
  attempt: () => ws('B.staff', [sub('bills', { customer_id: A.c1id }), { ...sub('stock_movements', { product_id: A.pa.id }), sub: 't' }]),
  refused: EMPTY,
});
row({
  cat: 'cross-tenant', name: 'B admin digest of orders filtered on A1', as: 'B.admin', via: 'digest',
  attempt: () => B.admin.get(`/api/sync/digest?${q({ entities: 'orders', filter: JSON.stringify({ customer_id: A.c1id }) })}`),
  refused: { empty: true, check: (o) => assert.equal(o.body.count, 0) },
});
for (const [method, label, path, body] of [
  ['patch', 'products/{A}', () => `/api/products/${A.pa.id}`, { title: 'hijacked' }],
  ['del', 'products/{A}', () => `/api/products/${A.pa.id}`],
  ['patch', 'customers/{A1}', () => `/api/customers/${A.c1id}`, { kind: 'retail' }],
  ['del', 'customers/{A1}', () => `/api/customers/${A.c1id}`],
  ['patch', 'categories/{A}', () => `/api/categories/${A.cat.id}`, { name: 'hijacked' }],
  ['post', 'products/{A}/images', () => `/api/products/${A.pa.id}/images`, { url: 'https://evil.example/x.png' }],
  ['post', 'orders/{A}/cancel', () => `/api/orders/${A.o1.id}/cancel`],
  ['post', 'orders/{A}/confirm', () => `/api/orders/${A.o1.id}/confirm`],
  ['post', 'bills/{A}/pay', () => `/api/bills/${A.b1.id}/pay`, { amount: 1, method: 'cash' }],
  ['post', 'bills/{A}/void', () => `/api/bills/${A.b1.id}/void`],
]) {
  row({
    cat: 'cross-tenant', name: `B admin ${method.toUpperCase()} /api/${label}`, as: 'B.admin', via: 'REST',
    attempt: () => (method === 'del' ? B.admin.del(path()) : B.admin[method](path(), body, method === 'patch' ? MP : {})),
    refused: P(404, 'not_found'),
  });
}
for (const [label, attempt] of [
  ['GET A\'s product with If-None-Match', () => B.admin.get(`/api/products/${A.pa.id}`, { headers: { 'If-None-Match': `"${A.pa.version}"` } })],
  ['DELETE A\'s product with If-Match', () => B.admin.del(`/api/products/${A.pa.id}`, { headers: { 'If-Match': '"1"' } })],
  ['cancels A\'s order with If-Match', () => B.admin.post(`/api/orders/${A.o1.id}/cancel`, undefined, { headers: { 'If-Match': '"1"' } })],
  ['PATCH A\'s hook with If-Match', () => B.admin.patch(`/api/webhooks/${A.hook.id}`, { active: false }, { ...MP, headers: { 'If-Match': '"1"' } })],
]) {
  row({ cat: 'cross-tenant', name: `B admin ${label}`, as: 'B.admin', via: label.includes('hook') ? 'webhooks' : 'REST', attempt, refused: P(404, 'not_found') });
}
row({
  cat: 'escalation by token', name: 'A public GETs a draft with If-None-Match of its version', as: 'A.public', via: 'REST',
  attempt: () => A.pub.get(`/api/products/${A.pd.id}`, { headers: { 'If-None-Match': '"2"' } }), refused: P(404, 'not_found'),
});
row({
  cat: 'cross-tenant', name: 'B staff adjusts the stock of A\'s variant', as: 'B.staff', via: 'REST',
  attempt: () => adjust(B.staff, { variant_id: A.pa.variants[0].id, delta: 10 }), refused: P(404, 'not_found'),
});
// A's ids smuggled into B's own writes
for (const role of ['admin', 'staff', 'public', 'c1']) {
  row({
    cat: 'cross-tenant', name: `B ${role} orders A's product`, as: `B.${role}`, via: 'REST',
    attempt: () => order(client('B', role), orderBody()),
    refused: {
      problem: [409, 'checkout_corrections'],
      check: (o) => assert.deepEqual(o.body.corrections, [{ index: 0, field: 'availability', expected: 'available', actual: 'unavailable' }]),
    },
  });
}
row({
  cat: 'cross-tenant', name: 'B public validates a checkout of A\'s product (learns no price or stock)', as: 'B.public', via: 'REST',
  attempt: () => B.pub.post('/api/checkout/validate', { items: [item(A.pa, 0, 1, 1)] }),
  refused: {
    problem: [409, 'checkout_corrections'],
    check: (o) => assert.deepEqual(o.body.corrections, [{ index: 0, field: 'availability', expected: 'available', actual: 'unavailable' }]),
  },
});
row({
  cat: 'cross-tenant', name: 'B admin orders for A\'s customer A1', as: 'B.admin', via: 'REST',
  attempt: () => order(B.admin, orderBody({ customer_id: A.c1id }, () => B.pb)), refused: P(422, 'validation_failed'),
});
row({
  cat: 'cross-tenant', name: 'B staff bills A\'s customer A1', as: 'B.staff', via: 'REST',
  attempt: () => B.staff.post('/api/bills', { customer_id: A.c1id, amount: 100 }), refused: P(422, 'validation_failed'),
});
row({
  cat: 'cross-tenant', name: 'B staff bills with A\'s order id', as: 'B.staff', via: 'REST',
  attempt: () => B.staff.post('/api/bills', { customer_id: B.c1id, amount: 100, order_id: A.o1.id }), refused: P(422, 'validation_failed'),
});
row({
  cat: 'cross-tenant', name: 'B service syncs stock by A\'s SKU', as: 'B.service', via: 'REST',
  attempt: () => B.service.post('/api/stock/sync', { levels: [{ sku: 'VSKU-A', stock: 0 }] }),
  refused: { empty: true, check: (o) => assert.deepEqual(o.body, { updated: [], unchanged: [], unknown: ['VSKU-A'] }) },
});
row({
  cat: 'cross-tenant', name: 'B admin uses A1\'s Idempotency-Key on an order', as: 'B.admin', via: 'REST',
  attempt: () => order(B.admin, orderBody({}, () => B.pb), { key: 'victim-key-1' }),
  refused: { empty: true, status: 201, check: (o) => assert.equal(o.headers.get('idempotent-replayed'), null) },
});
row({
  cat: 'cross-tenant', name: 'B admin syncs A\'s topic', as: 'B.admin', via: 'sync',
  attempt: () => B.admin.get('/api/sync?entities=warehouse.secret'), refused: P(400, 'bad_query'),
});
row({
  cat: 'cross-tenant', name: 'B admin digest of A\'s topic', as: 'B.admin', via: 'digest',
  attempt: () => B.admin.get('/api/sync/digest?entities=erp.private'), refused: P(400, 'bad_query'),
});
row({
  cat: 'cross-tenant', name: 'B service subscribes to A\'s topic', as: 'B.service', via: 'WebSocket',
  attempt: () => ws('B.service', [sub('erp.private')]), refused: WS('unknown_topic'),
});
row({
  cat: 'cross-tenant', name: 'B service streams A\'s topic', as: 'B.service', via: 'SSE',
  attempt: () => sse('B.service', { topic: 'erp.private' }), refused: P(404, 'unknown_topic'),
});
row({
  cat: 'cross-tenant', name: 'B service publishes to A\'s topic', as: 'B.service', via: 'publish',
  attempt: () => B.service.post('/api/publish', { topic: 'erp.private', key: 'vkey-2', data: { hijacked: true } }),
  refused: P(404, 'unknown_topic'),
});
row({
  cat: 'cross-tenant', name: 'B admin lists topics', as: 'B.admin', via: 'publish',
  attempt: () => B.admin.get('/api/topics'), refused: { empty: true, check: (o) => assert.deepEqual(o.body.data, []) },
});
row({
  cat: 'cross-tenant', name: 'B admin declares a topic named like A\'s: its own, new, empty', as: 'B.admin', via: 'publish',
  attempt: async () => {
    const r = await B.admin.put('/api/topics/warehouse.secret', { read: ['public'] });
    assert.equal(r.status, 201, `a new topic of B's, not A's: ${r.text}`);
    return B.pub.get('/api/sync?entities=warehouse.secret');
  },
  refused: { empty: true, check: (o) => assert.deepEqual(o.body.data['warehouse.secret'].added, []) },
});
row({
  cat: 'cross-tenant', name: 'B public subscribes to its topic named like A\'s; B service publishes A\'s key there', as: 'B.public', via: 'WebSocket',
  attempt: async () => {
    await ok(await B.service.post('/api/publish', { topic: 'warehouse.secret', key: 'bkey', data: { b: 1 } }), 200, 'B publish');
    return ws('B.public', [sub('warehouse.secret', { ids: ['vkey-1', 'bkey'] })]);
  },
  refused: { empty: true, check: (o) => assert.ok(o.msgs.some((m) => m.type === 'changes' && m.changes.some((c) => c.id === 'bkey')), 'B\'s own key arrives') },
});
row({
  cat: 'cross-tenant', name: 'B admin creates a hook on A\'s topic', as: 'B.admin', via: 'webhooks',
  attempt: () => B.admin.post('/api/webhooks', { url: rcvB.url, topics: ['erp.private'] }), refused: P(422, 'validation_failed'),
});
for (const [method, label, body] of [
  ['get', ''],
  ['patch', '', { url: 'https://evil.example/steal' }],
  ['del', ''],
  ['post', '/replay', { since: 'c0' }],
  ['get', '/deliveries'],
]) {
  const path = () => `/api/webhooks/${A.hook.id}${label}`;
  row({
    cat: 'cross-tenant', name: `B admin ${method.toUpperCase()} /api/webhooks/{A hook}${label}`, as: 'B.admin', via: 'webhooks',
    attempt: () => (method === 'get' || method === 'del' ? B.admin[method](path()) : B.admin[method](path(), body, method === 'patch' ? MP : {})),
    refused: P(404, 'not_found'),
  });
}
row({
  cat: 'cross-tenant', name: 'B admin\'s figures count none of A\'s orders', as: 'B.admin', via: 'REST',
  attempt: async () => {
    const stats = await B.admin.get('/api/stats');
    const orders = (await B.admin.get('/api/orders?limit=1000')).body.data.filter((o) => o.status !== 'cancelled');
    return { ...stats, own: orders };
  },
  refused: {
    empty: true,
    check: (o) => assert.deepEqual([o.body.orders, o.body.revenue], [o.own.length, o.own.reduce((s, x) => s + x.total, 0)]),
  },
});
row({
  cat: 'cross-tenant', name: 'B admin lists webhooks', as: 'B.admin', via: 'webhooks',
  attempt: () => B.admin.get('/api/webhooks'), refused: { empty: true, check: (o) => assert.deepEqual(o.body.data.map((h) => h.id), [B.hook.id]) },
});
row({
  cat: 'cross-tenant', name: 'while A writes, B\'s open WebSocket, SSE streams and webhook carry none of it', as: 'B.admin+staff+c2', via: 'WebSocket+SSE+webhooks',
  writes: true,
  attempt: async () => {
    const topics = ['products', 'categories', 'customers', 'orders', 'bills', 'stock_movements', 'alerts', 'warehouse.secret'];
    const sock = await LiveSocket.connect(srv.url, B.tok.admin);
    const watcher = await LiveSocket.connect(srv.url, A.tok.admin);
    const streams = [];
    try {
      for (const t of topics) {
        sock.send({ type: 'subscribe', sub: t, topic: t });
        await sock.waitFor((m) => m.sub === t && (m.type === 'subscribed' || m.type === 'error'), { what: `B ${t}` });
      }
      streams.push(await SseStream.open(srv.url, { topic: 'orders', access_token: B.tok.staff }));
      streams.push(await SseStream.open(srv.url, { topic: 'products', access_token: B.tok.c2 }));
      for (const s of streams) await s.waitFor((e) => e.event === 'subscribed', { what: 'B SSE subscribed' });
      watcher.send({ type: 'subscribe', sub: 'w', topic: 'products' });
      await watcher.waitFor((m) => m.type === 'subscribed', { what: 'A subscribed' });
      // A writes on every collection B follows
      const pa = await ok(await A.admin.patch(`/api/products/${A.pa.id}`, { description: `${SECRET} live` }, MP), 200, 'A edit');
      await ok(await order(A.c1, orderBody()), 201, 'A order');
      await ok(await A.admin.post('/api/customers', { name: `${SECRET} new`, email: 'n@victim.example' }), 201, 'A customer');
      await ok(await A.service.post('/api/publish', { topic: 'warehouse.secret', key: 'vkey-1', data: { note: SECRET, qty: 8 } }), 200, 'A publish');
      await watcher.waitFor((m) => m.type === 'changes' && m.changes.some((c) => c.id === A.pa.id && c.version === pa.version), { what: 'A sees its edit' });
      await eventually(() => rcvA.acked().some((r) => r.body.includes(`${SECRET} live`)), { timeout: 20000 });
      // then B writes: once B's readers have that, they had their chance at A's
      const mark = await create(B.admin, 'products', { title: 'B marker', price: 1, status: 'active' });
      const bo = await ok(await order(B.c1, orderBody({}, () => B.pb)), 201, 'B order');
      await sock.waitFor((m) => m.type === 'changes' && m.changes.some((c) => c.id === mark.id), { what: 'B marker on WS' });
      await sock.waitFor((m) => m.type === 'changes' && m.changes.some((c) => c.id === bo.id), { what: 'B order on WS' });
      await streams[0].waitFor((e) => e.event === 'changes' && e.data.changes.some((c) => c.id === bo.id), { what: 'B order on SSE' });
      await streams[1].waitFor((e) => e.event === 'changes' && e.data.changes.some((c) => c.id === mark.id), { what: 'B marker on SSE' });
      assert.ok(await eventually(() => rcvB.acked().some((r) => r.body.includes(bo.id)), { timeout: 20000 }), 'B\'s hook got B\'s order');
      return {
        kind: 'ws', answers: [], status: 200,
        text: JSON.stringify([sock.items, streams.map((s) => s.items), rcvB.requests.map((r) => r.body)]),
      };
    } finally {
      sock.terminate();
      watcher.terminate();
      for (const s of streams) s.close();
    }
  },
  refused: EMPTY,
});

// 2. Escalation by token: lesser roles calling what only others may
const escalations = [
  // [role, method, path label, path, body]
  ['public', 'post', '/api/products', null, { title: 'x', price: 1 }],
  ['public', 'get', '/api/customers'],
  ['public', 'get', '/api/orders'],
  ['public', 'get', '/api/stats'],
  ['public', 'post', '/api/bills', null, () => ({ customer_id: A.c1id, amount: 1 })],
  ['public', 'post', '/api/stock/adjust', null, () => ({ variant_id: A.pa.variants[0].id, delta: 1 })],
  ['c1', 'post', '/api/products', null, { title: 'x', price: 1 }],
  ['c1', 'post', '/api/customers', null, { name: 'x', email: 'x@x.example', kind: 'partner' }],
  ['c1', 'patch', '/api/customers/{own}', () => `/api/customers/${A.c1id}`, { kind: 'partner' }],
  ['c1', 'post', '/api/orders/{own}/confirm', () => `/api/orders/${A.o1.id}/confirm`],
  ['c1', 'post', '/api/bills/{own}/pay', () => `/api/bills/${A.b1.id}/pay`, { amount: 1, method: 'cash' }],
  ['c1', 'post', '/api/bills', null, () => ({ customer_id: A.c1id, amount: 1 })],
  ['c1', 'get', '/api/stock_movements'],
  ['c1', 'get', '/api/alerts'],
  ['c1', 'get', '/api/stats'],
  ['c1', 'get', '/api/sync?entities=stats'],
  ['public', 'get', '/api/sync/digest?entities=stats'],
  ['c2', 'post', '/api/stock/adjust', null, () => ({ variant_id: A.pa.variants[0].id, delta: 1 })],
  ['staff', 'post', '/api/products', null, { title: 'x', price: 1 }],
  ['staff', 'patch', '/api/products/{id}', () => `/api/products/${A.pa.id}`, { price: 1 }],
  ['staff', 'patch', '/api/customers/{A1}', () => `/api/customers/${A.c1id}`, { kind: 'partner' }],
  ['staff', 'del', '/api/customers/{A1}', () => `/api/customers/${A.c1id}`],
  ['staff', 'patch', '/api/shop', null, { name: 'taken' }],
  ['staff', 'post', '/api/stock/sync', null, { levels: [{ sku: 'VSKU-A', stock: 0 }] }],
  ['staff', 'post', '/api/bills/{id}/void', () => `/api/bills/${A.b1.id}/void`],
  ['staff', 'get', '/api/webhooks/{id}', () => `/api/webhooks/${A.hook.id}`],
  ['staff', 'post', '/api/webhooks', null, () => ({ url: rcvB.url, topics: ['orders'] })],
  ['staff', 'put', '/api/topics/erp.private', null, { read: ['staff', 'public'] }],
  ['staff', 'post', '/api/publish', null, { topic: 'warehouse.secret', key: 'vkey-1', data: 1 }],
  ['staff', 'get', '/api/sync?entities=erp.private'],
  ['service', 'post', '/api/bills', null, () => ({ customer_id: A.c1id, amount: 1 })],
  ['service', 'post', '/api/bills/{id}/void', () => `/api/bills/${A.b1.id}/void`],
  ['service', 'patch', '/api/products/{id}', () => `/api/products/${A.pa.id}`, { price: 1 }],
  ['service', 'patch', '/api/shop', null, { name: 'taken' }],
  ['service', 'get', '/api/webhooks'],
  ['service', 'put', '/api/topics/erp.private', null, { read: ['public'] }],
  ['admin', 'patch', '/api/orders/{id} {status}', () => `/api/orders/${A.o1.id}`, { status: 'fulfilled' }],
  ['admin', 'patch', '/api/bills/{id} {status, paid_amount}', () => `/api/bills/${A.b1.id}`, { status: 'paid', paid_amount: 900 }],
  ['admin', 'post', '/api/stock_movements', null, () => ({ product_id: A.pa.id, variant_id: A.pa.variants[0].id, delta: 100, reason: 'sale' })],
  ['staff', 'del', '/api/orders/{id}', () => `/api/orders/${A.o1.id}`],
];
for (const [role, method, label, path, body] of escalations) {
  const p = () => (path ? path() : label);
  const b = () => (typeof body === 'function' ? body() : body);
  row({
    cat: 'escalation by token', name: `A ${role} ${method.toUpperCase()} ${label}`, as: `A.${role}`, via: label.includes('webhooks') ? 'webhooks' : label.includes('topics') || label.includes('publish') ? 'publish' : 'REST',
    attempt: () => {
      const c = A[role === 'public' ? 'pub' : role];
      if (method === 'get' || method === 'del') return c[method](p());
      return c[method](p(), b() ?? undefined, method === 'patch' ? MP : { headers: { 'Idempotency-Key': `esc-${Math.random()}` } });
    },
    refused: P(403, 'forbidden'),
  });
}
for (const [as, steps, code] of [
  ['A.staff', () => [sub('erp.private')], 'forbidden'],
  ['A.c1', () => [sub('stock_movements')], 'forbidden'],
  ['A.public', () => [sub('customers')], 'forbidden'],
  ['A.c2', () => [sub('stats')], 'forbidden'],
  ['A.public', () => [sub('products', { status: 'draft' })], 'forbidden_filter'],
]) {
  row({ cat: 'escalation by token', name: `${as} subscribes ${JSON.stringify(steps()[0].topic)}${steps()[0].filter ? ' filtered on status' : ''}`, as, via: 'WebSocket', attempt: () => ws(as, steps()), refused: WS(code) });
}
row({
  cat: 'escalation by token', name: 'A staff streams a topic declared for service only', as: 'A.staff', via: 'SSE',
  attempt: () => sse('A.staff', { topic: 'erp.private' }), refused: P(403, 'forbidden'),
});
row({
  cat: 'escalation by token', name: 'a staff subscription to a topic hears nothing once the admin takes staff off its readers', as: 'A.staff', via: 'WebSocket+SSE+publish',
  writes: true,
  attempt: async () => {
    await ok(await A.admin.put('/api/topics/erp.shared', { read: ['staff', 'service'] }), 201, 'declare');
    const sock = await LiveSocket.connect(srv.url, A.tok.staff);
    const stream = await SseStream.open(srv.url, { topic: 'erp.shared', access_token: A.tok.staff });
    const watcher = await LiveSocket.connect(srv.url, A.tok.service);
    try {
      sock.send(sub('erp.shared'));
      watcher.send(sub('erp.shared'));
      await sock.waitFor((m) => m.type === 'subscribed', { what: 'staff subscribed' });
      await watcher.waitFor((m) => m.type === 'subscribed', { what: 'service subscribed' });
      await stream.waitFor((e) => e.event === 'subscribed', { what: 'staff SSE subscribed' });
      await ok(await A.admin.put('/api/topics/erp.shared', { read: ['service'] }), 200, 'readers');
      await ok(await A.service.post('/api/publish', { topic: 'erp.shared', key: 'vkey-3', data: { note: SECRET } }), 200, 'publish');
      await watcher.waitFor((m) => m.type === 'changes' && m.changes.some((c) => c.id === 'vkey-3'), { what: 'service hears it' });
      // the staff connections are fed by the same hub pass: a ping after it answers after anything it sent
      sock.send({ type: 'ping' });
      await sock.waitFor((m) => m.type === 'pong', { what: 'pong' });
      return { kind: 'ws', answers: [], msgs: sock.items, text: JSON.stringify([sock.items, stream.items]) };
    } finally {
      sock.terminate();
      stream.close();
      watcher.terminate();
    }
  },
  refused: EMPTY,
});
row({
  cat: 'escalation by token', name: 'A public digest of orders', as: 'A.public', via: 'digest',
  attempt: () => A.pub.get('/api/sync/digest?entities=orders'), refused: P(403, 'forbidden'),
});

// 3. Escalation by body fields
const badOrder = (role, extra, code, status) => row({
  cat: 'escalation by body', name: `A ${role} orders with ${JSON.stringify(extra)}`, as: `A.${role}`, via: 'REST',
  attempt: () => order(A[role === 'public' ? 'pub' : role], orderBody(typeof extra === 'function' ? extra() : extra)),
  refused: P(status, code),
});
badOrder('c1', { customer_id: 'cust_va2' }, 'forbidden', 403);
badOrder('public', { customer_id: 'cust_va1' }, 'forbidden', 403);
badOrder('c1', { status: 'fulfilled' }, 'validation_failed', 422);
badOrder('c1', { status_history: [{ status: 'cancelled', at: '2026-01-01T00:00:00.000Z', actor: 'system' }] }, 'validation_failed', 422);
badOrder('staff', { actor: 'admin:00000000' }, 'validation_failed', 422);
badOrder('c1', { channel: 'pos' }, 'forbidden', 403);
badOrder('c1', { channel: 'partner' }, 'forbidden', 403);
badOrder('public', { channel: 'api' }, 'forbidden', 403);
badOrder('staff', { channel: 'partner' }, 'forbidden', 403);
badOrder('c1', { kind: 'partner' }, 'validation_failed', 422);
badOrder('c1', { total: 1, number: 1 }, 'validation_failed', 422);
row({
  cat: 'escalation by body', name: 'A customer orders at a price of its own', as: 'A.c1', via: 'REST',
  attempt: () => order(A.c1, { items: [item(A.pa, 0, 1, 1)] }),
  refused: {
    problem: [409, 'checkout_corrections'],
    check: (o) => assert.deepEqual(o.body.corrections.map((c) => c.field), ['price']),
  },
});
for (const [role, label, path, body, status, code] of [
  ['staff', 'bills/{id}/pay with actor', () => `/api/bills/${A.b1.id}/pay`, { amount: 1, method: 'cash', actor: 'admin:00000000' }, 422, 'validation_failed'],
  ['service', 'bills/{id}/pay with status', () => `/api/bills/${A.b1.id}/pay`, { amount: 1, method: 'cash', status: 'paid' }, 422, 'validation_failed'],
  ['staff', 'bills/{id}/pay with at', () => `/api/bills/${A.b1.id}/pay`, { amount: 1, method: 'cash', at: '2020-01-01T00:00:00.000Z' }, 422, 'validation_failed'],
  ['staff', 'bills with status, paid_amount', () => '/api/bills', () => ({ customer_id: A.c1id, amount: 5, status: 'paid', paid_amount: 5 }), 422, 'validation_failed'],
  ['staff', 'bills with payments', () => '/api/bills', () => ({ customer_id: A.c1id, amount: 5, payments: [{ amount: 5, method: 'cash' }] }), 422, 'validation_failed'],
  ['staff', 'stock/adjust with actor', () => '/api/stock/adjust', () => ({ variant_id: A.pa.variants[0].id, delta: 1, actor: 'admin:00000000' }), 422, 'validation_failed'],
  ['staff', 'stock/adjust with reason sale', () => '/api/stock/adjust', () => ({ variant_id: A.pa.variants[0].id, delta: -1, reason: 'sale' }), 422, 'validation_failed'],
  ['service', 'stock/adjust with reason sync', () => '/api/stock/adjust', () => ({ variant_id: A.pa.variants[0].id, delta: 1, reason: 'sync' }), 422, 'validation_failed'],
  ['staff', 'stock/adjust with order_id', () => '/api/stock/adjust', () => ({ variant_id: A.pa.variants[0].id, delta: 1, order_id: A.o1.id }), 422, 'validation_failed'],
  ['service', 'stock/sync with actor', () => '/api/stock/sync', { levels: [{ sku: 'VSKU-A', stock: 9, actor: 'admin:00000000' }] }, 422, 'validation_failed'],
  ['c1', 'checkout/validate with customer_id', () => '/api/checkout/validate', () => ({ items: [item(A.pa)], customer_id: A.c2id }), 422, 'validation_failed'],
  ['service', 'publish with actor', () => '/api/publish', { topic: 'warehouse.secret', key: 'vkey-1', data: 1, actor: 'admin:00000000' }, 422, 'validation_failed'],
]) {
  row({
    cat: 'escalation by body', name: `A ${role} POST /api/${label}`, as: `A.${role}`, via: label.startsWith('publish') ? 'publish' : 'REST',
    attempt: () => A[role].post(path(), typeof body === 'function' ? body() : body, { headers: { 'Idempotency-Key': `esc-${Math.random()}` } }),
    refused: P(status, code),
  });
}

// 4. A customer reaching another customer's orders and bills, or learning they exist
const same = (name, via, probe, victimId, missingId, status, code) => row({
  cat: 'customer vs customer', victim: 'A1', name, as: 'A.c2', via,
  attempt: async () => {
    const theirs = await probe(victimId());
    const none = await probe(missingId);
    return { ...theirs, none };
  },
  refused: {
    ...(code ? { problem: [status, code] } : { empty: true }),
    check: (o) => {
      assert.equal(o.status, o.none.status, 'exists-but-not-yours answers as does-not-exist');
      const norm = (text, id) => text.split(id).join('{id}');
      assert.equal(norm(o.text, victimId()), norm(o.none.text, missingId), 'the same body but for the id');
    },
  },
});
same('A2 GETs A1\'s order', 'REST', (id) => A.c2.get(`/api/orders/${id}`), () => A.o1.id, MISSING.orders, 404, 'not_found');
same('A2 GETs A1\'s bill', 'REST', (id) => A.c2.get(`/api/bills/${id}`), () => A.bManual.id, MISSING.bills, 404, 'not_found');
same('A2 GETs A1\'s customer record', 'REST', (id) => A.c2.get(`/api/customers/${id}`), () => A.c1id, MISSING.customers, 404, 'not_found');
same('A2 lists orders?customer_id=A1', 'REST', (id) => A.c2.get(`/api/orders?customer_id=${id}`), () => A.c1id, MISSING.customers, 403, 'forbidden');
same('A2 lists bills?customer_id=A1', 'REST', (id) => A.c2.get(`/api/bills?customer_id=${id}`), () => A.c1id, MISSING.customers, 403, 'forbidden');
same('A2 lists bills?order_id=A1\'s order', 'REST', (id) => A.c2.get(`/api/bills?order_id=${id}`), () => A.o1.id, MISSING.orders);
same('A2 cancels A1\'s order', 'REST', (id) => A.c2.post(`/api/orders/${id}/cancel`), () => A.o1.id, MISSING.orders, 403, 'forbidden');
same('A2 pays A1\'s bill', 'REST', (id) => A.c2.post(`/api/bills/${id}/pay`, { amount: 1, method: 'cash' }), () => A.b1.id, MISSING.bills, 403, 'forbidden');
same('A2 digest of A1\'s order ids', 'digest', (id) => A.c2.get(`/api/sync/digest?${q({ entities: 'orders', ids: id })}`), () => A.o1.id, MISSING.orders);
same('A2 digest of bills filtered on A1', 'digest',
  (id) => A.c2.get(`/api/sync/digest?${q({ entities: 'bills', filter: JSON.stringify({ customer_id: id }) })}`), () => A.c1id, MISSING.customers, 403, 'forbidden_filter');
same('A2 streams bills filtered on A1', 'SSE', (id) => sse('A.c2', { topic: 'bills', filter: { customer_id: id } }), () => A.c1id, MISSING.customers, 403, 'forbidden_filter');
same('A2 GETs A1\'s order with If-None-Match', 'REST', (id) => A.c2.get(`/api/orders/${id}`, { headers: { 'If-None-Match': '"1"' } }), () => A.o1.id, MISSING.orders, 404, 'not_found');
same('A2 orders for customer A1', 'REST', (id) => order(A.c2, orderBody({ customer_id: id })), () => A.c1id, MISSING.customers, 403, 'forbidden');
same('A2 lists customers?email= of A1', 'REST', (id) => A.c2.get(`/api/customers?email=${id}`), () => 'a1@victim.example', 'nobody@victim.example');
same('A2 streams bills of A1\'s order', 'SSE', (id) => sse('A.c2', { topic: 'bills', filter: { order_id: id } }), () => A.o1.id, MISSING.orders);
row({
  cat: 'customer vs customer', victim: 'A1', name: 'A2 subscribes to orders filtered on A1: as refused as an unknown customer', as: 'A.c2', via: 'WebSocket',
  attempt: async () => {
    const theirs = await ws('A.c2', [sub('orders', { customer_id: A.c1id })]);
    const none = await ws('A.c2', [sub('orders', { customer_id: MISSING.customers })]);
    return { ...theirs, none };
  },
  refused: { wsError: 'forbidden_filter', check: (o) => assert.equal(o.none.answers[0].code, 'forbidden_filter') },
});
for (const [coll, ownId, ids] of [['orders', () => A.oA2.id, () => [A.o1.id, A.o2.id]], ['bills', () => A.bA2.id, () => [A.b1.id, A.bManual.id]], ['customers', () => A.c2id, () => [A.c1id]]]) {
  row({
    cat: 'customer vs customer', victim: 'A1', name: `A2 subscribes to A1's ${coll} by id, then watches them`, as: 'A.c2', via: 'WebSocket',
    attempt: () => ws('A.c2', [sub(coll, { ids: ids() }), watch([...ids(), ownId()], ownId())]), refused: EMPTY,
  });
  row({
    cat: 'customer vs customer', victim: 'A1', name: `A2 streams A1's ${coll} by id`, as: 'A.c2', via: 'SSE',
    attempt: () => sse('A.c2', { topic: coll, filter: { ids: [...ids(), ownId()] } }, { until: ownId() }), refused: EMPTY,
  });
  row({
    cat: 'customer vs customer', victim: 'A1', name: `A2 lists ${coll}`, as: 'A.c2', via: 'REST',
    attempt: () => A.c2.get(`/api/${coll}`), refused: { empty: true, check: (o) => assert.deepEqual(o.body.data.map((r) => r.id), [ownId()]) },
  });
}
row({
  cat: 'customer vs customer', victim: 'A1', name: 'while A1\'s order and bill change, A2\'s subscriptions naming them (and A2\'s SSE) carry none of it', as: 'A.c2', via: 'WebSocket+SSE',
  writes: true,
  attempt: async () => {
    const sock = await LiveSocket.connect(srv.url, A.tok.c2);
    const shopper = await LiveSocket.connect(srv.url, A.tok.public);
    const streams = [];
    try {
      for (const [name, topic, filter] of [['o', 'orders', { ids: [A.o2.id, A.oA2.id] }], ['b', 'bills', { ids: [A.b1.id, A.bA2.id] }],
        ['oa', 'orders', null], ['ba', 'bills', null], ['c', 'customers', { ids: [A.c1id, A.c2id] }]]) {
        sock.send({ type: 'subscribe', sub: name, topic, ...(filter ? { filter } : {}) });
        await sock.waitFor((m) => m.sub === name && m.type === 'subscribed', { what: `A2 ${name}` });
      }
      shopper.send(sub('products', { ids: [A.pd.id, A.pa.id] }));
      await shopper.waitFor((m) => m.type === 'subscribed', { what: 'shopper subscribed' });
      streams.push(await SseStream.open(srv.url, { topic: 'orders', filter: { ids: [A.o2.id, A.oA2.id] }, access_token: A.tok.c2 }));
      streams.push(await SseStream.open(srv.url, { topic: 'bills', access_token: A.tok.c2 }));
      for (const st of streams) await st.waitFor((e) => e.event === 'subscribed', { what: 'A2 SSE subscribed' });
      const from = sock.items.length;
      const sFrom = streams.map((st) => st.items.length);
      // A1's order, bill and customer record change, and a draft the shopper named
      await ok(await A.staff.post(`/api/orders/${A.o2.id}/confirm`), 200, 'confirm A1\'s order');
      await ok(await A.staff.post(`/api/bills/${A.b1.id}/pay`, { amount: 1, method: 'cash' }), 200, 'pay A1\'s bill');
      await ok(await A.admin.patch(`/api/customers/${A.c1id}`, { name: `${PRIVATE} renamed` }, MP), 200, 'rename A1');
      await ok(await A.admin.patch(`/api/products/${A.pd.id}`, { description: `${PRIVATE} draft edit` }, MP), 200, 'edit the draft');
      // then A2's own: once those arrive, A1's had their chance
      const mine = await ok(await A.staff.post(`/api/orders/${A.oA2.id}/confirm`), 200, 'confirm A2\'s order');
      const bill = await ok(await A.staff.post(`/api/bills/${A.bA2.id}/pay`, { amount: 1, method: 'cash' }), 200, 'pay A2\'s bill');
      const pa = await ok(await A.admin.patch(`/api/products/${A.pa.id}`, { description: 'marker' }, MP), 200, 'edit the active product');
      const has = (id, version) => (m) => m.type === 'changes' && m.changes.some((c) => c.id === id && c.version === version);
      for (const name of ['o', 'oa']) await sock.waitFor((m) => m.sub === name && has(mine.id, mine.version)(m), { from, what: `A2's order on ${name}` });
      for (const name of ['b', 'ba']) await sock.waitFor((m) => m.sub === name && has(bill.id, bill.version)(m), { from, what: `A2's bill on ${name}` });
      await shopper.waitFor(has(pa.id, pa.version), { what: 'the active product' });
      await streams[0].waitFor((e) => e.event === 'changes' && e.data.changes.some((c) => c.id === mine.id && c.version === mine.version), { what: 'SSE order' });
      await streams[1].waitFor((e) => e.event === 'changes' && e.data.changes.some((c) => c.id === bill.id && c.version === bill.version), { what: 'SSE bill' });
      const live = [sock.items.slice(from), streams.map((st, i) => st.items.slice(sFrom[i])), shopper.items];
      return { kind: 'ws', answers: [], status: 200, text: JSON.stringify(live) };
    } finally {
      sock.terminate();
      shopper.terminate();
      for (const st of streams) st.close();
    }
  },
  refused: { empty: true, check: (o) => assert.ok(!o.text.includes(A.pd.id), 'the shopper never hears of the draft') },
});
row({
  cat: 'customer vs customer', victim: 'A1', name: 'A2 syncs orders, bills and customers', as: 'A.c2', via: 'sync',
  attempt: () => A.c2.get('/api/sync?entities=orders,bills,customers&limit=1000'), refused: EMPTY,
});
row({
  cat: 'customer vs customer', victim: 'A1', name: 'A2 re-sends A1\'s order with A1\'s Idempotency-Key', as: 'A.c2', via: 'REST',
  attempt: () => order(A.c2, { items: [item(A.pa, 0, 1)] }, { key: 'victim-key-1' }),
  refused: { problem: [422, 'idempotency_key_reused'] },
});

// 5. Revoked tokens, on every transport
for (const [role, via, label, attempt, refused] of [
  ['admin', 'REST', 'GET /api/products', (c) => c.get('/api/products'), P(401, 'invalid_token')],
  ['admin', 'REST', 'POST /api/products', (c) => c.post('/api/products', { title: 'after revoke', price: 1 }), P(401, 'invalid_token')],
  ['customer', 'REST', 'GET /api/orders', (c) => c.get('/api/orders'), P(401, 'invalid_token')],
  ['customer', 'REST', 'POST /api/orders', (c) => order(c, orderBody()), P(401, 'invalid_token')],
  ['customer', 'REST', 'POST /api/orders retried with its Idempotency-Key', (c) => order(c, orderBody(), { key: 'revoked-key-1' }), P(401, 'invalid_token')],
  ['public', 'REST', 'GET /api/products/{id}', (c) => c.get(`/api/products/${A.pa.id}`), P(401, 'invalid_token')],
  ['public', 'REST', 'POST /api/checkout/validate', (c) => c.post('/api/checkout/validate', { items: [item(A.pa)] }), P(401, 'invalid_token')],
  ['staff', 'sync', 'GET /api/sync', (c) => c.get('/api/sync?entities=products'), P(401, 'invalid_token')],
  ['service', 'digest', 'GET /api/sync/digest', (c) => c.get('/api/sync/digest?entities=products'), P(401, 'invalid_token')],
  ['admin', 'webhooks', 'GET /api/webhooks', (c) => c.get('/api/webhooks'), P(401, 'invalid_token')],
  ['admin', 'webhooks', 'POST /api/webhooks', (c) => c.post('/api/webhooks', { url: rcvB.url, topics: ['orders'] }), P(401, 'invalid_token')],
  ['admin', 'webhooks', 'POST /api/webhooks/{id}/replay', (c) => c.post(`/api/webhooks/${A.hook.id}/replay`, { since: 'c0' }), P(401, 'invalid_token')],
  ['admin', 'publish', 'PUT /api/topics/{name}', (c) => c.put('/api/topics/warehouse.secret', { read: ['public'] }), P(401, 'invalid_token')],
  ['service', 'publish', 'POST /api/publish', (c) => c.post('/api/publish', { topic: 'warehouse.secret', key: 'vkey-1', data: 2 }), P(401, 'invalid_token')],
]) {
  row({ cat: 'revoked token', name: `revoked ${role}: ${label}`, as: `A-revoked.${role}`, via, attempt: () => attempt(clientOf(`A-revoked.${role}`)), refused });
}
for (const role of ['admin', 'customer', 'public']) {
  row({ cat: 'revoked token', name: `revoked ${role} connects a WebSocket (?access_token=)`, as: `A-revoked.${role}`, via: 'WebSocket', attempt: () => ws(`A-revoked.${role}`, []), refused: P(401, 'invalid_token') });
}
row({ cat: 'revoked token', name: 'revoked staff connects a WebSocket (Authorization header)', as: 'A-revoked.staff', via: 'WebSocket', attempt: () => ws('A-revoked.staff', [], { header: true }), refused: P(401, 'invalid_token') });
for (const role of ['staff', 'customer']) {
  row({ cat: 'revoked token', name: `revoked ${role} opens an SSE stream`, as: `A-revoked.${role}`, via: 'SSE', attempt: () => sse(`A-revoked.${role}`, { topic: 'products' }), refused: P(401, 'invalid_token') });
}
row({
  cat: 'revoked token', name: 'a WebSocket open before the revoke is closed: error token_revoked, close 1008', as: 'A-revoked.wsCustomer', via: 'WebSocket',
  attempt: async () => {
    await eventually(() => revoked.ws.closed, { timeout: 20000 });
    const items = revoked.ws.items;
    const after = items.slice(items.findIndex((m) => m.type === 'error') + 1);
    return { kind: 'ws', answers: [], msgs: items, text: JSON.stringify(after) };
  },
  refused: {
    empty: true,
    check: (o) => {
      assert.equal(revoked.ws.closed, true, 'closed within the recheck interval');
      assert.equal(revoked.ws.closeCode, 1008);
      assert.equal(o.msgs.filter((m) => m.type === 'error').at(-1)?.code, 'token_revoked');
      assert.equal(o.text, '[]', 'nothing after the error');
    },
  },
});
row({
  cat: 'revoked token', name: 'an SSE stream open before the revoke ends with event error token_revoked', as: 'A-revoked.sseStaff', via: 'SSE',
  attempt: async () => {
    await eventually(() => revoked.sse.closed, { timeout: 20000 });
    const items = revoked.sse.items;
    const after = items.slice(items.findIndex((e) => e.event === 'error') + 1);
    return { kind: 'sse', status: 200, items, text: JSON.stringify(after) };
  },
  refused: {
    empty: true,
    check: (o) => {
      assert.equal(revoked.sse.closed, true, 'ended within the recheck interval');
      assert.equal(o.items.filter((e) => e.event === 'error').at(-1)?.data?.code, 'token_revoked');
      assert.equal(o.text, '[]', 'nothing after the error');
    },
  },
});

row({
  cat: 'revoked token', name: 'a sync long poll held across the revoke answers 401, not the change written after it', as: 'A-revoked.pollService', via: 'sync',
  attempt: () => revoked.poll, refused: P(401, 'invalid_token'),
});

// 6. Tokens never in the logs
row({
  cat: 'logs', name: 'a token on a REST URL is refused (it would end up in logs)', as: 'B.admin', via: 'REST',
  attempt: () => capi(srv.url, null).get(`/api/products?access_token=${B.tok.admin}`), refused: P(401, 'unauthorized'),
});
row({
  cat: 'logs', name: 'no token, nor a piece of one, in the server\'s stdout or stderr', as: 'every token', via: 'logs', writes: true,
  attempt: async () => {
    // every token, and bad ones, once more in every way a client sends one
    const bad = ['sk_' + 'f'.repeat(64), `${B.tok.admin.slice(0, -1)}0`, 'pk_short', `Basic ${B.tok.admin}`];
    for (const t of bad) used.add(t);
    for (const t of used) {
      await capi(srv.url, t).get('/api/products');
      await capi(srv.url, null).get('/api/products', { headers: { Authorization: t } });
      await capi(srv.url, null).get(`/api/products?access_token=${encodeURIComponent(t)}`);
      await capi(srv.url, null).get(`/api/products/${encodeURIComponent(t)}`);
      for (const header of [false, true]) {
        const s = await LiveSocket.connect(srv.url, t, { header }).catch(() => null);
        s?.terminate();
      }
      const e = await SseStream.open(srv.url, { topic: 'products', access_token: t });
      e.close();
    }
    const logs = `${srv.stdout}\n${srv.stderr}`;
    assert.match(logs, /listening on/, 'the log is read');
    const found = [];
    for (const t of used) {
      const secret = t.replace(/^[a-z]+_/, '');
      const pieces = [t, t.slice(0, 8)];
      for (let i = 0; i + 12 <= secret.length; i += 4) pieces.push(secret.slice(i, i + 12));
      for (const piece of pieces) if (piece.length >= 8 && logs.includes(piece)) found.push(piece);
    }
    return { kind: 'logs', status: 200, text: '', found, logs };
  },
  refused: { check: (o) => assert.deepEqual(o.found, [], `token pieces in the logs:\n${o.logs.slice(0, 2000)}`) },
});

// ------------------------------------------------------------ the runner --

test('the table covers every category and transport', () => {
  const cats = new Map();
  for (const r of ROWS) cats.set(r.cat, (cats.get(r.cat) ?? 0) + 1);
  for (const c of ['cross-tenant', 'escalation by token', 'escalation by body', 'customer vs customer', 'revoked token', 'logs']) {
    assert.ok(cats.get(c) > 0, `no row of ${c}`);
  }
  const vias = new Set(ROWS.flatMap((r) => r.via.split('+')));
  for (const v of ['REST', 'sync', 'digest', 'WebSocket', 'SSE', 'webhooks', 'publish', 'logs']) assert.ok(vias.has(v), `no row over ${v}`);
});

for (const r of ROWS) {
  test(`[${r.cat}] ${r.name} (${r.as} via ${r.via})`, async () => {
    const before = r.writes ? null : await victimState();
    const out = await r.attempt();
    assertRefused(r, out);
    if (before) assert.deepEqual(await victimState(), before, 'the victim\'s data is unchanged');
  });
}
