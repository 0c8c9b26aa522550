// Webhook receivers for the tests (SPEC §8): an HTTP(S) server on
// 127.0.0.1 that keeps every delivery, and what the deliveries add up to.

import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';

// A receiver on 127.0.0.1: keeps every request; `answer(req)` gives the
// status (default 200) and may delay.
export async function receiver({ answer = () => 200, tls } = {}) {
  const requests = [];
  const handler = (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', async () => {
      const r = { headers: req.headers, body, json: JSON.parse(body), at: Date.now() };
      requests.push(r);
      const status = await answer(r, requests.length);
      r.status = status;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'ok' : 'not now');
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  return {
    requests,
    port,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/hook`,
    acked: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

export const cursorSeq = (c) => Number(String(c).replace(/^c/, ''));

// The newest version of each record over the acknowledged batches. Without
// a restart (`strict`), batches and each record's versions only move
// forward; after one a batch may come again (at-least-once).
export function delivered(rcv, { strict = true } = {}) {
  const latest = new Map();
  let last = 0;
  for (const r of rcv.acked()) {
    const seq = cursorSeq(r.json.cursor);
    if (strict) assert.ok(seq > last, `batch cursors rise: ${r.json.cursor} after c${last}`);
    last = seq;
    for (const c of r.json.changes) {
      const k = `${c.entity}/${c.id}`;
      const have = latest.get(k);
      if (strict) assert.ok(!have || c.version >= have.version, `${k}: v${c.version} after v${have?.version}`);
      if (!have || c.version >= have.version) latest.set(k, c);
    }
  }
  return latest;
}
