// Product images: upload bytes (PNG, JPEG, GIF) or add by URL, serve back,
// delete, reorder, and the failure cases.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib/server.mjs';
import { assertProblem, assertStatus, create } from './lib/check.mjs';
import { makePng, makeJpeg, makeGif, pngChunk } from './lib/images.mjs';

let srv;
let T;
let admin;

before(async () => {
  srv = await startServer();
  T = await srv.createTenant('images-shop');
  admin = api(srv.url, T.admin_token);
});
after(async () => { await srv?.stop(); });

const upload = (id, bytes, type, query = '', client = admin) =>
  client.post(`/api/products/${id}/images${query}`, bytes, { contentType: type });

async function fetchMedia(url) {
  const abs = new URL(url, srv.url).href;
  const res = await fetch(abs); // no Authorization header
  return { status: res.status, type: res.headers.get('content-type') || '', bytes: Buffer.from(await res.arrayBuffer()) };
}

async function getProduct(id) {
  const r = await admin.get(`/api/products/${id}`);
  assertStatus(r, 200);
  return r.body;
}

test('uploads PNG, JPEG and GIF; each is sniffed, appended last and served back byte for byte', async () => {
  const p = await create(admin, 'products', { title: 'Camera', price: 10000 });
  const files = [
    { type: 'image/png', bytes: makePng(3, 2, 7), w: 3, h: 2, alt: 'front view' },
    { type: 'image/jpeg', bytes: makeJpeg(640, 480), w: 640, h: 480, alt: 'side' },
    { type: 'image/gif', bytes: makeGif(7, 5), w: 7, h: 5, alt: '' },
  ];
  let version = p.version;
  const seen = [];
  for (const f of files) {
    const q = f.alt ? `?alt=${encodeURIComponent(f.alt)}` : '';
    const r = await upload(p.id, f.bytes, f.type, q);
    assertStatus(r, 201, `upload ${f.type}`);
    version += 1;
    assert.equal(r.body.id, p.id);
    assert.equal(r.body.version, version, 'an image upload is a new version');
    assert.equal(r.body.images.length, seen.length + 1);
    const img = r.body.images.at(-1);
    assert.match(img.id, /^img_/);
    assert.ok(!seen.includes(img.id), 'image ids are unique');
    assert.equal(img.alt, f.alt);
    assert.equal(img.width, f.w, `${f.type} width`);
    assert.equal(img.height, f.h, `${f.type} height`);
    assert.match(img.url, new RegExp(`^/media/${T.tenant}/[^/]+$`), `url: ${img.url}`);
    assert.deepEqual(r.body.images.slice(0, -1).map((i) => i.id), seen, 'earlier images keep their order');
    seen.push(img.id);
    const m = await fetchMedia(img.url);
    assert.equal(m.status, 200, `GET ${img.url}`);
    assert.equal(m.type.split(';')[0].trim(), f.type);
    assert.ok(m.bytes.equals(f.bytes), `${f.type}: served bytes identical (${m.bytes.length} vs ${f.bytes.length})`);
  }
  const g = await getProduct(p.id);
  assert.deepEqual(g.images.map((i) => i.id), seen);
  // uploads survive a restart (files live beside the db)
  await srv.restart();
  admin = api(srv.url, T.admin_token);
  const after = await getProduct(p.id);
  assert.deepEqual(after.images, g.images);
  for (const [i, img] of after.images.entries()) {
    const m = await fetchMedia(img.url);
    assert.equal(m.status, 200);
    assert.ok(m.bytes.equals(files[i].bytes), 'bytes identical after restart');
  }
});

test('two uploads of different bytes get different urls', async () => {
  const p = await create(admin, 'products', { title: 'Twins', price: 1 });
  const a = await upload(p.id, makePng(2, 2, 1), 'image/png');
  const b = await upload(p.id, makePng(2, 2, 2), 'image/png');
  assertStatus(a, 201);
  assertStatus(b, 201);
  const [ia, ib] = b.body.images;
  assert.notEqual(ia.url, ib.url);
  assert.ok((await fetchMedia(ia.url)).bytes.equals(makePng(2, 2, 1)));
  assert.ok((await fetchMedia(ib.url)).bytes.equals(makePng(2, 2, 2)));
});

