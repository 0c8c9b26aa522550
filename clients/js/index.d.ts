// Types for the Shelfsync JavaScript client (src/ is plain JavaScript with JSDoc).

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every record has these; the rest depends on the collection. */
export interface ShelfsyncRecord {
  id: string;
  version: number;
  created_at?: string;
  updated_at?: string;
  [field: string]: unknown;
}

export interface Change<T extends ShelfsyncRecord = ShelfsyncRecord> {
  entity: string;
  op: 'upsert' | 'delete';
  id: string;
  version: number;
  origin?: string;
  /** The record's new state (upsert in mode data). */
  data?: T;
}

export interface Correction {
  index: number;
  field: 'price' | 'stock' | 'availability' | 'sale' | string;
  expected: unknown;
  actual: unknown;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
  current?: ShelfsyncRecord;
  corrections?: Correction[];
  [extension: string]: unknown;
}

export class ShelfsyncError extends Error {
  constructor(problem: Problem, info?: { method?: string; path?: string; cause?: unknown });
  readonly problem: Problem;
  /** HTTP status; 0 when the server could not be reached or a live subscription was refused. */
  readonly status: number;
  /** e.g. `version_mismatch`, `checkout_corrections`, `network_error`. */
  readonly code: string;
  readonly errors: { field: string; message: string }[];
  /** The current record on a 412 version_mismatch. */
  readonly current?: ShelfsyncRecord;
  /** Checkout corrections on a 409 checkout_corrections. */
  readonly corrections?: Correction[];
  readonly method?: string;
  readonly path?: string;
}

export interface RestOptions {
  /** Base URL; a function is asked again for every request. */
  url: string | (() => string);
  token?: string;
  fetch?: typeof fetch;
  /** Sent as X-Client-Id on mutations; change events carry it as `origin`. */
  clientId?: string;
  headers?: Record<string, string>;
}

export interface Page<T = ShelfsyncRecord> { data: T[]; next: string | null }

export interface SyncAnswer {
  cursor: string;
  has_more: boolean;
  has_changes: boolean;
  data: Record<string, { added: ShelfsyncRecord[]; updated: ShelfsyncRecord[]; deleted: string[]; count: { added: number; updated: number; deleted: number } }>;
}

export interface Digest { cursor: string; count: number; hash: string }

export interface OrderItem { product_id: string; variant_id: string; qty: number; unit_price: number }

type Opts = { signal?: AbortSignal };
type IfMatch = Opts & { ifMatch?: number | string };
type Shop = { tenant: string; name: string; currency: string; time_zone: string; large_order_total?: number | null };
type Idem = Opts & { idempotencyKey?: string };

export class RestClient {
  constructor(opts: RestOptions);
  baseUrl(): string;
  /** The token's shop (any role, a public key too). */
  shop(o?: { signal?: AbortSignal }): Promise<Shop>;
  patchShop(patch: Partial<Pick<Shop, 'name' | 'time_zone' | 'large_order_total'>>, o?: Opts): Promise<Shop>;
  request(method: string, path: string, o?: { json?: unknown; body?: BodyInit; contentType?: string; headers?: Record<string, string>; signal?: AbortSignal }): Promise<{ status: number; headers: Headers; body: any }>;
  get<T = ShelfsyncRecord>(collection: string, id: string, o?: Opts & { ifNoneMatch?: number | string }): Promise<T | null>;
  listPage<T = ShelfsyncRecord>(collection: string, params?: Record<string, string | number | boolean | undefined | null>, o?: Opts): Promise<Page<T>>;
  list<T = ShelfsyncRecord>(collection: string, params?: Record<string, string | number | boolean | undefined | null>, o?: Opts): AsyncGenerator<T>;
  listAll<T = ShelfsyncRecord>(collection: string, params?: Record<string, string | number | boolean | undefined | null>, o?: Opts): Promise<T[]>;
  create<T = ShelfsyncRecord>(collection: string, doc: object, o?: Opts): Promise<T>;
  patch<T = ShelfsyncRecord>(collection: string, id: string, patch: object, o?: IfMatch): Promise<T>;
  delete(collection: string, id: string, o?: IfMatch): Promise<void>;
  addImage<T = ShelfsyncRecord>(productId: string, image: Blob | ArrayBuffer | ArrayBufferView | { url: string; alt?: string; width?: number; height?: number }, o?: Opts & { contentType?: string; alt?: string }): Promise<T>;
  deleteImage<T = ShelfsyncRecord>(productId: string, imageId: string, o?: Opts): Promise<T>;
  reorderImages<T = ShelfsyncRecord>(productId: string, imageIds: string[], o?: Opts): Promise<T>;
  validateCheckout(items: OrderItem[], o?: Opts): Promise<{ ok: true; total: number; currency?: string }>;
  placeOrder<T = ShelfsyncRecord>(order: { items: OrderItem[]; customer_id?: string; channel?: 'web' | 'pos' | 'partner' | 'api' }, o?: Idem): Promise<T>;
  confirmOrder<T = ShelfsyncRecord>(id: string, o?: IfMatch): Promise<T>;
  fulfillOrder<T = ShelfsyncRecord>(id: string, o?: IfMatch): Promise<T>;
  cancelOrder<T = ShelfsyncRecord>(id: string, o?: IfMatch): Promise<T>;
  adjustStock(adjustment: { variant_id: string; delta?: number; set?: number; reason?: 'purchase' | 'adjustment' | 'return'; note?: string }, o?: Idem): Promise<{ product_id: string; variant_id: string; stock: number; movement: ShelfsyncRecord | null }>;
  syncStock(levels: { sku: string; stock: number }[], o?: Opts): Promise<{ updated: object[]; unchanged: string[]; unknown: string[] }>;
  createBill<T = ShelfsyncRecord>(bill: { customer_id: string; amount: number; due_at?: string; note?: string }, o?: Idem): Promise<T>;
  payBill<T = ShelfsyncRecord>(id: string, payment: { amount: number; method: 'cash' | 'card' | 'transfer' | 'other'; reference?: string }, o?: Idem & IfMatch): Promise<T>;
  voidBill<T = ShelfsyncRecord>(id: string, o?: IfMatch): Promise<T>;
  stats(o?: Opts & { from?: string; to?: string; tz?: string }): Promise<Record<string, unknown>>;
  sync(o?: Opts & { since?: string; entities?: string | string[]; limit?: number; wait?: number }): Promise<SyncAnswer>;
  digest(entities?: string | string[], o?: Opts & { ids?: string[]; filter?: Record<string, unknown> }): Promise<Digest>;
}

