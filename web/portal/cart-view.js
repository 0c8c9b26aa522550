// A partner's order being put together: lines priced from the live catalog
// (a changed price is said on the line), quantities, the total and "Place
// order"; once placed, which order it became. Lines:
// `#cart li.cart-line[data-variant-id]`, then `#cart .placed[data-order-id]`.

import { h, mount } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';
import { icon } from '/assets/common/icons.js';
import { pricedLines } from '/assets/common/cart.js';

function line(r, cart, currency) {
  const { line: l } = r;
  const title = r.product ? r.product.title : l.title;
  const id = `cart-qty-${l.variant_id}`;
  const changed = r.product && r.price !== l.added_price;
  return h('li.cart-line', { 'data-variant-id': l.variant_id, 'data-product-id': l.product_id },
    h('div.line-info',
      h('div.line-title', title, l.variant ? h('span.muted', ` · ${l.variant}`) : null),
      h('div.muted.small', `${formatMoney(r.price, currency)} each`),
      !r.product ? h('p.badge.sold-out', 'No longer available')
        : !r.buyable ? h('p.badge.sold-out', 'Out of stock') : null,
      changed ? h('p.price-changed.small', { role: 'status' },
        `Price changed: was ${formatMoney(l.added_price, currency)}`) : null),
    h('span.line-qty',
      h('label.sr-only', { for: id }, `Quantity of ${title}`),
      h('input.qty', { id, type: 'number', inputmode: 'numeric', min: 0, max: 10000, value: l.qty,
        onchange: (e) => cart.setQty(l.variant_id,
          Math.max(0, Math.floor(Number(e.target.value) || 0))),
      })),
    h('span.line-price.price', formatMoney(r.price * l.qty, currency)),
    h('button.icon-btn.remove', { type: 'button', 'aria-label': `Remove ${title}`, title: 'Remove',
      onclick: () => cart.remove(l.variant_id) }, icon('trash')));
}

/**
 * @param {HTMLElement} el
 * @param {ReturnType<import('/assets/common/cart.js').createCart>} cart
 * @param {Map<string, object>} products the live catalog by id
 * @param {{currency: string, busy: boolean, placed: object | null, onPlace: () => void}} opts
 *   placed: the order just placed from here, confirmed in place of the empty order
 */
export function renderCart(el, cart, products, { currency, busy, placed, onPlace }) {
  const rows = pricedLines(cart, products);
  if (!rows.length && placed) {
    return mount(el, h('p.placed', { role: 'status', 'data-order-id': placed.id },
      'Order ', h('strong', `#${placed.number}`),
      ` placed (${formatMoney(placed.total, currency)}). It is listed under Orders.`));
  }
  if (!rows.length) {
    return mount(el, h('p.empty.small', 'Nothing yet. Add products from the catalog.'));
  }
  const total = rows.filter((r) => r.buyable).reduce((s, r) => s + r.price * r.line.qty, 0);
  return mount(el,
    h('ul.cart-lines', rows.map((r) => line(r, cart, currency))),
    h('div.cart-total.row',
      h('span.grow', 'Total'), h('span.price.total', formatMoney(total, currency))),
    h('button.btn.primary.place-order',
      { type: 'button', id: 'place-order', disabled: busy, onclick: onPlace },
      busy ? 'Placing order…' : 'Place order'));
}