test('an image added by URL keeps url, alt, width and height', async () => {
  const p = await create(admin, 'products', { title: 'Linked', price: 1 });
  const r = await admin.post(`/api/products/${p.id}/images`, { url: 'https://cdn.example.com/x.webp', alt: 'remote', width: 1200, height: 900 });
  assertStatus(r, 201);
  assert.equal(r.body.version, 2);
  const img = r.body.images.at(-1);
  assert.match(img.id, /^img_/);
  assert.deepEqual({ url: img.url, alt: img.alt, width: img.width, height: img.height },
    { url: 'https://cdn.example.com/x.webp', alt: 'remote', width: 1200, height: 900 });
  const r2 = await admin.post(`/api/products/${p.id}/images`, { url: 'https://cdn.example.com/y.jpg' });
  assertStatus(r2, 201);
  assert.deepEqual(r2.body.images.map((i) => i.url), ['https://cdn.example.com/x.webp', 'https://cdn.example.com/y.jpg']);
  assert.equal(r2.body.images[1].alt, '');
});

test('delete an image: 200 without it; unknown image 404', async () => {
  const p = await create(admin, 'products', { title: 'Trim', price: 1 });
  await upload(p.id, makePng(4, 4, 3), 'image/png');
  await admin.post(`/api/products/${p.id}/images`, { url: 'https://cdn.example.com/keep.jpg' });
  const withThree = await upload(p.id, makeGif(2, 3), 'image/gif');
  const [a, b, c] = withThree.body.images.map((i) => i.id);
  const r = await admin.del(`/api/products/${p.id}/images/${b}`);
  assertStatus(r, 200);
  assert.deepEqual(r.body.images.map((i) => i.id), [a, c]);
  assert.equal(r.body.version, withThree.body.version + 1);
  assert.deepEqual((await getProduct(p.id)).images.map((i) => i.id), [a, c]);
  assertProblem(await admin.del(`/api/products/${p.id}/images/${b}`), 404, 'not_found');
  assertProblem(await admin.del(`/api/products/${p.id}/images/img_doesnotexist`), 404, 'not_found');
  assertProblem(await admin.del(`/api/products/prod_doesnotexist/images/${a}`), 404, 'not_found');
  assert.deepEqual((await getProduct(p.id)).images.map((i) => i.id), [a, c], 'failed deletes change nothing');
});

test('reorder: a permutation reorders; anything else is 422 and changes nothing', async () => {
  const p = await create(admin, 'products', {
    title: 'Shuffle', price: 1,
    images: [{ url: 'https://e.example/1.png' }, { url: 'https://e.example/2.png' }],
  });
  const third = await upload(p.id, makeJpeg(10, 20), 'image/jpeg');
  const [a, b, c] = third.body.images.map((i) => i.id);
  const r = await admin.put(`/api/products/${p.id}/images/order`, [c, a, b]);
  assertStatus(r, 200);
  assert.deepEqual(r.body.images.map((i) => i.id), [c, a, b]);
  assert.equal(r.body.images[0].width, 10, 'image data moves with its id');
  assert.equal(r.body.version, third.body.version + 1);
  const cur = await getProduct(p.id);
  assert.deepEqual(cur.images.map((i) => i.id), [c, a, b]);
  for (const bad of [[a, b], [c, a, b, a], [c, a, 'img_nope'], [], ['x', 'y', 'z'], [c, a, b, 'img_extra']]) {
    const res = await admin.put(`/api/products/${p.id}/images/order`, bad);
    assertProblem(res, 422, undefined);
  }
  const notArray = await admin.put(`/api/products/${p.id}/images/order`, { order: [a, b, c] });
  assert.ok(notArray.status === 400 || notArray.status === 422, `object body: ${notArray.status}`);
  assertProblem(notArray, notArray.status, undefined);
  assert.deepEqual(await getProduct(p.id), cur, 'bad reorders change nothing');
});

