// Assertions and small request helpers shared by the integration tests.

import assert from 'node:assert/strict';

function describeRes(res) {
  const t = typeof res.text === 'string' ? res.text : '';
  return `HTTP ${res.status} ${t.length > 600 ? t.slice(0, 600) + '…' : t}`;
}

// Asserts an RFC 9457 problem+json answer with the given status and code.
// `field`: a string (exact) or RegExp that at least one errors[].field must match.
export function assertProblem(res, status, code, { field } = {}) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${describeRes(res)}`);
  const ct = res.headers.get('content-type') || '';
  assert.match(ct, /^application\/problem\+json\b/i, `content-type was "${ct}" for ${describeRes(res)}`);
  const b = res.body;
  assert.equal(typeof b, 'object', `problem body not JSON: ${describeRes(res)}`);
  assert.ok(b !== null);
  assert.equal(b.status, status, `body.status ≠ HTTP status: ${describeRes(res)}`);
  if (code !== undefined) assert.equal(b.code, code, `code: ${describeRes(res)}`);
  else assert.ok(typeof b.code === 'string' && b.code.length > 0, `code missing: ${describeRes(res)}`);
  assert.ok(typeof b.detail === 'string' && b.detail.trim().length > 0, `detail empty: ${describeRes(res)}`);
  assert.ok(typeof b.title === 'string' && b.title.length > 0, `title missing: ${describeRes(res)}`);
  assert.ok(typeof b.type === 'string' && b.type.length > 0, `type missing: ${describeRes(res)}`);
  if (b.errors !== undefined) assert.ok(Array.isArray(b.errors), 'errors must be an array');
  if (field !== undefined) {
    assert.ok(Array.isArray(b.errors) && b.errors.length > 0, `expected errors[] naming ${field}: ${describeRes(res)}`);
    for (const e of b.errors) {
      assert.equal(typeof e.field, 'string');
      assert.ok(typeof e.message === 'string' && e.message.length > 0, 'error message empty');
    }
    const ok = b.errors.some((e) => (field instanceof RegExp ? field.test(e.field) : e.field === field));
    assert.ok(ok, `no error names field ${field}: ${JSON.stringify(b.errors)}`);
  }
  return b;
}

export function assertStatus(res, status, msg = '') {
  assert.equal(res.status, status, `${msg}${msg ? ': ' : ''}${describeRes(res)}`);
  return res.body;
}

// Creates a record and returns it (asserting 201).
export async function create(client, collection, doc, opts) {
  const res = await client.post(`/api/${collection}`, doc, opts);
  assertStatus(res, 201, `POST /api/${collection}`);
  return res.body;
}

// Follows `next` until exhausted; returns every item (asserts 200s).
export async function listAll(client, pathWithQuery, limit = 1000) {
  const sep = pathWithQuery.includes('?') ? '&' : '?';
  const out = [];
  let after = null;
  for (let guard = 0; guard < 10000; guard++) {
    const q = `${pathWithQuery}${sep}limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
    const res = await client.get(q);
    assertStatus(res, 200, `GET ${q}`);
    assert.ok(Array.isArray(res.body.data), 'list data must be an array');
    out.push(...res.body.data);
    if (res.body.next === null || res.body.next === undefined) return out;
    after = res.body.next;
  }
  throw new Error('listAll: too many pages');
}

export const ids = (items) => items.map((x) => x.id);

// ISO timestamps relative to now, in the canonical millisecond form.
export const isoIn = (ms) => new Date(Date.now() + ms).toISOString();
export const DAY = 86400000;
