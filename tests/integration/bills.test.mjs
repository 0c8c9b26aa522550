// Bills (SPEC §5): numbered, one per customer order and manual ones by admin
// and staff; payments in parts up to the amount, 409 overpayment beyond it;
// void by the admin only, keeping the payments as refund_due; an order's
// cancel voids its bill; a retried payment pays once; a customer's live
// subscription sees its own bills change and never another's.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { create, listAll, assertProblem } from './lib/check.mjs';
import { View, LiveSocket, subscribeOk, eventually } from './lib/live.mjs';
import { order, item, burst, newKey, shopWithRoles, RFC3339_MS } from './lib/commerce.mjs';

let srv;
let t;
let admin;
let staff;
let service;
let pub;
let custA; // customer token of cust_a
let custB;
let p;

before(async () => {
  srv = await startServer();
  const shop = await shopWithRoles(srv, 'bills-shop', ['cust_a', 'cust_b']);
  ({ t, admin, pub, staff, service } = shop);
  t.custAToken = shop.tokens.cust_a;
  ({ cust_a: custA, cust_b: custB } = shop.customers);
  p = await create(admin, 'products', { title: 'Billed', sku: 'BIL', price: 700, status: 'active', variants: [{ sku: 'BIL', options: {}, stock: 100000 }] });
});
after(async () => { await srv?.stop(); });

function pay(client, billId, body, { key = newKey('pay'), headers = {} } = {}) {
  return client.post(`/api/bills/${billId}/pay`, body, { headers: { 'Idempotency-Key': key, ...headers } });
}
function voidBill(client, billId) {
  return client.post(`/api/bills/${billId}/void`, undefined, { headers: { 'Idempotency-Key': newKey('void') } });
}
function bill(client, body) {
  return client.post('/api/bills', body, { headers: { 'Idempotency-Key': newKey('bill') } });
}
async function orderWithBill(client, qty, customerId) {
  const o = await order(client, { items: [item(p, 0, qty)], ...(customerId ? { customer_id: customerId } : {}) });
  assert.equal(o.status, 201, o.text);
  const bills = await listAll(admin, `/api/bills?order_id=${o.body.id}`);
  assert.equal(bills.length, 1, `one bill for order ${o.body.id}`);
  return { order: o.body, bill: bills[0] };
}
async function getBill(id) {
  const r = await admin.get(`/api/bills/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}
function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: ${res.status} ${res.text.slice(0, 400)}`);
  return res.body;
}

test('a bill is paid in parts: unpaid → partially_paid → paid, each payment kept with who took it', async () => {
  const { order: o, bill: b } = await orderWithBill(custA, 3);
  assert.equal(b.customer_id, 'cust_a');
  assert.equal(b.amount, o.total);
  assert.equal(b.amount, 2100);
  assert.ok(Number.isInteger(b.number) && b.number >= 1, `number ${b.number}`);
  assert.equal(b.status, 'unpaid');
  assert.equal(b.paid_amount, 0);
  assert.deepEqual(b.payments, []);
  assert.equal(b.refund_due, undefined);

  const part = ok(await pay(staff, b.id, { amount: 1000, method: 'card', reference: 'R-1' }), 200, 'first payment');
  assert.equal(part.status, 'partially_paid');
  assert.equal(part.paid_amount, 1000);
  assert.equal(part.version, b.version + 1);
  assert.equal(part.payments.length, 1);
  const [first] = part.payments;
  assert.equal(first.amount, 1000);
  assert.equal(first.method, 'card');
  assert.equal(first.reference, 'R-1');
  assert.match(first.at, RFC3339_MS);
  assert.match(first.actor, /^staff:[0-9a-f]{8}$/);

  const full = ok(await pay(service, b.id, { amount: 1100, method: 'transfer' }), 200, 'second payment');
  assert.equal(full.status, 'paid');
  assert.equal(full.paid_amount, 2100);
  assert.equal(full.payments.length, 2);
  assert.equal(full.payments[1].reference, undefined);
  assert.match(full.payments[1].actor, /^service:[0-9a-f]{8}$/);
  assert.deepEqual(await getBill(b.id), full, 'a fresh read is the answer');
  assertProblem(await pay(admin, b.id, { amount: 1, method: 'cash' }), 409, 'overpayment');
});

