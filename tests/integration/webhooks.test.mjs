// Webhooks (SPEC §8): a hook is one more reader of the change log, with a
// stored cursor. Against receivers on 127.0.0.1 (allowed with
// --webhook-allow), with a fast backoff:
// - every change arrives, in order, signed in both schemes (checked with
//   plain HMAC code and with the `standardwebhooks` package); while the
//   receiver answers 500 nothing is lost, and a retried batch carries the
//   same body, cursor and webhook-id;
// - a hook that keeps failing is paused, raises a webhook_paused alert and
//   resumes when switched on;
// - replay from a cursor sends exactly what changed after it;
// - SIGKILL during deliveries loses nothing: delivery resumes from the last
//   acknowledged cursor;
// - a hook carries only its own shop's data; admin only; the secret shows
//   once; targets in refused ranges are refused at creation or never called;
// - https with a certificate from a local CA (--webhook-ca-file), and a
//   certificate from no known CA refused.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, api } from './lib/server.mjs';
import { syncSince, headCursor } from './lib/live.mjs';
import { receiver, delivered, cursorSeq, verifySignatures } from './lib/webhooks.mjs';

const FAST = ['--webhook-allow', '127.0.0.0/8', '--webhook-backoff-ms', '40', '--webhook-pause-after', '6'];
const MP = { contentType: 'application/merge-patch+json' };

let srv;
before(async () => { srv = await startServer({ args: FAST }); });
after(async () => { await srv?.stop(); });

