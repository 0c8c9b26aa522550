// The local cache: per collection (or per filtered view), the records the
// reader can see and the cursor they were read at. A persistence store keeps
// both so a reloaded page resumes with `since` instead of a new snapshot.
// Records and cursor are written together, so a stored cursor never runs
// ahead of the stored records.

import { Emitter } from './util.js';
import { digestOf } from './digest.js';

/**
 * @typedef {object} Change
 * @property {string} entity
 * @property {'upsert' | 'delete'} op
 * @property {string} id
 * @property {number} version
 * @property {string} [origin]
 * @property {object} [data]
 */

/**
 * What a store is asked to write in one step.
 * @typedef {object} StoreWrite
 * @property {string | null} cursor
 * @property {object[]} put records to store (whole records)
 * @property {string[]} del ids to remove
 * @property {boolean} replace drop every record of the key first
 */

/**
 * A persistence store: MemoryStore, IndexedDBStore, or anything with this shape.
 * @typedef {object} CacheStore
 * @property {(key: string) => Promise<{cursor: string | null, records: object[]} | null>} load
 * @property {(key: string, w: StoreWrite) => Promise<void>} write
 */

const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** One cached view: records by id plus the cursor they are current at. */
export class CacheCollection extends Emitter {
  constructor(key, store) {
    super();
    this.key = key;
    this.store = store;
    /** @type {Map<string, object>} */
    this.records = new Map();
    /** @type {string | null} */
    this.cursor = null;
    this.writing = Promise.resolve();
  }

  get size() { return this.records.size; }
  get(id) { return this.records.get(id); }
  /** Records sorted by id, the order the server lists them in. */
  list() { return [...this.records.values()].sort(byId); }

  /**
   * Applies live or replayed changes. A change older than what is held is
   * skipped (it can only be a duplicate). Returns the changes applied.
   * @param {Change[]} changes
   * @param {string | null | undefined} cursor the position after them
   */
  apply(changes, cursor) {
    const applied = [];
    const put = new Map();
    const del = new Set();
    for (const c of changes) {
      const have = this.records.get(c.id);
      if (have && typeof have.version === 'number' && c.version < have.version) continue;
      if (c.op === 'upsert') {
        if (!c.data) continue; // invalidate-mode changes carry no record to cache
        this.records.set(c.id, c.data);
        put.set(c.id, c.data);
        del.delete(c.id);
      } else if (c.op === 'delete') {
        if (!have) { applied.push(c); continue; }
        this.records.delete(c.id);
        put.delete(c.id);
        del.add(c.id);
      } else continue;
      applied.push(c);
    }
    if (cursor) this.cursor = cursor;
    this.persist({ cursor: this.cursor, put: [...put.values()], del: [...del], replace: false });
    if (applied.length) this.emit('changes', applied, { cursor: this.cursor, snapshot: false });
    return applied;
  }

  /**
   * Replaces everything with a fresh snapshot taken at `cursor`. Listeners
   * get the difference as ordinary changes, so views update in place.
   * @param {object[]} records
   * @param {string | null} cursor
   * @param {string} entity
   */
  replace(records, cursor, entity) {
    const next = new Map(records.map((r) => [r.id, r]));
    const diff = [];
    for (const [id, r] of next) {
      const have = this.records.get(id);
      if (!have || have.version !== r.version) diff.push({ entity, op: 'upsert', id, version: r.version, data: r });
    }
    for (const [id, have] of this.records) {
      if (!next.has(id)) diff.push({ entity, op: 'delete', id, version: have.version });
    }
    this.records = next;
    this.cursor = cursor;
    this.persist({ cursor, put: records, del: [], replace: true });
    this.emit('changes', diff, { cursor, snapshot: true });
    return diff;
  }

  /**
   * Forgets some records, keeping the cursor: the view no longer follows
   * them (a watch removed them). Listeners get them as deletes.
   */
  drop(ids, entity = this.key) {
    const gone = [];
    for (const id of ids) {
      const have = this.records.get(id);
      if (!have) continue;
      this.records.delete(id);
      gone.push({ entity, op: 'delete', id, version: have.version });
    }
    if (!gone.length) return;
    this.persist({ cursor: this.cursor, put: [], del: gone.map((c) => c.id), replace: false });
    this.emit('changes', gone, { cursor: this.cursor, snapshot: false });
  }

  /** Forgets the records and the cursor (the next subscribe takes a snapshot). */
  clear(entity = this.key) {
    const gone = [...this.records.values()];
    this.records = new Map();
    this.cursor = null;
    this.persist({ cursor: null, put: [], del: [], replace: true });
    if (gone.length) {
      this.emit('changes', gone.map((r) => ({ entity, op: 'delete', id: r.id, version: r.version })),
        { cursor: null, snapshot: true });
    }
  }

