// The sale panel: lines with quantity steppers, a warning when a line asks
// for more than the live stock, the total and the Charge button.

import { formatMoney } from '/assets/common/money.js';
import { sellable } from './catalog.js';

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label, cls, aria, onClick) {
  const b = el('button', cls, label);
  b.type = 'button';
  if (aria) b.setAttribute('aria-label', aria);
  b.addEventListener('click', onClick);
  return b;
}

/**
 * @param {{list: HTMLElement, total: HTMLElement, sell: HTMLButtonElement, clear: HTMLButtonElement, summary: HTMLElement}} els
 * @param {import('./cart.js').Cart} cart
 * @param {import('./catalog.js').Catalog} catalog
 * @param {(variantId: string) => number} held
 */
export function renderCart(els, cart, catalog, held) {
  const lines = [...cart.lines.values()];
  const currency = cart.currency();
  els.list.replaceChildren(...lines.map((l) => {
    const li = el('li', 'line');
    li.dataset.variantId = l.variant_id;
    const name = el('span', 'line-title', l.title);
    const each = el('span', 'line-each', `${formatMoney(l.unit_price, l.currency)} each`);
    const qty = el('span', 'qty');
    qty.append(
      button('−', 'step', `One less ${l.title}`, () => cart.setQty(l.variant_id, l.qty - 1)),
      el('output', 'qty-n', String(l.qty)),
      button('+', 'step', `One more ${l.title}`, () => {
        const p = catalog.get(l.product_id);
        const v = p?.variants?.find((x) => x.id === l.variant_id);
        if (p && v) cart.add(p, v, 1, held(v.id));
        else cart.setQty(l.variant_id, l.qty + 1);
      }),
    );
    const sum = el('span', 'line-total', formatMoney(l.qty * l.unit_price, l.currency));
    const rm = button('×', 'remove', `Remove ${l.title}`, () => cart.remove(l.variant_id));
    li.append(name, each, qty, sum, rm);
    const p = catalog.get(l.product_id);
    const v = p?.variants?.find((x) => x.id === l.variant_id);
    const left = p && v ? sellable(p, v) - held(v.id) : null;
    if (!p || !v || p.status !== 'active' || v.available === false) {
      li.append(el('span', 'line-warn', 'No longer available'));
    } else if (left !== null && left < l.qty) {
      li.append(el('span', 'line-warn', left <= 0 ? 'Sold out now' : `Only ${left} left now`));
    }
    return li;
  }));
  if (lines.length === 0) els.list.append(el('li', 'empty', 'Scan or tap a product to start a sale.'));
  const total = formatMoney(cart.total(), currency);
  els.total.textContent = total;
  els.sell.disabled = lines.length === 0;
  els.sell.textContent = lines.length ? `Charge ${total}` : 'Charge';
  els.clear.disabled = lines.length === 0;
  const units = cart.units();
  els.summary.textContent = units ? `${units} item${units === 1 ? '' : 's'} · ${total}` : 'No items';
}