test('bad uploads: wrong type 415, not an image 422 invalid_image, over 10 MiB 413; none change the product', async () => {
  const p = await create(admin, 'products', { title: 'Strict', price: 1 });
  const before = await getProduct(p.id);
  assertProblem(await upload(p.id, Buffer.from('hello, world'), 'text/plain'), 415, 'unsupported_media_type');
  assertProblem(await upload(p.id, makePng(2, 2), 'application/octet-stream'), 415, 'unsupported_media_type');
  assertProblem(await upload(p.id, Buffer.from('definitely not a png file at all'), 'image/png'), 422, 'invalid_image');
  assertProblem(await upload(p.id, Buffer.alloc(0), 'image/png'), 422, 'invalid_image');
  assertProblem(await upload(p.id, makePng(2, 2).subarray(0, 12), 'image/png'), 422, 'invalid_image');
  assertProblem(await upload(p.id, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'), 415, 'unsupported_media_type');
  // 10 MiB + 1 KiB of "PNG" (a valid header then padding). Sent several
  // times: the client must get the 413 every time, not a connection reset
  // while it is still sending the body.
  const big = Buffer.concat([makePng(1, 1), Buffer.alloc(10 * 1024 * 1024 + 1024, 0)]);
  for (let i = 0; i < 5; i++) {
    let res;
    try {
      res = await upload(p.id, big, 'image/png');
    } catch (err) {
      assert.fail(`oversized upload #${i + 1}: no 413 reached the client, the connection failed (${err.cause?.code ?? err.message})`);
    }
    assertProblem(res, 413, undefined);
  }
  assertProblem(await upload('prod_nosuchproduct', makePng(2, 2), 'image/png'), 404, 'not_found');
  assertProblem(await admin.post(`/api/products/${p.id}/images`, { alt: 'no url' }), 422, 'validation_failed', { field: 'url' });
  assert.deepEqual(await getProduct(p.id), before, 'nothing changed');
  const h = await fetch(`${srv.url}/health`);
  assert.equal(h.status, 200);
});

test('image writes need a writing role; media is public but unknown media is 404', async () => {
  const p = await create(admin, 'products', { title: 'Roles', price: 1, status: 'active' });
  const staff = api(srv.url, await srv.createToken(T.tenant, 'staff'));
  const pub = api(srv.url, T.public_token);
  assertProblem(await upload(p.id, makePng(2, 2), 'image/png', '', staff), 403, 'forbidden');
  assertProblem(await upload(p.id, makePng(2, 2), 'image/png', '', pub), 403, 'forbidden');
  assertProblem(await upload(p.id, makePng(2, 2), 'image/png', '', api(srv.url, null)), 401, 'unauthorized');
  const ok = await upload(p.id, makePng(5, 1), 'image/png');
  assertStatus(ok, 201);
  const imgId = ok.body.images[0].id;
  assertProblem(await staff.del(`/api/products/${p.id}/images/${imgId}`), 403, 'forbidden');
  assertProblem(await staff.put(`/api/products/${p.id}/images/order`, [imgId]), 403, 'forbidden');
  assert.equal((await getProduct(p.id)).images.length, 1);
  const missing = await fetch(`${srv.url}/media/${T.tenant}/no-such-file.png`);
  assert.equal(missing.status, 404);
  const traversal = await fetch(`${srv.url}/media/${T.tenant}/..%2f..%2fshelfsync.db`);
  assert.ok(traversal.status === 404 || traversal.status === 400, `path traversal answered ${traversal.status}`);
});

test('an image of several MiB (under the 10 MiB upload limit) uploads and is served back whole', async () => {
  const p = await create(admin, 'products', { title: 'Large photo', price: 100 });
  // A 1×1 PNG with a 3 MiB text chunk: over the 1 MiB JSON limit, so the
  // upload limit must be the one applied to the declared Content-Length.
  const small = makePng(1, 1);
  const iend = small.length - 12;
  const big = Buffer.concat([small.subarray(0, iend),
    pngChunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(3 << 20, 0x61)])),
    small.subarray(iend)]);
  const res = await upload(p.id, big, 'image/png');
  assertStatus(res, 201);
  const image = res.body.images.at(-1);
  const served = await fetchMedia(image.url);
  assert.equal(served.status, 200);
  assert.equal(served.bytes.length, big.length);
});