async function eventually(cond, what, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function shop(name) {
  const t = await srv.createTenant(name);
  return { ...t, admin: api(srv.url, t.admin_token) };
}

async function hook(admin, body) {
  const r = await admin.post('/api/webhooks', body);
  assert.equal(r.status, 201, r.text);
  return r.body;
}

const head = (admin) => headCursor(admin, 'products,categories');

test('every change arrives in order, signed; a receiver answering 500 for a while loses nothing', async () => {
  const s = await shop('hooks-order');
  let down = false;
  const rcv = await receiver({ answer: () => (down ? 500 : 200) });
  try {
    const created = await hook(s.admin, { url: rcv.url, topics: ['products', 'categories'] });
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    const read = await s.admin.get(`/api/webhooks/${created.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.secret, undefined, 'a GET never shows the secret');
    assert.equal(read.body.status, 'active');

    const ids = [];
    for (let i = 0; i < 12; i++) {
      ids.push((await s.admin.post('/api/products', { title: `Hooked ${i}`, price: 100 + i })).body.id);
    }
    await s.admin.post('/api/categories', { name: 'Lamps' });
    await eventually(() => rcv.acked().length > 0, 'a first batch');
    down = true;
    for (let i = 0; i < 40; i++) {
      const r = await s.admin.patch(`/api/products/${ids[i % ids.length]}`, { price: 1000 + i }, MP);
      assert.equal(r.status, 200);
    }
    await s.admin.del(`/api/products/${ids[11]}`);
    await eventually(() => rcv.requests.filter((r) => r.status === 500).length >= 3, 'three refused attempts');
    down = false;
    const end = await head(s.admin);
    await eventually(() => rcv.acked().some((r) => r.json.cursor === end), 'delivered up to the head');

    // Every record in its final state, versions and batches only forward.
    const latest = delivered(rcv);
    for (const id of ids.slice(0, 11)) {
      const now = (await s.admin.get(`/api/products/${id}`)).body;
      assert.equal(latest.get(`products/${id}`)?.version, now.version, `${id} delivered at its current version`);
      assert.deepEqual(latest.get(`products/${id}`).data.price, now.price);
    }
    assert.equal(latest.get(`products/${ids[11]}`)?.op, 'delete');
    assert.ok([...latest.keys()].some((k) => k.startsWith('categories/')));

    for (const r of rcv.requests) {
      verifySignatures(r, created.secret);
      assert.equal(r.json.webhook, created.id);
      assert.equal(r.headers['webhook-id'], `${created.id}_${r.json.cursor}`);
    }
    // A retry is the same batch: body, cursor and webhook-id.
    const failed = rcv.requests.findIndex((r) => r.status === 500);
    const retry = rcv.requests[failed + 1];
    assert.equal(retry.headers['webhook-id'], rcv.requests[failed].headers['webhook-id']);
    assert.equal(retry.body, rcv.requests[failed].body);

    const log = await s.admin.get(`/api/webhooks/${created.id}/deliveries`);
    assert.equal(log.status, 200);
    assert.ok(log.body.data.some((a) => a.status === 500 && a.ok === false && a.attempt >= 1));
    assert.ok(log.body.data.some((a) => a.ok && a.cursor === end));
    assert.equal((await s.admin.get(`/api/webhooks/${created.id}`)).body.cursor, end);
  } finally {
    await rcv.close();
  }
});

test('a hook that keeps failing is paused with an alert, and resumes when switched on', async () => {
  const s = await shop('hooks-pause');
  let down = true;
  const rcv = await receiver({ answer: () => (down ? 503 : 200) });
  try {
    const created = await hook(s.admin, { url: rcv.url, topics: ['products'] });
    const p = (await s.admin.post('/api/products', { title: 'Pausing', price: 5 })).body;
    const paused = await eventually(async () => {
      const h = (await s.admin.get(`/api/webhooks/${created.id}`)).body;
      return h.status === 'paused' && h;
    }, 'the hook pauses');
    assert.equal(paused.failures, 6);
    assert.match(paused.paused_reason, /503/);
    const alerts = (await s.admin.get('/api/alerts?kind=webhook_paused')).body.data;
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].webhook_id, created.id);
    const tries = rcv.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(rcv.requests.length, tries, 'a paused hook is not called');

    down = false;
    const on = await s.admin.patch(`/api/webhooks/${created.id}`, { active: true }, MP);
    assert.equal(on.status, 200);
    assert.equal(on.body.status, 'active');
    await eventually(() => rcv.acked().some((r) => r.json.changes.some((c) => c.id === p.id)), 'delivered once on');
  } finally {
    await rcv.close();
  }
});

test('replay from a cursor sends exactly the changes after it', async () => {
  const s = await shop('hooks-replay');
  const rcv = await receiver();
  try {
    const created = await hook(s.admin, { url: rcv.url, topics: ['products'] });
    const a = (await s.admin.post('/api/products', { title: 'A', price: 1 })).body;
    const mark = await head(s.admin);
    const b = (await s.admin.post('/api/products', { title: 'B', price: 2 })).body;
    await s.admin.patch(`/api/products/${a.id}`, { price: 3 }, MP);
    const end = await head(s.admin);
    await eventually(() => rcv.acked().some((r) => r.json.cursor === end), 'delivered');
    const before = rcv.requests.length;

    const r = await s.admin.post(`/api/webhooks/${created.id}/replay`, { since: mark });
    assert.equal(r.status, 200, r.text);
    await eventually(() => rcv.acked().slice(before).some((x) => x.json.cursor === end), 'replayed');
    const replayed = rcv.acked().slice(before).flatMap((x) => x.json.changes);
    const expected = (await syncSince(s.admin, mark, { entities: 'products' })).bodies
      .flatMap((x) => [...x.data.products.added, ...x.data.products.updated]);
    const want = expected.map((x) => `${x.id}@${x.version}`).sort();
    assert.deepEqual(replayed.map((c) => `${c.id}@${c.version}`).sort(), want);
    assert.deepEqual(replayed.map((c) => c.id).sort(), [a.id, b.id].sort());

    assert.equal((await s.admin.post(`/api/webhooks/${created.id}/replay`, { since: 'nope' })).status, 400);
    assert.equal((await s.admin.post(`/api/webhooks/${created.id}/replay`, { since: 'c999999999' })).status, 410);
  } finally {
    await rcv.close();
  }
});

test('SIGKILL during deliveries loses nothing: delivery resumes from the last acknowledged cursor', async () => {
  const own = await startServer({ args: FAST });
  // Slow answers, so the kill lands while batches are in flight.
  const rcv = await receiver({ answer: () => new Promise((r) => setTimeout(() => r(200), 60)) });
  try {
    const t = await own.createTenant('hooks-kill');
    let admin = api(own.url, t.admin_token);
    const created = await hook(admin, { url: rcv.url, topics: ['products'] });
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push((await admin.post('/api/products', { title: `K${i}`, price: i + 1 })).body.id);
    let n = 0;
    const writeSome = async (count) => {
      for (let i = 0; i < count; i++, n++) {
        const r = await admin.patch(`/api/products/${ids[n % ids.length]}`, { price: 500 + n }, MP);
        assert.equal(r.status, 200);
      }
    };
    await writeSome(30);
    await eventually(() => rcv.requests.length >= 2, 'deliveries under way');
    await own.kill9();
    const receivedBeforeKill = rcv.requests.length;
    const restartedAt = Date.now();
    await own.start();
    admin = api(own.url, t.admin_token);
    await writeSome(20);
    const end = await head(admin);
    await eventually(() => rcv.acked().some((r) => r.json.cursor === end), 'delivered up to the head after restart');
    const latest = delivered(rcv, { strict: false });
    for (const id of ids) {
      const now = (await admin.get(`/api/products/${id}`)).body;
      assert.equal(latest.get(`products/${id}`)?.version, now.version, `${id} at its current version`);
    }
    // The restarted server went on from the cursor the old one stored: its
    // first batch ends past it and holds only records changed after it.
    const attempts = (await admin.get(`/api/webhooks/${created.id}/deliveries?limit=100`)).body.data;
    const stored = Math.max(created.cursor ? cursorSeq(created.cursor) : 0,
      ...attempts.filter((a) => a.ok && Date.parse(a.at) < restartedAt).map((a) => cursorSeq(a.cursor)));
    const first = rcv.requests[receivedBeforeKill];
    assert.ok(cursorSeq(first.json.cursor) > stored, `resumed past c${stored}: ${first.json.cursor}`);
    const changedAfter = new Set((await syncSince(admin, `c${stored}`, { entities: 'products' })).bodies
      .flatMap((x) => [...x.data.products.added, ...x.data.products.updated].map((p) => p.id)));
    for (const c of first.json.changes) assert.ok(changedAfter.has(c.id), `${c.id} changed after c${stored}`);
  } finally {
    await rcv.close();
    await own.stop();
  }
});

test('a hook carries only its shop; admin only; bad settings refused; If-Match and delete', async () => {
  const a = await shop('hooks-a');
  const b = await shop('hooks-b');
  const rcv = await receiver();
  try {
    const ha = await hook(a.admin, { url: rcv.url, topics: ['products'] });
    await b.admin.post('/api/products', { title: 'Not A', price: 1 });
    const mine = (await a.admin.post('/api/products', { title: 'Mine', price: 1 })).body;
    await eventually(() => rcv.acked().some((r) => r.json.changes.some((c) => c.id === mine.id)), 'A delivered');
    for (const r of rcv.requests) {
      assert.equal(r.json.webhook, ha.id);
      for (const c of r.json.changes) assert.notEqual(c.data?.title, 'Not A');
    }
    assert.equal((await b.admin.get(`/api/webhooks/${ha.id}`)).status, 404, 'another shop cannot see the hook');
    assert.equal((await b.admin.get('/api/webhooks')).body.data.length, 0);

    const staff = api(srv.url, await srv.createToken(a.tenant, 'staff'));
    assert.equal((await staff.get('/api/webhooks')).status, 403);
    assert.equal((await staff.post('/api/webhooks', { url: rcv.url, topics: ['products'] })).status, 403);

    for (const bad of [
      {},
      { url: rcv.url },
      { url: rcv.url, topics: [] },
      { url: rcv.url, topics: ['nope'] },
      { url: rcv.url, topics: ['products', 'products'] },
      { url: rcv.url, topics: ['products'], batch_ms: -1 },
      { url: rcv.url, topics: ['products'], secret: 'plain' },
      { url: rcv.url, topics: ['products'], extra: 1 },
    ]) {
      const r = await a.admin.post('/api/webhooks', bad);
      assert.equal(r.status, 422, JSON.stringify(bad));
      assert.equal(r.headers.get('content-type'), 'application/problem+json');
    }
    const badFilter = await a.admin.post('/api/webhooks', { url: rcv.url, topics: ['products'], filter: { colour: 'red' } });
    assert.equal(badFilter.status, 400);
    assert.equal(badFilter.body.code, 'bad_filter');
    assert.equal((await a.admin.post('/api/webhooks', { url: 'ftp://x/', topics: ['products'] })).body.code, 'bad_webhook_url');

    const stale = await a.admin.patch(`/api/webhooks/${ha.id}`, { batch_ms: 10 }, { ...MP, headers: { 'If-Match': '"99"' } });
    assert.equal(stale.status, 412);
    const ok = await a.admin.patch(`/api/webhooks/${ha.id}`, { batch_ms: 10 }, { ...MP, headers: { 'If-Match': '"1"' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.version, 2);
    assert.equal((await a.admin.del(`/api/webhooks/${ha.id}`)).status, 204);
    assert.equal((await a.admin.get(`/api/webhooks/${ha.id}`)).status, 404);
  } finally {
    await rcv.close();
  }
});

test('targets in refused ranges are refused at creation, or never called', async () => {
  const strict = await startServer({ args: ['--webhook-backoff-ms', '40', '--webhook-pause-after', '2'] });
  const rcv = await receiver();
  try {
    const t = await strict.createTenant('hooks-strict');
    const admin = api(strict.url, t.admin_token);
    for (const host of ['127.0.0.1', '[::1]', '0.0.0.0', '[::]', '[::ffff:127.0.0.1]', '169.254.169.254', '10.0.0.1']) {
      const r = await admin.post('/api/webhooks', { url: `http://${host}:${rcv.port}/hook`, topics: ['products'] });
      assert.equal(r.status, 400, host);
      assert.equal(r.body.code, 'webhook_target_refused', host);
    }
    // Names and shorthands are judged on the address they resolve to.
    const hooks = [];
    for (const host of ['localhost', '127.1', '2130706433']) {
      hooks.push(await hook(admin, { url: `http://${host}:${rcv.port}/hook`, topics: ['products'] }));
    }
    await admin.post('/api/products', { title: 'Poke', price: 1 });
    for (const h of hooks.slice(0, 3)) {
      const paused = await eventually(async () => {
        const x = (await admin.get(`/api/webhooks/${h.id}`)).body;
        return x.status === 'paused' && x;
      }, `${h.url} paused`);
      assert.match(paused.paused_reason, /loopback/, h.url);
      const log = (await admin.get(`/api/webhooks/${h.id}/deliveries`)).body.data;
      assert.ok(log.every((x) => x.status === 0 && /loopback/.test(x.error)), JSON.stringify(log));
    }
    assert.equal(rcv.requests.length, 0, 'no refused target was ever called');
  } finally {
    await rcv.close();
    await strict.stop();
  }
});

test('https: a certificate from the configured CA is trusted, one from no known CA is not', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shelfsync-ca-'));
  const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Test CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=localhost');
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.pem', '-days', '2', '-extfile', 'ext.cnf');
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'self.key', '-out', 'self.pem', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  const read = (f) => readFileSync(path.join(dir, f));
  const good = await receiver({ tls: { key: read('srv.key'), cert: read('srv.pem') } });
  const self = await receiver({ tls: { key: read('self.key'), cert: read('self.pem') } });
  const own = await startServer({ args: [...FAST, '--webhook-ca-file', path.join(dir, 'ca.pem'), '--webhook-pause-after', '2'] });
  try {
    const t = await own.createTenant('hooks-tls');
    const admin = api(own.url, t.admin_token);
    const trusted = await hook(admin, { url: `https://localhost:${good.port}/hook`, topics: ['products'] });
    const untrusted = await hook(admin, { url: `https://localhost:${self.port}/hook`, topics: ['products'] });
    const p = (await admin.post('/api/products', { title: 'Over TLS', price: 1 })).body;
    await eventually(() => good.acked().some((r) => r.json.changes.some((c) => c.id === p.id)), 'delivered over TLS');
    verifySignatures(good.acked()[0], trusted.secret);
    const paused = await eventually(async () => {
      const x = (await admin.get(`/api/webhooks/${untrusted.id}`)).body;
      return x.status === 'paused' && x;
    }, 'the untrusted target pauses');
    assert.match(paused.paused_reason, /certificate|SSL/i);
    assert.equal(self.requests.length, 0, 'nothing was sent to a server whose certificate failed');
  } finally {
    await good.close();
    await self.close();
    await own.stop();
  }
});

test('a hook follows a publish topic like a collection', async () => {
  const s = await shop('hooks-topic');
  const rcv = await receiver();
  try {
    assert.equal((await s.admin.put('/api/topics/erp.levels', { read: ['service'] })).status, 201);
    const created = await hook(s.admin, { url: rcv.url, topics: ['erp.levels', 'products'] });
    const service = api(srv.url, await srv.createToken(s.tenant, 'service'));
    for (const [key, data] of [['a', { qty: 1 }], ['b', { qty: 2 }], ['a', null]]) {
      assert.equal((await service.post('/api/publish', { topic: 'erp.levels', key, data })).status, 200);
    }
    const p = (await s.admin.post('/api/products', { title: 'After', price: 1 })).body;
    await eventually(() => rcv.acked().some((r) => r.json.changes.some((c) => c.id === p.id)), 'delivered');
    const latest = delivered(rcv);
    assert.equal(latest.get('erp.levels/a')?.op, 'delete');
    assert.deepEqual(latest.get('erp.levels/b')?.data?.data, { qty: 2 });
    assert.equal(rcv.requests[0].json.webhook, created.id);
  } finally {
    await rcv.close();
  }
});
