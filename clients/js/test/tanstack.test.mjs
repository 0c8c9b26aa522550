// Must-show (c): the TanStack Query adapter writes live changes into the
// query cache. Every fetch goes through a counting queryFn; after the
// initial loads, live changes (patches, creates, deletes, a product leaving
// the view, a reconnect) update the list and detail queries with zero
// refetches.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { startServer, makeClient, freshSync, diffRecords, eventually, Writer } from './helpers.mjs';
import { connectQueryClient, applyToList } from '../src/index.js';

test('TanStack adapter: list and detail queries follow live changes without a refetch', async () => {
  const srv = await startServer();
  let c;
  let qc;
  const unsubs = [];
  try {
    const t = await srv.createTenant('js-tanstack');
    const writer = new Writer(srv, t.admin_token, { seed: 13, prefix: 'q' });
    for (let i = 0; i < 10; i++) await writer.create();
    c = makeClient(srv, t.public_token);

    qc = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
    qc.mount();
    let fetches = 0;
    const listQuery = { queryKey: ['products'], queryFn: () => { fetches++; return c.rest.listAll('products'); } };
    const detailQuery = (id) => ({ queryKey: ['products', id], queryFn: () => { fetches++; return c.rest.get('products', id); } });

    // A screen with the list and one product page open.
    const watched = writer.pick();
    const listObs = new QueryObserver(qc, listQuery);
    const detailObs = new QueryObserver(qc, detailQuery(watched));
    let renders = 0;
    unsubs.push(listObs.subscribe(() => { renders++; }), detailObs.subscribe(() => { renders++; }));
    assert.ok(await eventually(() => listObs.getCurrentResult().isSuccess && detailObs.getCurrentResult().isSuccess));
    assert.equal(fetches, 2, 'initial loads');

    const feed = c.subscribe('products');
    unsubs.push(connectQueryClient(qc, feed));
    await feed.ready;

    // Live changes: edits (one to the watched product), creates, deletes,
    // a product turned draft (leaves a shopper's view), and a reconnect.
    await writer.patch(watched, { price: 4242 });
    for (let i = 0; i < 40; i++) {
      if (i === 20) c.live.reconnect();
      await writer.step();
    }
    const drafted = [...writer.live.keys()].find((id) => id !== watched);
    await writer.patch(drafted, { status: 'draft' });

    const expected = await freshSync(srv, t.public_token);
    const listOk = await eventually(() => diffRecords(qc.getQueryData(['products']) ?? [], expected) === null);
    assert.ok(listOk, `list query differs: ${diffRecords(qc.getQueryData(['products']) ?? [], expected)}`);
    assert.ok(!qc.getQueryData(['products']).some((p) => p.id === drafted), 'the drafted product left the list');
    const detail = expected.find((p) => p.id === watched);
    if (detail) assert.deepEqual(qc.getQueryData(['products', watched]), detail, 'detail query holds the latest state');
    else assert.equal(qc.getQueryData(['products', watched]), null, 'a deleted product reads null');
    assert.deepEqual(listObs.getCurrentResult().data, qc.getQueryData(['products']), 'the observer sees the new data');
    assert.ok(renders > 2, 'observers were notified');

    // A second screen mounting the same queries reads the cache: no fetch.
    const again = new QueryObserver(qc, listQuery);
    unsubs.push(again.subscribe(() => {}));
    assert.equal(again.getCurrentResult().data.length, expected.length);
    assert.equal(fetches, 2, 'zero refetches after the initial loads');
    assert.equal(qc.getQueryCache().find({ queryKey: ['products'] }).state.dataUpdateCount > 1, true);
  } finally {
    for (const u of unsubs) u();
    qc?.unmount();
    qc?.clear();
    c?.close();
    await srv.stop();
  }
});

test('applyToList keeps order, replaces by id, drops deletes and never mutates', () => {
  const old = [{ id: 'a', version: 1 }, { id: 'c', version: 1 }];
  const frozen = JSON.stringify(old);
  const next = applyToList(old, [
    { op: 'upsert', id: 'b', version: 1, data: { id: 'b', version: 1 } },
    { op: 'upsert', id: 'c', version: 2, data: { id: 'c', version: 2 } },
    { op: 'upsert', id: 'a', version: 0, data: { id: 'a', version: 0 } }, // stale: ignored
    { op: 'delete', id: 'zz', version: 3 },
  ]);
  assert.deepEqual(next, [{ id: 'a', version: 1 }, { id: 'b', version: 1 }, { id: 'c', version: 2 }]);
  assert.equal(JSON.stringify(old), frozen);
  const page = applyToList({ data: next, next: null }, [{ op: 'delete', id: 'b', version: 2 }]);
  assert.deepEqual(page, { data: [{ id: 'a', version: 1 }, { id: 'c', version: 2 }], next: null });
  assert.equal(applyToList(next, [{ op: 'delete', id: 'nope', version: 1 }]), next, 'unchanged → same object');
});
