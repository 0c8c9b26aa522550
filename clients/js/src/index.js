// Shelfsync JavaScript client: REST helpers, live subscriptions with resume,
// a local cache with pluggable persistence, digest self-heal and a TanStack
// Query adapter. An ES module without dependencies, for browsers and Node ≥ 18.

import { RestClient } from './rest.js';
import { LiveClient } from './live.js';
import { Cache } from './cache.js';

export { ShelfsyncError } from './errors.js';
export { RestClient } from './rest.js';
export { LiveClient, Feed } from './live.js';
export { Cache, CacheCollection, MemoryStore, IndexedDBStore } from './cache.js';
export { digestOf, digestOfAll, murmur3 } from './digest.js';
export { pull } from './pull.js';
export { connectQueryClient, applyToList } from './tanstack.js';
export { SseParser } from './sse.js';
export { backoffDelay, randomKey } from './util.js';

/**
 * One object for an app: `rest` for requests, `live` for subscriptions,
 * `cache` shared by both.
 * @param {import('./rest.js').RestOptions & import('./live.js').LiveOptions} opts
 */
export function createClient(opts) {
  const rest = new RestClient(opts);
  const cache = opts.cache ?? new Cache();
  const live = new LiveClient({ ...opts, rest, cache });
  return {
    rest,
    live,
    cache,
    /** Same as live.subscribe. */
    subscribe: (topic, o) => live.subscribe(topic, o),
    close: () => live.close(),
  };
}
