// Bad input table: every case answers a 4xx problem+json with the expected
// code and a non-empty detail, and changes nothing (fixture records and
// listings byte-for-byte identical, server healthy).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib/server.mjs';
import { assertProblem, create, isoIn, DAY } from './lib/check.mjs';
import { makePng } from './lib/images.mjs';

const MP = 'application/merge-patch+json';
const JSONT = 'application/json';

let srv;
let T;
let F; // fixture ids
const clients = {};

before(async () => {
  srv = await startServer();
  T = await srv.createTenant('bad-input-shop');
  const admin = api(srv.url, T.admin_token);
  const cat = await create(admin, 'categories', { name: 'Fixture category', slug: 'fixture' });
  const brand = await create(admin, 'brands', { name: 'Fixture brand' });
  const cust = await create(admin, 'customers', { name: 'Fixture Customer', email: 'fixture@example.com' });
  const product = await create(admin, 'products', {
    title: 'Fixture product', sku: 'FIX-1', status: 'active', price: 2000, compare_at_price: 2500,
    description: 'The one record every bad request aims at',
    sale: { kind: 'percent', value: 10, starts_at: isoIn(-30 * DAY), ends_at: isoIn(300 * DAY), stock_limit: 50 },
    images: [{ url: 'https://cdn.example.com/fixture.jpg', alt: 'fixture' }],
    options: [{ name: 'size', values: ['S', 'M'] }],
    variants: [{ sku: 'FIX-1-S', options: { size: 'S' }, stock: 4 }, { sku: 'FIX-1-M', options: { size: 'M' }, stock: 9 }],
    category_ids: [cat.id], tags: ['fixture'], brand_id: brand.id,
    fulfillment: { pickup: true, pickup_locations: ['Depot'], shipping: [{ method: 'post', price: 300, eta_days: 2 }] },
    attributes: { origin: 'test', nested: { a: 1 } },
  });
  const draft = await create(admin, 'products', { title: 'Fixture draft', price: 1, status: 'draft' });
  const other = await create(admin, 'customers', { id: 'cust_fixture_self', name: 'Self', email: 'self@example.com' });
  const revoked = await srv.createToken(T.tenant, 'staff');
  await srv.revokeToken(revoked);
  clients.admin = admin;
  clients.staff = api(srv.url, await srv.createToken(T.tenant, 'staff'));
  clients.service = api(srv.url, await srv.createToken(T.tenant, 'service'));
  clients.customer = api(srv.url, await srv.createToken(T.tenant, 'customer', other.id));
  clients.public = api(srv.url, T.public_token);
  clients.none = api(srv.url, null);
  clients.invalid = api(srv.url, 'x'.repeat(43));
  clients.revoked = api(srv.url, revoked);
  F = { P: product.id, D: draft.id, C: cat.id, B: brand.id, CU: cust.id, IMG: product.images[0].id };
  BASELINE = await snapshot();
});
after(async () => { await srv?.stop(); });

let BASELINE;
async function snapshot() {
  const a = clients.admin;
  const out = {};
  for (const p of [`/api/products/${F.P}`, `/api/products/${F.D}`, `/api/categories/${F.C}`, `/api/customers/${F.CU}`,
    '/api/products?limit=1000', '/api/categories?limit=1000', '/api/brands?limit=1000', '/api/customers?limit=1000']) {
    const r = await a.get(p);
    assert.equal(r.status, 200, `snapshot GET ${p}`);
    out[p] = r.text;
    if (p.includes('?')) out[`count ${p}`] = r.body.data.length;
  }
  return out;
}

const deep = (n, leaf = '1') => '{"a":'.repeat(n) + leaf + '}'.repeat(n);
const deepArr = (n) => '['.repeat(n) + '1' + ']'.repeat(n);
const longId = 'a'.repeat(65);

