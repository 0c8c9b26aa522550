// The sale being rung up: lines by variant, kept in localStorage so a reload
// keeps it. Prices follow the live catalog until the sale is rung up.

import { lineTitle, sellable, variantPrice } from './catalog.js';

const STORAGE = 'shelfsync.pos.cart';

export class Cart {
  constructor() {
    /** @type {Map<string, {product_id: string, variant_id: string, title: string, unit_price: number, qty: number, currency: string}>} */
    this.lines = new Map();
    this.listeners = new Set();
    try {
      for (const l of JSON.parse(localStorage.getItem(STORAGE) ?? '[]')) this.lines.set(l.variant_id, l);
    } catch { /* a broken entry starts an empty sale */ }
  }

  onChange(fn) { this.listeners.add(fn); }
  changed() {
    try { localStorage.setItem(STORAGE, JSON.stringify([...this.lines.values()])); } catch { /* full or private */ }
    for (const fn of this.listeners) fn();
  }

  get size() { return this.lines.size; }
  units() { let n = 0; for (const l of this.lines.values()) n += l.qty; return n; }
  total() { let t = 0; for (const l of this.lines.values()) t += l.qty * l.unit_price; return t; }
  currency() { return this.lines.values().next().value?.currency; }
  qtyOf(variantId) { return this.lines.get(variantId)?.qty ?? 0; }
  qtyOfProduct(productId) {
    let n = 0;
    for (const l of this.lines.values()) if (l.product_id === productId) n += l.qty;
    return n;
  }

  /**
   * Adds `qty` units; refuses (with a reason) more than the known stock,
   * less `held`: units of sales rung up but not yet sent.
   * @returns {{ok: true} | {ok: false, reason: string}}
   */
  add(product, variant, qty = 1, held = 0) {
    const stock = Math.max(0, sellable(product, variant) - held);
    const title = lineTitle(product, variant);
    if (stock - this.qtyOf(variant.id) < qty) {
      const reason = stock === 0 ? `${title} is sold out` : `Only ${stock} of ${title} in stock`;
      return { ok: false, reason };
    }
    const line = this.lines.get(variant.id);
    if (line) line.qty += qty;
    else {
      this.lines.set(variant.id, {
        product_id: product.id, variant_id: variant.id, title, qty,
        unit_price: variantPrice(product, variant), currency: product.currency,
      });
    }
    this.changed();
    return { ok: true };
  }

  setQty(variantId, qty) {
    const line = this.lines.get(variantId);
    if (!line) return;
    if (qty <= 0) this.lines.delete(variantId);
    else line.qty = qty;
    this.changed();
  }

  remove(variantId) { this.setQty(variantId, 0); }

  clear() {
    this.lines.clear();
    this.changed();
  }

  /** Puts the lines of a sale back (after a sale could not be recorded). */
  restore(lines) {
    for (const l of lines) {
      const have = this.lines.get(l.variant_id);
      if (have) have.qty += l.qty;
      else this.lines.set(l.variant_id, { ...l });
    }
    this.changed();
  }

  /** Follows live price and title changes of products in the sale. */
  refresh(catalog) {
    let moved = false;
    for (const l of this.lines.values()) {
      const p = catalog.get(l.product_id);
      const v = p?.variants?.find((x) => x.id === l.variant_id);
      if (!v) continue;
      const price = variantPrice(p, v);
      const title = lineTitle(p, v);
      if (price !== l.unit_price || title !== l.title) {
        l.unit_price = price;
        l.title = title;
        moved = true;
      }
    }
    if (moved) this.changed();
  }

  /** What the sale sends and shows, frozen at ring-up. */
  snapshot() {
    return [...this.lines.values()].map((l) => ({ ...l }));
  }
}
