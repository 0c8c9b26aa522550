// The cart: lines kept in localStorage, priced from the live catalog.

const KEY = 'shelfsync.shop.cart';
const listeners = new Set();

function load() {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

let lines = load();

function save() {
  try { localStorage.setItem(KEY, JSON.stringify(lines)); } catch { /* full or private */ }
  for (const fn of listeners) fn(lines);
}

// Another tab changed the cart.
window.addEventListener('storage', (e) => {
  if (e.key === KEY) { lines = load(); for (const fn of listeners) fn(lines); }
});

export const cart = {
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
    lines = lines.map((l) => (l.variant_id === variantId ? { ...l, qty } : l)).filter((l) => l.qty > 0);
    save();
  },
  remove(variantId) { lines = lines.filter((l) => l.variant_id !== variantId); save(); },
  replace(next) { lines = next.filter((l) => l.qty > 0); save(); },
  clear() { lines = []; save(); },
};
