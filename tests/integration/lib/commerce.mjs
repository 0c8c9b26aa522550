// Helpers for the commerce tests (checkout, orders, stock ledger, alerts):
// an HTTP client on a keep-alive agent with enough sockets for hundreds of
// truly concurrent requests, order/adjust shorthands, correction and ledger
// checks.

import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { listAll } from './check.mjs';

export const MP = { contentType: 'application/merge-patch+json' };

// One agent for all test clients: up to 512 sockets per origin, kept alive,
// so a burst of 200 requests opens 200 connections at once instead of
// queueing behind a small pool.
export const agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 512 });

function describe(res) {
  const t = typeof res.text === 'string' ? res.text : '';
  return `HTTP ${res.status} ${t.length > 800 ? t.slice(0, 800) + '…' : t}`;
}

// Same interface as api() in server.mjs ({req, get, post, put, patch, del};
// answers {status, headers (a Headers), body, text}), over node:http.
export function capi(baseUrl, token) {
  const base = new URL(baseUrl);
  function req(method, pathname, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (token && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers.Authorization = `Bearer ${token}`;
    }
    let payload;
    if (opts.body !== undefined) {
      payload = typeof opts.body === 'string' || opts.body instanceof Uint8Array
        ? Buffer.from(opts.body) : Buffer.from(JSON.stringify(opts.body));
      const ct = opts.contentType ?? (typeof opts.body === 'string' || opts.body instanceof Uint8Array
        ? undefined : 'application/json');
      if (ct && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = ct;
      headers['Content-Length'] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      const r = http.request({
        host: base.hostname, port: base.port, method, path: pathname, headers, agent,
      }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text = raw.toString('utf8');
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const x of v) h.append(k, x);
            else if (v !== undefined) h.set(k, String(v));
          }
          let body = text;
          if (/json/i.test(h.get('content-type') || '') && text.length > 0) {
            try { body = JSON.parse(text); } catch { body = text; }
          }
          resolve({ status: res.statusCode, headers: h, body, text, raw });
        });
      });
      r.on('error', reject);
      if (payload) r.write(payload);
      r.end();
    });
  }
  return {
    req,
    token,
    get: (p, o) => req('GET', p, o),
    del: (p, o) => req('DELETE', p, o),
    post: (p, body, o = {}) => req('POST', p, { ...o, body }),
    put: (p, body, o = {}) => req('PUT', p, { ...o, body }),
    patch: (p, body, o = {}) => req('PATCH', p, { ...o, body }),
  };
}

export const newKey = (prefix = 'k') => `${prefix}-${randomUUID()}`;

// A new tenant with a client for each role, and for each customer id given
// a customer token (`tokens[id]`) and client (`customers[id]`).
export async function shopWithRoles(srv, name, customerIds = []) {
  const t = await srv.createTenant(name);
  const shop = {
    t,
    admin: capi(srv.url, t.admin_token),
    pub: capi(srv.url, t.public_token),
    staff: capi(srv.url, await srv.createToken(t.tenant, 'staff')),
    service: capi(srv.url, await srv.createToken(t.tenant, 'service')),
    tokens: {},
    customers: {},
  };
  for (const id of customerIds) {
    shop.tokens[id] = await srv.createToken(t.tenant, 'customer', id);
    shop.customers[id] = capi(srv.url, shop.tokens[id]);
  }
  return shop;
}

// POST /api/orders with an Idempotency-Key (a fresh one unless given).
// body: {items, customer_id?, channel?}
export function order(client, body, { key = newKey('order'), headers = {} } = {}) {
  return client.post('/api/orders', body, { headers: { 'Idempotency-Key': key, ...headers } });
}

export function validate(client, items) {
  return client.post('/api/checkout/validate', { items });
}

export function adjust(client, body, { key = newKey('adjust') } = {}) {
  return client.post('/api/stock/adjust', body, { headers: { 'Idempotency-Key': key } });
}

export function stockSync(client, levels) {
  return client.post('/api/stock/sync', { levels });
}

// An order item for variant `vi` of product `p` (as read by an admin); the
// unit price defaults to the variant's current price_now.
export function item(p, vi = 0, qty = 1, unitPrice) {
  const v = p.variants[vi];
  return { product_id: p.id, variant_id: v.id, qty, unit_price: unitPrice ?? v.price_now };
}

export function assertStatus2(res, status, what) {
  assert.equal(res.status, status, `${what}: ${describe(res)}`);
  return res.body;
}

