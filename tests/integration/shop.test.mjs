// The shop (SPEC §2): GET /api/shop for every role, PATCH /api/shop by the
// admin for its name, IANA time zone and the dashboard's large-order total
// (read by the back-office roles only); currency and id are read-only.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { assertProblem, assertStatus } from './lib/check.mjs';
import { capi, shopWithRoles } from './lib/commerce.mjs';

const MP = { contentType: 'application/merge-patch+json' };

let srv;
let t, admin, staff, pub, service, customer;

before(async () => {
  srv = await startServer();
  let customers;
  ({ t, admin, staff, pub, service, customers } = await shopWithRoles(srv, 'zone-shop', ['c1']));
  customer = customers.c1;
});
after(async () => { await srv?.stop(); });

test('a shop starts in UTC; the admin renames it and sets its time zone, every role reads it', async () => {
  const fresh = (await pub.get('/api/shop')).body;
  assert.deepEqual(fresh, { tenant: t.tenant, name: 'zone-shop', currency: 'USD', time_zone: 'UTC' });
  const etag = (await pub.get('/api/shop')).headers.get('etag');

  const res = await admin.patch('/api/shop', { time_zone: 'Asia/Kathmandu', name: 'Zone Shop' }, MP);
  assertStatus(res, 200, 'PATCH /api/shop');
  const shown = { tenant: t.tenant, name: 'Zone Shop', currency: 'USD', time_zone: 'Asia/Kathmandu' };
  const want = { ...shown, large_order_total: null };
  assert.deepEqual(res.body, want);
  for (const c of [admin, staff, service]) assert.deepEqual((await c.get('/api/shop')).body, want);
  for (const c of [pub, customer]) assert.deepEqual((await c.get('/api/shop')).body, shown);
  const after = await pub.get('/api/shop', { headers: { 'If-None-Match': etag } });
  assert.equal(after.status, 200, 'the old ETag no longer matches');

  // What was read may be sent back whole; an empty patch changes nothing.
  assertStatus(await admin.patch('/api/shop', want, MP), 200, 'the shop sent back as read');
  assert.deepEqual((await admin.patch('/api/shop', {}, MP)).body, want);
  assertStatus(await admin.patch('/api/shop', { time_zone: 'America/Argentina/Buenos_Aires' }, { contentType: 'application/json' }), 200, 'plain JSON');
  assert.equal((await pub.get('/api/shop')).body.time_zone, 'America/Argentina/Buenos_Aires');
});

test('the admin sets and clears the total from which orders stand out; only the back office reads it', async () => {
  const set = await admin.patch('/api/shop', { large_order_total: 25000 }, MP);
  assertStatus(set, 200, 'set the large-order total');
  assert.equal(set.body.large_order_total, 25000);
  for (const c of [admin, staff, service]) assert.equal((await c.get('/api/shop')).body.large_order_total, 25000);
  for (const c of [pub, customer]) assert.equal('large_order_total' in (await c.get('/api/shop')).body, false);
  // A rename keeps it; null clears it.
  assert.equal((await admin.patch('/api/shop', { name: 'Zone Shop' }, MP)).body.large_order_total, 25000);
  assert.equal((await admin.patch('/api/shop', { large_order_total: null }, MP)).body.large_order_total, null);
  assert.equal((await staff.get('/api/shop')).body.large_order_total, null);
});

test('a bad shop patch is refused and changes nothing', async () => {
  const before = (await admin.get('/api/shop')).body;
  for (const [body, field] of [
    [{ time_zone: 'Mars/Olympus_Mons' }, 'time_zone'],
    [{ time_zone: 'utc' }, 'time_zone'],
    [{ time_zone: '../../etc/passwd' }, 'time_zone'],
    [{ time_zone: 5 }, 'time_zone'],
    [{ name: '' }, 'name'],
    [{ currency: 'EUR' }, 'currency'],
    [{ tenant: 'other' }, 'tenant'],
    [{ colour: 'red' }, 'colour'],
    [{ name: 'ok', time_zone: 'Nowhere/Land' }, 'time_zone'],
    [{ large_order_total: 0 }, 'large_order_total'],
    [{ large_order_total: -5 }, 'large_order_total'],
    [{ large_order_total: 12.5 }, 'large_order_total'],
    [{ large_order_total: '100' }, 'large_order_total'],
    [{ large_order_total: 1e13 }, 'large_order_total'],
  ]) assertProblem(await admin.patch('/api/shop', body, MP), 422, 'validation_failed', { field });
  assertProblem(await admin.patch('/api/shop', '[1]', MP), 400, 'malformed_json');
  for (const c of [staff, pub]) assertProblem(await c.patch('/api/shop', { name: 'Mine now' }, MP), 403, 'forbidden');
  assertProblem(await capi(srv.url, null).patch('/api/shop', { name: 'x' }, MP), 401, 'unauthorized');
  assert.deepEqual((await admin.get('/api/shop')).body, before);
});
