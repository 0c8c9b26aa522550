// Small helpers shared by the modules: the base URL (which may move between
// nodes or ports, hence a function), random keys, SHA-256 and timers.

/** @param {string | (() => string)} url */
export function resolveUrl(url) {
  const u = typeof url === 'function' ? url() : url;
  return String(u).replace(/\/+$/, '');
}

// Web Crypto is global in browsers and Node ≥ 19; Node 18 has it under
// node:crypto. Loaded lazily so browsers never see the import.
let cryptoPromise = null;
function webCrypto() {
  if (globalThis.crypto?.subtle) return Promise.resolve(globalThis.crypto);
  cryptoPromise ??= import('node:crypto').then((m) => m.webcrypto);
  return cryptoPromise;
}

/**
 * A random key for Idempotency-Key headers and client ids (UUID v4 form),
 * from crypto.randomUUID, else crypto.getRandomValues — never Math.random.
 * A page on a plain-http origin has getRandomValues but neither randomUUID
 * nor crypto.subtle, so it is not sent through webCrypto().
 */
export async function randomKey() {
  const c = globalThis.crypto?.getRandomValues ? globalThis.crypto : await webCrypto();
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Lowercase hex SHA-256 of a UTF-8 string. */
export async function sha256Hex(text) {
  const c = await webCrypto();
  const buf = await c.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(buf)].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Exponential backoff with full jitter: attempt n waits a random time in
 * [delay/2, delay], delay = min(max, initial·2^n). The random half keeps a
 * crowd of clients that lost the same server from coming back in lockstep.
 */
export function backoffDelay(attempt, { initial = 250, max = 30000, random = Math.random } = {}) {
  const d = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return d / 2 + random() * (d / 2);
}

/** A minimal event emitter (browsers and Node alike, no dependency). */
export class Emitter {
  constructor() { this.handlers = new Map(); }

  /** @returns {() => void} unsubscribe */
  on(event, fn) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event).add(fn);
    return () => this.handlers.get(event)?.delete(fn);
  }

  emit(event, ...args) {
    for (const fn of [...(this.handlers.get(event) ?? [])]) {
      try { fn(...args); } catch (e) { queueMicrotask(() => { throw e; }); }
    }
  }
}
