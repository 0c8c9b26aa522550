// Checkout (the shop, a partner in the portal): validate, then place the
// order with an Idempotency-Key. When the server answers with corrections
// (prices, stock, availability, sale), a dialog lists each one; accepting
// applies them to the cart and places the order.

import { h } from './dom.js';
import { formatMoney } from './money.js';
import { randomKey } from './client.js';
import { pricedLines } from './cart.js';
import { variantPrice } from './products.js';

function orderItems(rows) {
  return rows.map((r) => ({ product_id: r.line.product_id, variant_id: r.line.variant_id, qty: r.line.qty, unit_price: r.price }));
}

// One key per distinct order body, so a retry after a lost answer cannot
// place the order twice, and a corrected order is a new request. Once the
// order is placed its key is dropped: the same items ordered again later
// are a new order, not a replay of the first.
// The key is the client's randomKey (crypto.randomUUID, else
// crypto.getRandomValues): never guessable, never shared by two orders.
const keys = new Map();
async function keyFor(order) {
  const body = JSON.stringify(order);
  if (!keys.has(body)) keys.set(body, randomKey());
  return keys.get(body);
}

async function place(rest, order) {
  const placed = await rest.placeOrder(order, { idempotencyKey: await keyFor(order) });
  keys.delete(JSON.stringify(order));
  return placed;
}

function describe(c, row, currency) {
  const name = row ? `${row.line.title}${row.line.variant ? ` (${row.line.variant})` : ''}` : `Item ${c.index + 1}`;
  switch (c.field) {
    case 'price': return [name, `Price changed from ${formatMoney(c.expected, currency)} to ${formatMoney(c.actual, currency)}`];
    case 'stock': return [name, c.actual > 0 ? `Only ${c.actual} left (you asked for ${c.expected}) — your order will have ${c.actual}` : 'Sold out — will be removed'];
    case 'availability': return [name, 'No longer available — will be removed'];
    case 'sale':
      if (typeof c.actual === 'number') return [name, `Only ${c.actual} left at the sale price (you asked for ${c.expected})`];
      return [name, c.actual ? 'Now on sale — the price is lower' : 'The sale has ended — the price is back to normal'];
    default: return [name, `${c.field}: ${c.expected} → ${c.actual}`];
  }
}

// The cart lines with the corrections applied.
async function applyCorrections(rows, corrections, rest) {
  const next = rows.map((r) => ({ ...r.line, unit_price: r.price }));
  for (const c of corrections) {
    const l = next[c.index];
    if (!l) continue;
    if (c.field === 'price') l.unit_price = c.actual;
    else if (c.field === 'stock') l.qty = Math.min(l.qty, Math.max(0, c.actual));
    else if (c.field === 'availability') l.qty = 0;
    else if (c.field === 'sale') {
      if (typeof c.actual === 'number') l.qty = Math.min(l.qty, Math.max(0, c.actual));
      try {
        const p = await rest.get('products', l.product_id);
        l.unit_price = variantPrice(p, p.variants.find((v) => v.id === l.variant_id));
      } catch { l.qty = 0; }
    }
  }
  return next;
}

function dialog(corrections, rows, currency) {
  return new Promise((resolve) => {
    const dlg = h('dialog.corrections', { 'aria-labelledby': 'corr-title' },
      h('div.dialog-body',
        h('h2', { id: 'corr-title' }, 'Some items changed'),
        h('p.muted', 'Prices or stock changed since you filled your cart. Please check:'),
        h('ul.correction-list', corrections.map((c) => {
          const [name, what] = describe(c, rows[c.index], currency);
          return h('li.correction', { 'data-field': c.field, 'data-index': c.index }, h('strong', name), h('div', what));
        }))),
      h('div.dialog-actions',
        h('button.btn.cancel', { type: 'button', onclick: () => { dlg.close(); resolve(false); } }, 'Back to cart'),
        h('button.btn.primary.accept', { type: 'button', onclick: () => { dlg.close(); resolve(true); } }, 'Accept and place order')));
    dlg.addEventListener('cancel', () => resolve(false));
    dlg.addEventListener('close', () => dlg.remove());
    document.body.append(dlg);
    dlg.showModal();
  });
}

/**
 * Places the cart's order. Returns the placed order, or null if the buyer
 * went back to the cart.
 * @param {object} rest the client's RestClient
 * @param {ReturnType<import('./cart.js').createCart>} cart
 * @param {Map<string, object>} products the live catalog by id
 * @param {string} currency
 * @param {{fields?: object}} [opts] fields: more of the order body (e.g. `{channel: 'partner'}`)
 */
export async function checkout(rest, cart, products, currency, { fields = {} } = {}) {
  let rows = pricedLines(cart, products);
  let items = orderItems(rows);
  for (let round = 0; round < 5; round++) {
    if (!items.length) return null;
    let corrections = null;
    try {
      await rest.validateCheckout(items);
      return await place(rest, { ...fields, items });
    } catch (e) {
      if (e.code !== 'checkout_corrections') throw e;
      corrections = e.corrections || [];
    }
    const ok = await dialog(corrections, rows, currency);
    const corrected = await applyCorrections(rows, corrections, rest);
    // The cart keeps the corrections either way; the shown price becomes the new one.
    cart.replace(corrected.map(({ unit_price, ...l }) => ({ ...l, added_price: unit_price })));
    if (!ok) return null;
    items = corrected.filter((l) => l.qty > 0).map((l) => ({ product_id: l.product_id, variant_id: l.variant_id, qty: l.qty, unit_price: l.unit_price }));
    rows = corrected.filter((l) => l.qty > 0).map((l) => ({ line: l, price: l.unit_price }));
  }
  throw new Error('The cart keeps changing; please try again.');
}