export interface StoreWrite { cursor: string | null; put: ShelfsyncRecord[]; del: string[]; replace: boolean }

/** Persistence for the cache; MemoryStore and IndexedDBStore implement it. */
export interface CacheStore {
  load(key: string): Promise<{ cursor: string | null; records: ShelfsyncRecord[] } | null>;
  write(key: string, w: StoreWrite): Promise<void>;
}

export class MemoryStore implements CacheStore {
  constructor();
  load(key: string): Promise<{ cursor: string | null; records: ShelfsyncRecord[] } | null>;
  write(key: string, w: StoreWrite): Promise<void>;
}

export class IndexedDBStore implements CacheStore {
  constructor(dbName?: string, opts?: { indexedDB?: IDBFactory });
  load(key: string): Promise<{ cursor: string | null; records: ShelfsyncRecord[] } | null>;
  write(key: string, w: StoreWrite): Promise<void>;
  destroy(): Promise<void>;
}

export type Unsubscribe = () => void;
export interface ChangeInfo { cursor: string | null; snapshot: boolean }

export class CacheCollection<T extends ShelfsyncRecord = ShelfsyncRecord> {
  readonly key: string;
  readonly records: Map<string, T>;
  readonly cursor: string | null;
  readonly size: number;
  get(id: string): T | undefined;
  list(): T[];
  apply(changes: Change<T>[], cursor?: string | null): Change<T>[];
  replace(records: T[], cursor: string | null, entity: string): Change<T>[];
  clear(entity?: string): void;
  flush(): Promise<void>;
  digest(entity: string): Promise<{ count: number; hash: string }>;
  on(event: 'changes', fn: (changes: Change<T>[], info: ChangeInfo) => void): Unsubscribe;
  on(event: 'error', fn: (err: unknown) => void): Unsubscribe;
}

export class Cache {
  constructor(opts?: { store?: CacheStore });
  readonly store: CacheStore;
  open<T extends ShelfsyncRecord = ShelfsyncRecord>(key: string): Promise<CacheCollection<T>>;
  flush(): Promise<void>;
}

export interface LiveOptions {
  url: string | (() => string);
  token?: string;
  /** WebSocket constructor: the global one in browsers; in Node e.g. the `ws` package. */
  WebSocket?: any;
  /** EventSource constructor; without one, SSE is read over fetch. */
  EventSource?: any;
  fetch?: typeof fetch;
  transport?: 'auto' | 'websocket' | 'sse';
  rest?: RestClient;
  cache?: Cache;
  backoff?: { initial?: number; max?: number };
  pingInterval?: number;
  pongTimeout?: number;
  connectTimeout?: number;
  sseIdleTimeout?: number;
  fallbackAfter?: number;
}

export type FeedStatus = 'connecting' | 'snapshot' | 'live' | 'reconnecting' | 'error' | 'closed';

export interface SubscribeOptions {
  /** `{ids: [...]}` or equality on indexed fields, e.g. `{category_id: "c1"}`. */
  filter?: Record<string, unknown>;
  /** 0–5000 ms; 0 sends each change at once. */
  batchMs?: number;
  /** Cache key (default: topic plus filter). Use one per token/role on a shared persistent store. */
  key?: string;
}