// Expects a 409 checkout_corrections answer whose corrections equal `want`
// (order-insensitive: compared sorted by index, then field).
export function assertCorrections(res, want, what = 'checkout') {
  assert.equal(res.status, 409, `${what}: expected 409 checkout_corrections, got ${describe(res)}`);
  assert.match(res.headers.get('content-type') || '', /^application\/problem\+json\b/i, `${what}: content-type`);
  const b = res.body;
  assert.equal(b.code, 'checkout_corrections', `${what}: ${describe(res)}`);
  assert.equal(b.status, 409, `${what}: body.status`);
  assert.equal(b.ok, false, `${what}: ok must be false: ${describe(res)}`);
  assert.ok(Array.isArray(b.corrections), `${what}: corrections must be an array: ${describe(res)}`);
  const key = (c) => `${String(c.index).padStart(4, '0')}/${c.field}`;
  const sort = (a) => [...a].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  assert.deepEqual(sort(b.corrections), sort(want), `${what}: corrections: ${describe(res)}`);
  return b;
}

export async function getProduct(admin, id) {
  const r = await admin.get(`/api/products/${id}`);
  assert.equal(r.status, 200, `GET product ${id}: ${describe(r)}`);
  return r.body;
}

// variant id → stock of a product (admin read).
export async function stocks(admin, productId) {
  const p = await getProduct(admin, productId);
  return Object.fromEntries(p.variants.map((v) => [v.id, v.stock]));
}

// Every stock movement of a variant, following `next`.
export function movementsOf(admin, variantId, limit = 1000) {
  return listAll(admin, `/api/stock_movements?variant_id=${encodeURIComponent(variantId)}`, limit);
}

export const sum = (a) => a.reduce((s, x) => s + x, 0);

// Checks a variant's ledger: the deltas sum to `stock`, every movement is
// well-formed, and the movements chain: ordered by the stock they start
// from, each stock_after = before + delta, from 0 to `stock` (there is an
// order of the movements walking 0 → … → stock, i.e. an Eulerian trail over
// the edges (stock_after − delta) → stock_after). Returns a list of problems.
export function ledgerProblems(movs, stock, where) {
  const out = [];
  for (const m of movs) {
    if (!Number.isInteger(m.delta) || m.delta === 0) out.push(`${where}: movement ${m.id} delta ${m.delta}`);
    if (!Number.isInteger(m.stock_after)) out.push(`${where}: movement ${m.id} stock_after ${m.stock_after}`);
    if (!['sale', 'cancel', 'purchase', 'adjustment', 'return', 'sync'].includes(m.reason)) {
      out.push(`${where}: movement ${m.id} reason ${m.reason}`);
    }
    if (typeof m.at !== 'string' || typeof m.actor !== 'string') out.push(`${where}: movement ${m.id} without at/actor`);
  }
  const total = sum(movs.map((m) => m.delta));
  if (total !== stock) out.push(`${where}: stock ${stock} but movements sum to ${total} (${movs.length} movements)`);
  if (out.length > 0 || movs.length === 0) return out;
  // Eulerian trail check
  const bal = new Map();
  const adj = new Map();
  const add = (m, k, d) => m.set(k, (m.get(k) ?? 0) + d);
  for (const m of movs) {
    const from = m.stock_after - m.delta;
    add(bal, from, 1);
    add(bal, m.stock_after, -1);
    if (!adj.has(from)) adj.set(from, new Set());
    if (!adj.has(m.stock_after)) adj.set(m.stock_after, new Set());
    adj.get(from).add(m.stock_after);
    adj.get(m.stock_after).add(from);
  }
  for (const [k, b] of bal) {
    const want = (k === 0 ? 1 : 0) - (k === stock ? 1 : 0);
    if (b !== want) {
      out.push(`${where}: stock_after values do not chain from 0 to ${stock} (level ${k}: ${b} more starts than ends); ${movs.map((m) => `${m.delta}→${m.stock_after}`).join(' ')}`.slice(0, 1500));
      return out;
    }
  }
  const seen = new Set([0]);
  const stack = [0];
  while (stack.length) for (const n of adj.get(stack.pop()) ?? []) if (!seen.has(n)) { seen.add(n); stack.push(n); }
  if (!adj.has(0) || seen.size !== adj.size) out.push(`${where}: movements do not form one chain from 0`);
  return out;
}

export async function assertLedger(admin, product, where = product.id) {
  const problems = [];
  for (const v of product.variants) {
    const movs = await movementsOf(admin, v.id);
    for (const m of movs) {
      if (m.variant_id !== v.id) problems.push(`${where}: ?variant_id=${v.id} listed a movement of ${m.variant_id}`);
      if (m.product_id !== product.id) problems.push(`${where}: movement ${m.id} product_id ${m.product_id}`);
    }
    problems.push(...ledgerProblems(movs, v.stock, `${where}/${v.id}`));
  }
  assert.deepEqual(problems, [], 'ledger');
}

// Runs fn(i) for i in [0, n) all at once; resolves with the results.
export function burst(n, fn) {
  return Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
}

// Matches status_history[].actor for a token role.
export const ACTOR = {
  admin: /^admin:[0-9a-f]{8}$/,
  staff: /^staff:[0-9a-f]{8}$/,
  service: /^service:[0-9a-f]{8}$/,
};

export const RFC3339_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