// A case: [name, client, method, path(F), body, contentType, status, code, field]
// body: object → JSON; string/Buffer → raw. field: string or RegExp (422 only).
const P = (f) => `/api/products/${f.P}`;
const patchP = (name, body, field, status = 422, code = 'validation_failed') =>
  [name, 'admin', 'PATCH', P, body, MP, status, code, field];
const postP = (name, body, field, status = 422, code = 'validation_failed') =>
  [name, 'admin', 'POST', () => '/api/products', body, JSONT, status, code, field];
const get = (name, client, path, status, code) => [name, client, 'GET', typeof path === 'function' ? path : () => path, undefined, undefined, status, code];

const CASES = [
  // malformed bodies
  postP('malformed JSON: truncated object', '{"title": "x", "price": ', undefined, 400, 'malformed_json'),
  postP('malformed JSON: trailing garbage', '{"title":"x","price":1} trailing', undefined, 400, 'malformed_json'),
  postP('malformed JSON: single quotes', "{'title':'x','price':1}", undefined, 400, 'malformed_json'),
  postP('malformed JSON: empty body', '', undefined, 400, 'malformed_json'),
  postP('non-object body: array', '[{"title":"x","price":1}]', undefined, 400, 'malformed_json'),
  postP('non-object body: string', '"title"', undefined, 400, 'malformed_json'),
  postP('non-object body: null', 'null', undefined, 400, 'malformed_json'),
  patchP('malformed JSON on PATCH', '{"title": }', undefined, 400, 'malformed_json'),
  patchP('non-object PATCH body: number', '42', undefined, 400, 'malformed_json'),
  patchP('invalid UTF-8 in JSON', Buffer.from([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), undefined, 400, 'malformed_json'),
  postP('nesting 40 levels (objects)', `{"title":"x","price":1,"attributes":${deep(40)}}`, undefined, 400, 'too_deep'),
  patchP('nesting 40 levels (arrays)', `{"attributes":{"a":${deepArr(40)}}}`, undefined, 400, 'too_deep'),
  postP('body of 2 MiB', `{"title":"x","price":1,"description":"${'d'.repeat(2 * 1024 * 1024)}"}`, undefined, 413, 'body_too_large'),
  // wrong types and values per field
  postP('title missing', { price: 100 }, 'title'),
  postP('price missing', { title: 'No price' }, 'price'),
  postP('title is a number', { title: 42, price: 100 }, 'title'),
  patchP('title empty', { title: '' }, 'title'),
  patchP('title 201 chars', { title: 't'.repeat(201) }, 'title'),
  patchP('title null (required)', { title: null }, 'title'),
  patchP('description 20001 chars', { description: 'd'.repeat(20001) }, 'description'),
  patchP('description is an object', { description: { text: 'x' } }, 'description'),
  patchP('sku 65 chars', { sku: 's'.repeat(65) }, 'sku'),
  patchP('status unknown enum', { status: 'deleted' }, 'status'),
  patchP('status wrong type', { status: 1 }, 'status'),
  patchP('condition unknown enum', { condition: 'mint' }, 'condition'),
  postP('price is a string', { title: 'x', price: '100' }, 'price'),
  patchP('price is fractional', { price: 10.5 }, 'price'),
  patchP('price negative', { price: -1 }, 'price'),
  patchP('price above 10^12', { price: 1000000000001 }, 'price'),
  patchP('compare_at_price negative', { compare_at_price: -5 }, 'compare_at_price'),
  patchP('compare_at_price is a string', { compare_at_price: 'ten' }, 'compare_at_price'),
  patchP('sale is a string', { sale: 'half off' }, /^sale/),
  patchP('sale.kind unknown enum', { sale: { kind: 'bogo', value: 10 } }, /^sale\.kind$/),
  patchP('sale percent 0', { sale: { kind: 'percent', value: 0 } }, /^sale\.value$/),
  patchP('sale percent 101', { sale: { kind: 'percent', value: 101 } }, /^sale\.value$/),
  patchP('sale percent fractional', { sale: { kind: 'percent', value: 12.5 } }, /^sale\.value$/),
  patchP('sale amount 0', { sale: { kind: 'amount', value: 0 } }, /^sale\.value$/),
  patchP('sale fixed_price negative', { sale: { kind: 'fixed_price', value: -1 } }, /^sale\.value$/),
  patchP('sale window ends before it starts', { sale: { starts_at: '2030-02-01T00:00:00Z', ends_at: '2030-01-01T00:00:00Z' } }, /^sale/),
  patchP('sale window ends when it starts', { sale: { starts_at: '2030-02-01T00:00:00Z', ends_at: '2030-02-01T00:00:00Z' } }, /^sale/),
  patchP('sale.starts_at not a date', { sale: { starts_at: 'yesterday' } }, /^sale\.starts_at$/),
  patchP('sale.starts_at month 13', { sale: { starts_at: '2024-13-01T00:00:00Z' } }, /^sale\.starts_at$/),
  patchP('sale.ends_at without offset', { sale: { ends_at: '2031-01-01T10:00:00' } }, /^sale\.ends_at$/),
  patchP('sale.ends_at February 30', { sale: { ends_at: '2031-02-30T00:00:00Z' } }, /^sale\.ends_at$/),
  patchP('sale.ends_at is a number', { sale: { ends_at: 1700000000 } }, /^sale\.ends_at$/),
  patchP('sale.stock_limit 0', { sale: { stock_limit: 0 } }, /^sale\.stock_limit$/),
  patchP('variant stock negative without backorder', { variants: [{ options: { size: 'S' }, stock: -1 }] }, /^variants/),
  patchP('variant option value not declared', { variants: [{ options: { size: 'XXL' }, stock: 1 }] }, /^variants/),
  patchP('variant option name not declared', { variants: [{ options: { size: 'S', color: 'Red' }, stock: 1 }] }, /^variants/),
  patchP('duplicate variant option combination', { variants: [{ options: { size: 'S' }, stock: 1 }, { options: { size: 'S' }, stock: 2 }] }, /^variants/),
  patchP('duplicate variant skus', { variants: [{ sku: 'DUP', options: { size: 'S' }, stock: 1 }, { sku: 'DUP', options: { size: 'M' }, stock: 2 }] }, /^variants/),
  patchP('variant stock is a string', { variants: [{ options: { size: 'S' }, stock: 'many' }] }, /^variants/),
  patchP('options value list empty', { options: [{ name: 'size', values: [] }] }, /^options/),
  patchP('track_inventory is a string', { track_inventory: 'yes' }, 'track_inventory'),
  patchP('allow_backorder is a number', { allow_backorder: 1 }, 'allow_backorder'),
  patchP('low_stock_threshold negative', { low_stock_threshold: -1 }, 'low_stock_threshold'),
  patchP('tags not an array', { tags: 'a,b' }, /^tags/),
  patchP('tag is a number', { tags: [1] }, /^tags/),
  patchP('tag 51 chars', { tags: ['ok', 'x'.repeat(51)] }, /^tags/),
  patchP('tag empty', { tags: [''] }, /^tags/),
  patchP('tags duplicated', { tags: ['a', 'a'] }, /^tags/),
  patchP('category_ids with a malformed id', { category_ids: ['bad id!'] }, /^category_ids/),
  patchP('category_ids not an array', { category_ids: 'cat_1' }, /^category_ids/),
  patchP('brand_id malformed', { brand_id: 'has space' }, 'brand_id'),
  patchP('unit_id too long', { unit_id: longId }, 'unit_id'),
  patchP('images: empty url', { images: [{ url: '' }] }, /^images/),
  // image URLs: https:/http: with a host, or the server's own /media/ paths (SPEC §4)
  patchP('images: javascript: url', { images: [{ url: 'javascript:alert(1)' }] }, 'images[0].url'),
  patchP('images: data: url', { images: [{ url: 'data:image/png;base64,iVBORw0KGgo=' }] }, 'images[0].url'),
  patchP('images: file: url', { images: [{ url: 'file:///etc/passwd' }] }, 'images[0].url'),
  patchP('images: scheme-relative url', { images: [{ url: '//evil.example/x.png' }] }, 'images[0].url'),
  patchP('images: https without a host', { images: [{ url: 'https:///x.png' }] }, 'images[0].url'),
  postP('create with a JAVASCRIPT: image url', { title: 'x', price: 1, images: [{ url: 'JAVASCRIPT:alert(1)' }] }, 'images[0].url'),
  ['image by URL: javascript:', 'admin', 'POST', (f) => `/api/products/${f.P}/images`, { url: 'javascript:alert(document.cookie)' }, JSONT, 422, 'validation_failed', 'url'],
  ['image by URL: data:', 'admin', 'POST', (f) => `/api/products/${f.P}/images`, { url: 'data:text/html,<script>alert(1)</script>' }, JSONT, 422, 'validation_failed', 'url'],
  ['image by URL: relative path outside /media', 'admin', 'POST', (f) => `/api/products/${f.P}/images`, { url: '/etc/passwd' }, JSONT, 422, 'validation_failed', 'url'],
  patchP('images: 51 entries', { images: Array.from({ length: 51 }, (_, i) => ({ url: `https://e.example/${i}.png` })) }, /^images/),
  patchP('fulfillment.pickup is a string', { fulfillment: { pickup: 'yes' } }, /^fulfillment/),
  patchP('fulfillment shipping price negative', { fulfillment: { shipping: [{ method: 'post', price: -1 }] } }, /^fulfillment/),
  patchP('fulfillment eta_days 366', { fulfillment: { shipping: [{ method: 'post', price: 1, eta_days: 366 }] } }, /^fulfillment/),
  patchP('attributes not an object', { attributes: 'free text' }, 'attributes'),
  patchP('attributes over 64 KiB', { attributes: { blob: 'b'.repeat(70 * 1024) } }, /^attributes/),
  patchP('unknown field', { bogus_field: 1 }, 'bogus_field'),
  // other collections
  ['customer email without @', 'admin', 'POST', () => '/api/customers', { name: 'No At', email: 'nobody.example.com' }, JSONT, 422, 'validation_failed', 'email'],
  ['category slug with spaces and capitals', 'admin', 'POST', () => '/api/categories', { name: 'Bad', slug: 'Bad Slug' }, JSONT, 422, 'validation_failed', 'slug'],
  ['category position is a string', 'admin', 'PATCH', (f) => `/api/categories/${f.C}`, { position: 'first' }, MP, 422, 'validation_failed', 'position'],
  ['brand name missing', 'admin', 'POST', () => '/api/brands', { slug: 'nameless' }, JSONT, 422, 'validation_failed', 'name'],
  // content types
  ['PATCH with text/plain', 'admin', 'PATCH', P, '{"title":"x"}', 'text/plain', 415, 'unsupported_media_type'],
  ['POST with application/xml', 'admin', 'POST', () => '/api/products', '<product/>', 'application/xml', 415, 'unsupported_media_type'],
  ['image upload with text/plain', 'admin', 'POST', (f) => `/api/products/${f.P}/images`, 'not an image', 'text/plain', 415, 'unsupported_media_type'],
  ['image upload of non-image bytes', 'admin', 'POST', (f) => `/api/products/${f.P}/images`, Buffer.from('GIF87 but not really an image'), 'image/gif', 422, 'invalid_image'],
  ['image upload: PNG bytes declared as JPEG then truncated', 'admin', 'POST', (f) => `/api/products/${f.P}/images`, makePng(2, 2).subarray(0, 20), 'image/jpeg', 422, 'invalid_image'],
  // ids
  get('GET product with a malformed id', 'admin', '/api/products/bad!id', 400, 'bad_id'),
  get('GET product with a 65-char id', 'admin', `/api/products/${longId}`, 400, 'bad_id'),
  ['PATCH product with a malformed id', 'admin', 'PATCH', () => '/api/products/has.dot', { title: 'x' }, MP, 400, 'bad_id'],
  ['DELETE category with a malformed id', 'admin', 'DELETE', () => '/api/categories/a%20b', undefined, undefined, 400, 'bad_id'],
  ['image upload to a malformed product id', 'admin', 'POST', () => '/api/products/bad$id/images', makePng(1, 1), 'image/png', 400, 'bad_id'],
  ['POST with a malformed client id', 'admin', 'POST', () => '/api/products', { id: 'bad id', title: 'x', price: 1 }, JSONT, 422, 'validation_failed', 'id'],
  ['POST with an existing id', 'admin', 'POST', () => '/api/products', (f) => ({ id: f.P, title: 'dupe', price: 1 }), JSONT, 409, 'already_exists'],
  ['PATCH unknown product', 'admin', 'PATCH', () => '/api/products/prod_unknown123', { title: 'x' }, MP, 404, 'not_found'],
  ['DELETE unknown product', 'admin', 'DELETE', () => '/api/products/prod_unknown123', undefined, undefined, 404, 'not_found'],
  ['DELETE unknown image', 'admin', 'DELETE', (f) => `/api/products/${f.P}/images/img_unknown`, undefined, undefined, 404, 'not_found'],
  ['reorder images: not a permutation', 'admin', 'PUT', (f) => `/api/products/${f.P}/images/order`, ['img_unknown'], JSONT, 422, undefined],
  ['PATCH with a stale If-Match', 'admin', 'PATCH', P, { title: 'x' }, MP, 412, 'version_mismatch', undefined, { 'If-Match': '"999"' }],
  ['DELETE with a stale If-Match', 'admin', 'DELETE', P, undefined, undefined, 412, 'version_mismatch', undefined, { 'If-Match': '"999"' }],
  // queries
  get('limit=0', 'admin', '/api/products?limit=0', 400, 'bad_query'),
  get('limit=1001', 'admin', '/api/products?limit=1001', 400, 'bad_query'),
  get('limit=-5', 'admin', '/api/products?limit=-5', 400, 'bad_query'),
  get('limit=abc', 'admin', '/api/products?limit=abc', 400, 'bad_query'),
  get('limit=2.5', 'admin', '/api/products?limit=2.5', 400, 'bad_query'),
  get('garbage cursor', 'admin', `/api/products?after=${encodeURIComponent('{{not a cursor}}')}`, 400, 'bad_cursor'),
  get('unknown filter on products', 'admin', '/api/products?colour=red', 400, 'bad_query'),
  get('unknown filter on customers', 'admin', '/api/customers?name=Ada', 400, 'bad_query'),
  get('filter by a malformed brand id', 'admin', `/api/products?brand_id=${encodeURIComponent('bad id!')}`, 400, ['bad_query', 'bad_id']),
  // an unknown value of an enum-valued filter is a 400, not an empty list (SPEC §4)
  get('products ?status=bogus', 'admin', '/api/products?status=bogus', 400, 'bad_query'),
  get('products ?status=Active (case matters)', 'admin', '/api/products?status=Active', 400, 'bad_query'),
  get('products ?condition=mint', 'admin', '/api/products?condition=mint', 400, 'bad_query'),
  get('public products ?status=bogus', 'public', '/api/products?status=bogus', 400, 'bad_query'),
  get('orders ?status=bogus', 'admin', '/api/orders?status=bogus', 400, 'bad_query'),
  get('orders ?channel=fax', 'admin', '/api/orders?channel=fax', 400, 'bad_query'),
  get('bills ?status=bogus', 'admin', '/api/bills?status=bogus', 400, 'bad_query'),
  get('stock_movements ?reason=theft', 'admin', '/api/stock_movements?reason=theft', 400, 'bad_query'),
  get('alerts ?kind=bogus', 'admin', '/api/alerts?kind=bogus', 400, 'bad_query'),
  get('products ?category_id=%00', 'admin', '/api/products?category_id=%00', 400, 'bad_query'),
  get('orders ?customer_id=%00', 'admin', '/api/orders?customer_id=%00', 400, 'bad_query'),
  get('stock_movements ?variant_id= with a space', 'admin', '/api/stock_movements?variant_id=a%20b', 400, 'bad_query'),
  // auth
  get('missing token', 'none', '/api/products', 401, 'unauthorized'),
  ['missing token on PATCH', 'none', 'PATCH', P, { title: 'x' }, MP, 401, 'unauthorized'],
  get('unknown token', 'invalid', '/api/products', 401, 'invalid_token'),
  ['unknown token on POST', 'invalid', 'POST', () => '/api/products', { title: 'x', price: 1 }, JSONT, 401, 'invalid_token'],
  get('revoked token', 'revoked', '/api/products', 401, 'invalid_token'),
  // roles
  ['staff PATCH product', 'staff', 'PATCH', P, { title: 'x' }, MP, 403, 'forbidden'],
  ['staff DELETE product', 'staff', 'DELETE', P, undefined, undefined, 403, 'forbidden'],
  ['staff POST category', 'staff', 'POST', () => '/api/categories', { name: 'x' }, JSONT, 403, 'forbidden'],
  ['service POST product', 'service', 'POST', () => '/api/products', { title: 'x', price: 1 }, JSONT, 403, 'forbidden'],
  ['public POST product', 'public', 'POST', () => '/api/products', { title: 'x', price: 1 }, JSONT, 403, 'forbidden'],
  get('public GET customers', 'public', '/api/customers', 403, 'forbidden'),
  get('public GET one customer', 'public', (f) => `/api/customers/${f.CU}`, 403, 'forbidden'),
  get('public GET draft product', 'public', (f) => `/api/products/${f.D}`, 404, 'not_found'),
  ['customer PATCH product', 'customer', 'PATCH', P, { title: 'x' }, MP, 403, 'forbidden'],
  ['customer PATCH own customer record (catalog write)', 'customer', 'PATCH', () => '/api/customers/cust_fixture_self', { name: 'x' }, MP, 403, 'forbidden'],
  get('customer GET another customer', 'customer', (f) => `/api/customers/${f.CU}`, 404, 'not_found'),
];

test(`the table holds at least 45 cases (${CASES.length})`, () => {
  assert.ok(CASES.length >= 45);
  const names = CASES.map((c) => c[0]);
  assert.equal(new Set(names).size, names.length, 'case names are unique');
});

for (const [name, who, method, pathFn, body, contentType, status, code, field, headers] of CASES) {
  test(`${method} → ${status} ${Array.isArray(code) ? code.join('|') : code ?? ''}: ${name}`, async () => {
    const client = clients[who];
    const b = typeof body === 'function' ? body(F) : body;
    const opts = { headers: headers ?? {} };
    if (b !== undefined) opts.body = b;
    if (contentType) opts.contentType = contentType;
    let res;
    try {
      res = await client.req(method, pathFn(F), opts);
    } catch (err) {
      assert.fail(`request failed at the transport level (the server must answer ${status}): ${err.cause?.code ?? ''} ${err.message}`);
    }
    if (Array.isArray(code)) {
      assertProblem(res, status, undefined, {});
      assert.ok(code.includes(res.body.code), `code ${res.body.code} not in ${code}`);
    } else {
      assertProblem(res, status, code, field !== undefined ? { field } : {});
    }
    const now = await snapshot();
    assert.deepEqual(now, BASELINE, 'fixture records and listings unchanged');
    const h = await fetch(`${srv.url}/health`);
    assert.equal(h.status, 200, 'server healthy');
  });
}