/** A record whose cached version differed from the server's (null: absent on that side). */
export interface VersionDiff { id: string; had: number | null; now: number | null }

export class Feed<T extends ShelfsyncRecord = ShelfsyncRecord> {
  readonly topic: string;
  readonly filter: Record<string, unknown> | null;
  readonly key: string;
  readonly status: FeedStatus;
  readonly cursor: string | null;
  readonly collection: CacheCollection<T> | null;
  readonly error?: ShelfsyncError;
  /** Resolves at the first `subscribed` (when resuming, the replay follows as `changes`); rejects with ShelfsyncError if the server refuses the subscription. */
  readonly ready: Promise<void>;
  records(): T[];
  get(id: string): T | undefined;
  resync(): Promise<void>;
  /** Changes the ids an ids-filtered feed follows, in place (SPEC §7 `watch`). */
  watch(change: { add?: string[]; remove?: string[] }): void;
  verify(o?: { heal?: boolean; attempts?: number; interval?: number }): Promise<{ ok: boolean; healed: boolean; count: number; hash: string; differed?: VersionDiff[] }>;
  close(): void;
  /** The view kept by the cache's store (e.g. from an earlier visit) is loaded, before any network; `count` 0 when there was none. */
  on(event: 'loaded', fn: (info: { count: number; cursor: string | null }) => void): Unsubscribe;
  on(event: 'changes', fn: (changes: Change<T>[], info: ChangeInfo) => void): Unsubscribe;
  on(event: 'status', fn: (status: FeedStatus) => void): Unsubscribe;
  on(event: 'reset', fn: (code: string) => void): Unsubscribe;
  on(event: 'heal', fn: (serverDigest: Digest) => void): Unsubscribe;
  on(event: 'repair', fn: (report: { topic: string; differed: VersionDiff[] }) => void): Unsubscribe;
  on(event: 'error', fn: (err: ShelfsyncError) => void): Unsubscribe;
}

export class LiveClient {
  constructor(opts: LiveOptions);
  readonly status: 'idle' | 'connecting' | 'open' | 'disconnected' | 'closed';
  /** The transport in use now. */
  readonly kind: 'websocket' | 'sse';
  readonly cache: Cache;
  subscribe<T extends ShelfsyncRecord = ShelfsyncRecord>(topic: string, opts?: SubscribeOptions): Feed<T>;
  reconnect(): void;
  close(): void;
  on(event: 'status', fn: (status: string) => void): Unsubscribe;
  on(event: 'transport', fn: (kind: 'websocket' | 'sse') => void): Unsubscribe;
  on(event: 'error', fn: (err: Error) => void): Unsubscribe;
}

export interface ShelfsyncClient {
  rest: RestClient;
  live: LiveClient;
  cache: Cache;
  subscribe<T extends ShelfsyncRecord = ShelfsyncRecord>(topic: string, opts?: SubscribeOptions): Feed<T>;
  close(): void;
}

export function createClient(opts: RestOptions & LiveOptions): ShelfsyncClient;

export function pull(rest: RestClient, collection: CacheCollection, entity: string, o?: { limit?: number; wait?: number; signal?: AbortSignal }): Promise<{ snapshot: boolean; changes: number }>;

export function digestOf(entity: string, records: Iterable<{ id: string; version: number }>): Promise<{ count: number; hash: string }>;
export function digestOfAll(byEntity: Record<string, Iterable<{ id: string; version: number }>>): Promise<{ count: number; hash: string }>;
/** MurmurHash3 x86_32 of an ASCII string (the digest's record hash). */
export function murmur3(s: string, seed: number): number;

export interface QueryClientLike {
  getQueryData(key: readonly unknown[]): unknown;
  setQueryData(key: readonly unknown[], data: unknown): unknown;
}

export function connectQueryClient<T extends ShelfsyncRecord = ShelfsyncRecord>(queryClient: QueryClientLike, feed: Feed<T>, opts?: {
  listKey?: readonly unknown[] | null;
  detailKey?: ((id: string) => readonly unknown[]) | null;
  sort?: (a: T, b: T) => number;
  matches?: (record: T) => boolean;
  seed?: boolean;
}): Unsubscribe;

export function applyToList<L>(old: L, changes: Change[], sort?: (a: any, b: any) => number, matches?: (r: any) => boolean): L;

export class SseParser {
  constructor(onEvent: (ev: { event: string; data: string; id: string | null }) => void, onComment?: () => void);
  feed(text: string): void;
}

export function backoffDelay(attempt: number, o?: { initial?: number; max?: number; random?: () => number }): number;
/** A random key in UUID v4 form (for Idempotency-Key headers, client ids). */
export function randomKey(): Promise<string>;
