// The pages and their files are served from the binary.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from './lib/server.mjs';

// A GET with the path sent exactly as given (fetch would normalise dot segments).
function rawGet(port, path) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('error', reject);
    req.end();
  });
}

test('pages and assets are served with types, ETags and 404s', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const get = (p, headers = {}) => fetch(server.url + p, { headers });

  for (const page of ['admin', 'shop', 'pos', 'dashboard']) {
    const r = await get(`/${page}?key=abc`);
    assert.equal(r.status, 200, page);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
    assert.match(await r.text(), /<!doctype html>/i);
  }

  const css = await get('/assets/common/base.css');
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type'), /^text\/css/);
  const etag = css.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]+"$/);
  const again = await get('/assets/common/base.css', { 'If-None-Match': etag });
  assert.equal(again.status, 304);

  const js = await get('/assets/client/index.js');
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  assert.match(await js.text(), /createClient/);

  for (const bad of ['/assets/nope.js', '/assets/../src/main.cpp', '/assets/%2e%2e/CMakeLists.txt',
    '/assets/client/../../CMakeLists.txt', '/assets/admin/./index.html', '/assets/client/nope.js',
    '/assets/admin/..%2f..%2fCMakeLists.txt', '/assets/admin', '/assets/client/..%5c..%5cCMakeLists.txt']) {
    const r = await rawGet(server.port, bad);
    assert.equal(r.statusCode, 404, bad);
    assert.match(r.headers['content-type'], /application\/problem\+json/, bad);
  }
});
