// Brings a cached collection up to date over GET /api/sync, without a live
// connection (a page that polls, a till coming back online, a script). From
// the cached cursor it fetches only what changed; without one, or when the
// cursor has expired (410), it takes a full snapshot and swaps it in whole.

import { ShelfsyncError } from './errors.js';

/**
 * @param {import('./rest.js').RestClient} rest
 * @param {import('./cache.js').CacheCollection} collection an unfiltered view of `entity`
 * @param {string} entity
 * @param {{limit?: number, wait?: number, signal?: AbortSignal}} [opts]
 *   `wait`: long-poll seconds when resuming (answers as soon as something changes)
 * @returns {Promise<{snapshot: boolean, changes: number}>}
 */
export async function pull(rest, collection, entity, { limit, wait, signal } = {}) {
  if (collection.cursor) {
    try {
      return await since(rest, collection, entity, { limit, wait, signal });
    } catch (e) {
      if (!(e instanceof ShelfsyncError && e.code === 'cursor_expired')) throw e;
    }
  }
  return snapshot(rest, collection, entity, { limit, signal });
}

async function since(rest, collection, entity, { limit, wait, signal }) {
  let cursor = collection.cursor;
  let n = 0;
  for (let first = true; ; first = false) {
    const body = await rest.sync({ since: cursor, entities: entity, limit, wait: first ? wait : undefined, signal });
    const d = body.data[entity] ?? { added: [], updated: [], deleted: [] };
    const changes = [
      ...[...d.added, ...d.updated].map((r) => ({ entity, op: 'upsert', id: r.id, version: r.version, data: r })),
      // A sync delete carries no version; what is held is gone whatever its version.
      ...d.deleted.map((id) => ({ entity, op: 'delete', id, version: collection.get(id)?.version ?? 0 })),
    ];
    collection.apply(changes, body.cursor);
    n += changes.length;
    cursor = body.cursor;
    if (!body.has_more) return { snapshot: false, changes: n };
  }
}

async function snapshot(rest, collection, entity, { limit, signal }) {
  const records = new Map();
  let cursor;
  for (;;) {
    const body = await rest.sync({ since: cursor, entities: entity, limit, signal });
    const d = body.data[entity] ?? { added: [], updated: [], deleted: [] };
    for (const r of [...d.added, ...d.updated]) records.set(r.id, r);
    for (const id of d.deleted) records.delete(id);
    cursor = body.cursor;
    if (!body.has_more) break;
  }
  const diff = collection.replace([...records.values()], cursor, entity);
  return { snapshot: true, changes: diff.length };
}