  // Writes are chained so they reach the store in the order they happened.
  persist(w) {
    this.writing = this.writing
      .then(() => this.store.write(this.key, w))
      .catch((e) => this.emit('error', e));
  }

  /** Resolves when every write so far has reached the store. */
  flush() { return this.writing; }

  /**
   * The digest the server computes for this view (GET /api/sync/digest):
   * `{count, hash}` over the `<entity>/<id>:<version>` lines.
   */
  digest(entity) {
    return digestOf(entity, this.records.values());
  }

  async load() {
    const saved = await this.store.load(this.key);
    if (!saved) return;
    this.records = new Map(saved.records.map((r) => [r.id, r]));
    this.cursor = saved.cursor ?? null;
  }
}

/** The set of cached views, sharing one persistence store. */
export class Cache {
  /** @param {{store?: CacheStore}} [opts] */
  constructor({ store } = {}) {
    this.store = store ?? new MemoryStore();
    /** @type {Map<string, Promise<CacheCollection>>} */
    this.opened = new Map();
  }

  /**
   * The cached view named `key` (a topic, or topic plus filter), loaded from
   * the store on first use.
   * @returns {Promise<CacheCollection>}
   */
  open(key) {
    let p = this.opened.get(key);
    if (!p) {
      const c = new CacheCollection(key, this.store);
      p = c.load().then(() => c);
      this.opened.set(key, p);
    }
    return p;
  }

  /** Waits until every collection's writes have reached the store. */
  async flush() {
    for (const p of this.opened.values()) await (await p).flush();
  }
}

/**
 * Keeps cached views in memory. Several Cache instances may share one, which
 * is how a test stands in for a page reload.
 */
export class MemoryStore {
  constructor() {
    /** @type {Map<string, {cursor: string | null, records: Map<string, object>}>} */
    this.keys = new Map();
  }

  async load(key) {
    const k = this.keys.get(key);
    if (!k) return null;
    return { cursor: k.cursor, records: [...k.records.values()].map((r) => structuredClone(r)) };
  }

  async write(key, { cursor, put, del, replace }) {
    let k = this.keys.get(key);
    if (!k || replace) {
      k = { cursor: null, records: new Map() };
      this.keys.set(key, k);
    }
    for (const id of del) k.records.delete(id);
    for (const r of put) k.records.set(r.id, structuredClone(r));
    k.cursor = cursor;
  }
}

/**
 * Keeps cached views in the browser's IndexedDB: object store `records`
 * (key [view, id]) and `meta` (key view → cursor). Each write is one
 * transaction over both, so records and cursor move together.
 */
export class IndexedDBStore {
  /** @param {string} [dbName] @param {{indexedDB?: IDBFactory}} [opts] */
  constructor(dbName = 'shelfsync', { indexedDB } = {}) {
    this.dbName = dbName;
    this.idb = indexedDB ?? globalThis.indexedDB;
    if (!this.idb) throw new TypeError('IndexedDBStore: no indexedDB in this environment');
    this.db = null;
  }

  open() {
    this.db ??= new Promise((resolve, reject) => {
      const req = this.idb.open(this.dbName, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('records')) db.createObjectStore('records', { keyPath: ['view', 'id'] });
        if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta', { keyPath: 'view' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('IndexedDBStore: database is blocked by another tab'));
    });
    return this.db;
  }

  // Every id of a view: ids are ASCII [A-Za-z0-9_-], so '\uffff' bounds them.
  range(key) { return IDBKeyRange.bound([key, ''], [key, '\uffff']); }

  async load(key) {
    const db = await this.open();
    const tx = db.transaction(['records', 'meta'], 'readonly');
    const [rows, meta] = await Promise.all([
      request(tx.objectStore('records').getAll(this.range(key))),
      request(tx.objectStore('meta').get(key)),
    ]);
    if (!meta && rows.length === 0) return null;
    return { cursor: meta?.cursor ?? null, records: rows.map((r) => r.data) };
  }

  async write(key, { cursor, put, del, replace }) {
    const db = await this.open();
    const tx = db.transaction(['records', 'meta'], 'readwrite');
    const records = tx.objectStore('records');
    if (replace) records.delete(this.range(key));
    for (const id of del) records.delete([key, id]);
    for (const r of put) records.put({ view: key, id: r.id, data: r });
    tx.objectStore('meta').put({ view: key, cursor });
    await new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  }

  /** Deletes the whole database (e.g. on sign-out). */
  async destroy() {
    if (this.db) (await this.db).close();
    this.db = null;
    await request(this.idb.deleteDatabase(this.dbName));
  }
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
