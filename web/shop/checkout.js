// Checkout: validate, then place the order with an Idempotency-Key. When
// the server answers with corrections (prices, stock, availability, sale),
// a dialog lists each one; accepting applies them and places the order.

import { h, mount } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';
import { randomKey } from '/assets/common/client.js';
import { cart } from './cart.js';
import { pricedLines } from './cart_view.js';
import { variantPrice } from './catalog.js';

function orderItems(rows) {
  return rows.map((r) => ({ product_id: r.line.product_id, variant_id: r.line.variant_id, qty: r.line.qty, unit_price: r.price }));
}

// One key per distinct order body, so a retry after a lost answer cannot
// place the order twice, and a corrected order is a new request.
// The key is the client's randomKey (crypto.randomUUID, else
// crypto.getRandomValues): never guessable, never shared by two orders.
const keys = new Map();
async function keyFor(items) {
  const body = JSON.stringify(items);
  if (!keys.has(body)) keys.set(body, randomKey());
  return keys.get(body);
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

// Returns the placed order, or null if the shopper went back to the cart.
export async function checkout(rest, products, currency) {
  let rows = pricedLines(products);
  let items = orderItems(rows);
  for (let round = 0; round < 5; round++) {
    if (!items.length) return null;
    let corrections = null;
    try {
      await rest.validateCheckout(items);
      return await rest.placeOrder({ items }, { idempotencyKey: await keyFor(items) });
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

export function renderThanks(el, order, currency) {
  const items = order.items || [];
  return mount(el, h('section.thanks.card', { role: 'status' },
    h('h1', 'Thank you!'),
    h('p', 'Your order ', h('strong.order-number', `#${order.number}`), ' is placed.'),
    items.length ? h('ul.receipt', items.map((i) => h('li.row',
      h('span.grow', `${i.qty}× ${i.title}`), h('span.price', formatMoney(i.line_total ?? i.unit_price * i.qty, currency))))) : null,
    h('p.receipt-total.row', h('span.grow', 'Total'), h('strong.price', formatMoney(order.total, currency))),
    h('a.btn.primary', { href: '#/' }, 'Continue shopping')));
}