test('overpayment and a payment on a void bill are refused and change nothing', async () => {
  const b = ok(await bill(admin, { customer_id: 'cust_b', amount: 500 }), 201, 'manual bill');
  const over = await pay(staff, b.id, { amount: 600, method: 'cash' });
  assertProblem(over, 409, 'overpayment');
  assert.equal(over.body.open_amount, 500);
  assert.deepEqual(await getBill(b.id), b, 'nothing changed');

  ok(await pay(staff, b.id, { amount: 200, method: 'cash' }), 200, 'part payment');
  assert.ok((await listAll(admin, '/api/bills?status=partially_paid')).some((x) => x.id === b.id), 'filtered by its status');
  assert.ok(!(await listAll(admin, '/api/bills?status=unpaid')).some((x) => x.id === b.id), 'no longer unpaid');
  const over2 = await pay(staff, b.id, { amount: 301, method: 'cash' });
  assertProblem(over2, 409, 'overpayment');
  assert.equal(over2.body.open_amount, 300);

  const voided = ok(await voidBill(admin, b.id), 200, 'void');
  assert.equal(voided.status, 'void');
  assert.equal(voided.paid_amount, 200);
  assert.equal(voided.refund_due, 200);
  assert.equal(voided.payments.length, 1);
  assertProblem(await pay(staff, b.id, { amount: 1, method: 'cash' }), 409, 'bill_void');
  assertProblem(await voidBill(admin, b.id), 409, 'bill_void');
  assert.deepEqual(await getBill(b.id), voided, 'nothing changed');
});

test('admin and staff bill, admin alone voids, staff and service take payments; customers and public do none of it', async () => {
  const dueAt = '2027-01-31T12:00:00+01:00';
  const res = await bill(staff, { customer_id: 'cust_b', amount: 1234, due_at: dueAt, note: 'repair' });
  const b = ok(res, 201, 'manual bill by staff');
  assert.equal(res.headers.get('location'), `/api/bills/${b.id}`);
  assert.equal(b.status, 'unpaid');
  assert.equal(b.amount, 1234);
  assert.equal(b.due_at, '2027-01-31T11:00:00.000Z');
  assert.equal(b.note, 'repair');
  assert.equal(b.order_id, undefined);
  const b2 = ok(await bill(admin, { customer_id: 'cust_b', amount: 1 }), 201, 'manual bill by admin');
  assert.ok(b2.number > b.number, `numbers ${b.number} then ${b2.number}`);

  for (const client of [service, custB, pub])
    assertProblem(await bill(client, { customer_id: 'cust_b', amount: 5 }), 403, 'forbidden');
  for (const client of [staff, service, custB, pub]) assertProblem(await voidBill(client, b.id), 403, 'forbidden');
  for (const client of [custB, pub]) assertProblem(await pay(client, b.id, { amount: 1, method: 'cash' }), 403, 'forbidden');
  assertProblem(await admin.patch(`/api/bills/${b.id}`, { status: 'paid' }, { contentType: 'application/merge-patch+json' }), 403, 'forbidden');
  assert.deepEqual(await getBill(b.id), b, 'no refused call changed the bill');

  assertProblem(await bill(admin, { customer_id: 'cust_b', amount: 0 }), 422, 'validation_failed', { field: 'amount' });
  assertProblem(await bill(admin, { customer_id: 'nobody', amount: 5 }), 422, 'validation_failed', { field: 'customer_id' });
  assertProblem(await bill(admin, { customer_id: 'cust_b', amount: 5, status: 'paid' }), 422, 'validation_failed', { field: 'status' });
  assertProblem(await pay(admin, b.id, { amount: 5, method: 'bitcoin' }), 422, 'validation_failed', { field: 'method' });
  assertProblem(await pay(admin, b.id, { amount: -5, method: 'cash' }), 422, 'validation_failed', { field: 'amount' });
  assertProblem(await pay(admin, 'bill_nope', { amount: 5, method: 'cash' }), 404, 'not_found');
  assertProblem(await pay(admin, b.id, { amount: 5, method: 'cash' }, { headers: { 'If-Match': `"${b.version + 7}"` } }), 412, 'version_mismatch');
  assertProblem(await admin.post(`/api/bills/${b.id}/pay`, '{"amount":', { headers: { 'Content-Type': 'application/json' } }), 400, 'malformed_json');
  assert.deepEqual(await getBill(b.id), b, 'no bad request changed the bill');
});

