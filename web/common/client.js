// The project's JavaScript client, set up for a page on this server.

import { createClient, Cache, IndexedDBStore, MemoryStore } from '/assets/client/index.js';

export { ShelfsyncError } from '/assets/client/index.js';

export function pageClient(token, { db = 'shelfsync-pages', persist = true, clientId } = {}) {
  let store;
  try {
    store = persist && globalThis.indexedDB ? new IndexedDBStore(db) : new MemoryStore();
  } catch {
    store = new MemoryStore();
  }
  return createClient({ url: location.origin, token, clientId, cache: new Cache({ store }) });
}

// A short label for a feed's status, for the connection pill.
export function statusLabel(s) {
  switch (s) {
    case 'live': return 'Live';
    case 'snapshot': case 'connecting': return 'Connecting…';
    case 'reconnecting': return 'Offline — reconnecting…';
    case 'closed': return 'Disconnected';
    default: return String(s || '');
  }
}
