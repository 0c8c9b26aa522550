// A cart kept in localStorage (the shop's, a partner's in the portal):
// lines {product_id, variant_id, qty, added_price, title, variant}, priced
// from the live catalog when shown. Another tab's changes reach this one.

import { variantPrice, isBuyable } from './products.js';

/**
 * @param {string} storageName localStorage entry holding the lines
 */
export function createCart(storageName) {
  const listeners = new Set();
  const load = () => {
    try {
      const v = JSON.parse(localStorage.getItem(storageName) || '[]');
      return Array.isArray(v) ? v : [];
    } catch {
      return [];
    }
  };
  let lines = load();
  const notify = () => { for (const fn of listeners) fn(lines); };
  const save = () => {
    try {
      localStorage.setItem(storageName, JSON.stringify(lines));
    } catch { /* full or private */ }
    notify();
  };
  window.addEventListener('storage', (e) => {
    if (e.key === storageName) { lines = load(); notify(); }
  });

  return {
    lines: () => lines,
    count: () => lines.reduce((n, l) => n + l.qty, 0),
    onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); },
    add(line) {
      const have = lines.find((l) => l.variant_id === line.variant_id);
      if (have) have.qty = Math.min(have.qty + line.qty, 10000);
      else lines.push({ ...line });
      save();
    },
    setQty(variantId, qty) {
      lines = lines.map((l) => (l.variant_id === variantId ? { ...l, qty } : l))
        .filter((l) => l.qty > 0);
      save();
    },
    remove(variantId) { lines = lines.filter((l) => l.variant_id !== variantId); save(); },
    replace(next) { lines = next.filter((l) => l.qty > 0); save(); },
    clear() { lines = []; save(); },
  };
}

/**
 * Each line with what the catalog says now: {line, product, variant, price, buyable}.
 * @param {ReturnType<typeof createCart>} cart
 * @param {Map<string, object>} products the live catalog by id
 */
export function pricedLines(cart, products) {
  return cart.lines().map((line) => {
    const product = products.get(line.product_id) || null;
    const variant = product?.variants?.find((v) => v.id === line.variant_id) || null;
    const price = product ? variantPrice(product, variant) : line.added_price;
    return { line, product, variant, price, buyable: !!product && isBuyable(product, variant) };
  });
}