test("a cancelled order's bill is void, keeps its payments and shows them as refund_due", async () => {
  const { order: o, bill: b } = await orderWithBill(staff, 2, 'cust_a');
  ok(await pay(staff, b.id, { amount: 500, method: 'cash' }), 200, 'part payment');
  ok(await staff.post(`/api/orders/${o.id}/cancel`), 200, 'cancel');
  const voided = await getBill(b.id);
  assert.equal(voided.status, 'void');
  assert.equal(voided.paid_amount, 500);
  assert.equal(voided.refund_due, 500);
  assert.equal(voided.payments.length, 1);

  const { order: o2, bill: b2 } = await orderWithBill(custA, 1);
  ok(await admin.post(`/api/orders/${o2.id}/cancel`), 200, 'cancel unpaid');
  const voided2 = await getBill(b2.id);
  assert.equal(voided2.status, 'void');
  assert.equal(voided2.refund_due, 0);
});

test('a payment retried with one key pays once; every retry gets the first answer', { timeout: 60000 }, async () => {
  const b = ok(await bill(admin, { customer_id: 'cust_a', amount: 1000 }), 201, 'manual bill');
  const key = newKey('retry');
  const results = await burst(20, () => pay(staff, b.id, { amount: 100, method: 'card' }, { key }));
  assert.deepEqual([...new Set(results.map((r) => r.status))], [200], results.map((r) => r.text.slice(0, 200)).join(' | '));
  for (const r of results) assert.deepEqual(r.body, results[0].body, 'the same answer for every retry');
  assert.equal(results.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 19);
  const now = await getBill(b.id);
  assert.equal(now.paid_amount, 100);
  assert.equal(now.payments.length, 1);
  assertProblem(await pay(staff, b.id, { amount: 200, method: 'card' }, { key }), 422, 'idempotency_key_reused');

  // Different keys, racing for the last open amount: exactly one is taken.
  const racing = await burst(10, () => pay(staff, b.id, { amount: 900, method: 'cash' }));
  assert.equal(racing.filter((r) => r.status === 200).length, 1, racing.map((r) => r.status).join(','));
  for (const r of racing.filter((x) => x.status !== 200)) assertProblem(r, 409, 'overpayment');
  assert.equal((await getBill(b.id)).status, 'paid');
});

test("a customer's live subscription gets its own bills' changes and never another's", { timeout: 60000 }, async () => {
  const sock = await LiveSocket.connect(srv.url, t.custAToken);
  const view = new View('ws bills (cust_a)', { topic: 'bills' });
  try {
    await subscribeOk(sock, { sub: 'b', topic: 'bills', batch_ms: 0 }, view);
    const mine = [];
    const theirs = [];
    for (let i = 0; i < 3; i++) {
      mine.push(ok(await bill(staff, { customer_id: 'cust_a', amount: 300 + i }), 201, 'bill a'));
      theirs.push(ok(await bill(staff, { customer_id: 'cust_b', amount: 300 + i }), 201, 'bill b'));
    }
    mine.push((await orderWithBill(custA, 1)).bill);
    theirs.push((await orderWithBill(custB, 1)).bill);
    for (const list of [mine, theirs]) {
      ok(await pay(staff, list[0].id, { amount: 100, method: 'cash' }), 200, 'pay');
      ok(await pay(service, list[1].id, { amount: 301, method: 'card' }), 200, 'pay in full');
      ok(await voidBill(admin, list[2].id), 200, 'void');
    }
    const expected = (await listAll(admin, '/api/bills?customer_id=cust_a'));
    assert.ok(expected.length >= 4);
    await eventually(() => view.diff(expected) === null, { timeout: 30000 }).catch(() => {
      assert.fail(`the customer's live view differs from its bills: ${view.diff(expected)}`);
    });
    assert.deepEqual(view.violations, []);
    const foreign = new Set((await listAll(admin, '/api/bills?customer_id=cust_b')).map((x) => x.id));
    for (const id of view.allIds) assert.ok(!foreign.has(id), `cust_a was told of cust_b's bill ${id}`);
    const got = view.records.get(mine[2].id).data;
    assert.equal(got.status, 'void');
    assert.equal(got.refund_due, 0);
  } finally {
    sock.close();
  }
});
