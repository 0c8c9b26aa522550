// Writes a feed's changes straight into a TanStack Query cache with
// setQueryData, for a list key and per-record detail keys, so screens that
// read those queries update live without any refetch. It never invalidates:
// give the managed queries `staleTime: Infinity` so nothing else refetches
// them either.

const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * @param {{getQueryData: Function, setQueryData: Function}} queryClient a TanStack QueryClient
 * @param {import('./live.js').Feed} feed
 * @param {object} [opts]
 * @param {readonly unknown[] | null} [opts.listKey] default `[topic]`; null: no list
 * @param {((id: string) => readonly unknown[]) | null} [opts.detailKey] default `(id) => [topic, id]`; null: no details
 * @param {(a: object, b: object) => number} [opts.sort] list order (default: by id, as the server lists)
 * @param {(record: object) => boolean} [opts.matches] which records belong in the list (default: all in the feed)
 * @param {boolean} [opts.seed] also fill the list and details that are not loaded yet (default false:
 *   only queries that exist are updated, so each query still loads once through its queryFn)
 * @returns {() => void} stops the updates
 */
export function connectQueryClient(queryClient, feed, opts = {}) {
  const listKey = opts.listKey === undefined ? [feed.topic] : opts.listKey;
  const detailKey = opts.detailKey === undefined ? (id) => [feed.topic, id] : opts.detailKey;
  const sort = opts.sort ?? byId;
  const matches = opts.matches ?? (() => true);
  const seed = opts.seed ?? false;

  const onChanges = (changes) => {
    if (detailKey) {
      for (const c of changes) {
        const key = detailKey(c.id);
        if (!seed && queryClient.getQueryData(key) === undefined) continue;
        const old = queryClient.getQueryData(key);
        if (c.op === 'upsert') {
          if (old && typeof old.version === 'number' && old.version > c.version) continue;
          queryClient.setQueryData(key, c.data);
        } else {
          queryClient.setQueryData(key, null); // gone, or no longer visible to this reader
        }
      }
    }
    if (listKey) {
      const old = queryClient.getQueryData(listKey);
      if (old === undefined && !seed) return;
      const next = applyToList(old === undefined ? [] : old, changes, sort, matches);
      if (next !== old) queryClient.setQueryData(listKey, next);
    }
  };

  const off = feed.on('changes', onChanges);
  // Seeding also covers a feed whose cache already held data (a reload).
  if (seed && feed.collection) onChanges(feed.records().map((r) => ({ op: 'upsert', id: r.id, version: r.version, data: r })));
  return off;
}

/**
 * Applies changes to list data: an array of records, or an object with a
 * `data` array (a page as the REST API returns it). Returns a new value
 * (the old one if nothing changed), never mutating the old.
 */
export function applyToList(old, changes, sort = byId, matches = () => true) {
  const arr = Array.isArray(old) ? old : old && Array.isArray(old.data) ? old.data : null;
  if (!arr) return old;
  const byIdMap = new Map(arr.map((r) => [r.id, r]));
  let changed = false;
  for (const c of changes) {
    const have = byIdMap.get(c.id);
    if (c.op === 'upsert' && c.data && matches(c.data)) {
      if (have && typeof have.version === 'number' && have.version > c.version) continue;
      byIdMap.set(c.id, c.data);
      changed = true;
    } else if (have) {
      byIdMap.delete(c.id);
      changed = true;
    }
  }
  if (!changed) return old;
  const next = [...byIdMap.values()].sort(sort);
  return Array.isArray(old) ? next : { ...old, data: next };
}
