// Sales rung up at this till, kept in IndexedDB until the server has
// recorded them. Each carries the Idempotency-Key made when it was rung up,
// so sending it again (after a lost answer, a reload, a restart) can only
// ever record it once. A sale the server refused stays here as `failed`
// until the cashier deals with it.

/**
 * @typedef {object} QueuedSale
 * @property {string} key Idempotency-Key
 * @property {{product_id: string, variant_id: string, qty: number, unit_price: number}[]} items the order's items, sent as they are
 * @property {{title: string, qty: number, unit_price: number, product_id: string, variant_id: string, currency: string}[]} lines what the cashier saw
 * @property {number} total
 * @property {string} currency
 * @property {string} rung_at ISO time of ring-up
 * @property {'queued' | 'failed'} state
 * @property {number} attempts
 * @property {{title: string, problems: string[]} | null} failure why the server refused it
 */

function done(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export class SaleQueue {
  /** @param {string} dbName one per key, so two shops on one browser never mix */
  constructor(dbName) {
    this.dbName = dbName;
    this.db = null;
    this.listeners = new Set();
    /** @type {QueuedSale[]} a copy of what is stored, oldest first */
    this.sales = [];
  }

  async open() {
    this.db = await new Promise((resolve, reject) => {
      const req = indexedDB.open(this.dbName, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('sales', { keyPath: 'key' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    this.sales = (await done(this.db.transaction('sales').objectStore('sales').getAll()))
      .sort((a, b) => a.rung_at.localeCompare(b.rung_at));
    this.changed();
    return this;
  }

  onChange(fn) { this.listeners.add(fn); }
  changed() { for (const fn of this.listeners) fn(this.sales); }

  queued() { return this.sales.filter((s) => s.state === 'queued'); }
  failed() { return this.sales.filter((s) => s.state === 'failed'); }

  /** Units of a variant in sales not yet recorded (queued, not failed). */
  held(variantId) {
    let n = 0;
    for (const s of this.sales) {
      if (s.state !== 'queued') continue;
      for (const i of s.items) if (i.variant_id === variantId) n += i.qty;
    }
    return n;
  }

  async #write(fn) {
    const tx = this.db.transaction('sales', 'readwrite');
    fn(tx.objectStore('sales'));
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('sale queue write aborted'));
    });
  }

  /** Stores a sale (new or changed); resolves once it is on disk. */
  async put(sale) {
    await this.#write((store) => store.put(sale));
    const i = this.sales.findIndex((s) => s.key === sale.key);
    if (i >= 0) this.sales[i] = sale;
    else this.sales.push(sale);
    this.changed();
  }

  async remove(key) {
    await this.#write((store) => store.delete(key));
    this.sales = this.sales.filter((s) => s.key !== key);
    this.changed();
  }
}
