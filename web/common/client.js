// The project's JavaScript client, set up for a page on this server.

import { createClient, Cache, IndexedDBStore, MemoryStore } from '/assets/client/index.js';

export { ShelfsyncError, randomKey } from '/assets/client/index.js';

// A client whose cache is kept in IndexedDB database `db` (in memory when
// `persist` is false or the browser has no IndexedDB). Other options
// (clientId, backoff, ...) go to the client as they are.
export function pageClient(token, { db = 'shelfsync-pages', persist = true, ...opts } = {}) {
  let store;
  try {
    store = persist && globalThis.indexedDB ? new IndexedDBStore(db) : new MemoryStore();
  } catch {
    store = new MemoryStore();
  }
  return createClient({ ...opts, url: location.origin, token, cache: new Cache({ store }) });
}
