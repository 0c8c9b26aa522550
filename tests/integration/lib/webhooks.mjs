// Webhook receivers for the tests (SPEC §8): an HTTP(S) server on
// 127.0.0.1 that keeps every delivery, the check of a delivery's
// signatures, and what the deliveries add up to.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';

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

// Checks both signatures of a received delivery `r` against the hook's
// secret: X-Shelfsync-Signature with plain HMAC code, and the Standard
// Webhooks headers with the `standardwebhooks` package (which throws).
export function verifySignatures(r, secret) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const [tPart, vPart] = r.headers['x-shelfsync-signature'].split(',');
  const t = tPart.slice(2);
  const expected = crypto.createHmac('sha256', key).update(`${t}.${r.body}`).digest('hex');
  assert.equal(vPart, `v1=${expected}`, 'X-Shelfsync-Signature is HMAC-SHA256 of "<t>.<body>"');
  assert.equal(r.headers['webhook-timestamp'], t);
  // The library's tolerance for the timestamp is 5 minutes.
  new Webhook(secret).verify(r.body, {
    'webhook-id': r.headers['webhook-id'],
    'webhook-timestamp': r.headers['webhook-timestamp'],
    'webhook-signature': r.headers['webhook-signature'],
  });
}

// The newest version of each record over the acknowledged batches (of the
// requests from index `from` on, e.g. since a restart). Without a restart
// (`strict`), batches and each record's versions only move forward; after
// one a batch may come again (at-least-once).
export function delivered(rcv, { strict = true, from = 0 } = {}) {
  const latest = new Map();
  let last = 0;
  for (const r of rcv.requests.slice(from).filter((x) => x.status >= 200 && x.status < 300)) {
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
