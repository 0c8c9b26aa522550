// The cart page: lines priced from the live catalog, quantities, checkout.

import { h, mount } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';
import { icon } from '/assets/common/icons.js';
import { pricedLines } from '/assets/common/cart.js';
import { cart } from './cart.js';

function lineThumb(product) {
  const img = product?.images?.[0];
  return img ? h('img.line-thumb', { src: img.url, alt: '' }) : h('span.line-thumb.no-image', { 'aria-hidden': 'true' }, icon('bag', { size: 22 }));
}

export function renderCart(el, products, { currency, onCheckout, busy }) {
  const rows = pricedLines(cart, products);
  if (!rows.length) {
    return mount(el, h('div.empty', h('p', 'Your cart is empty.'), h('a.btn', { href: '#/' }, 'Browse products')));
  }
  const total = rows.filter((r) => r.buyable).reduce((s, r) => s + r.price * r.line.qty, 0);
  const count = rows.reduce((n, r) => n + r.line.qty, 0);
  return mount(el, h('section.cart-page',
    h('h1', 'Your cart ', h('span.muted.cart-items', `(${count} item${count === 1 ? '' : 's'})`)),
    h('ul.cart-lines', rows.map((r) => {
      const { line } = r;
      const changed = r.product && r.price !== line.added_price;
      const title = r.product ? r.product.title : line.title;
      return h('li.cart-line', { 'data-variant-id': line.variant_id, 'data-product-id': line.product_id },
        r.product ? h('a.line-image', { href: `#/product/${encodeURIComponent(line.product_id)}`, tabindex: '-1', 'aria-hidden': 'true' }, lineThumb(r.product))
          : lineThumb(null),
        h('div.line-info',
          h('div.line-title', title),
          line.variant ? h('div.muted.small.line-variant', line.variant) : null,
          h('div.muted.small.line-unit', `${formatMoney(r.price, currency)} each`),
          !r.product ? h('p.badge.sold-out', 'No longer available')
            : !r.buyable ? h('p.badge.sold-out', 'Sold out') : null,
          changed ? h('p.price-changed.small', { role: 'status' },
            `Price changed: was ${formatMoney(line.added_price, currency)}, now ${formatMoney(r.price, currency)}`) : null),
        h('div.line-qty',
          h('label.small.muted', { for: `q-${line.variant_id}` }, 'Qty', h('span.sr-only', ` of ${title}`)),
          h('input.qty', { id: `q-${line.variant_id}`, type: 'number', inputmode: 'numeric', min: 0, max: 10000, value: line.qty,
            onchange: (e) => cart.setQty(line.variant_id, Math.max(0, Math.floor(Number(e.target.value) || 0))) })),
        h('span.line-price.price', { 'data-unit-price': r.price }, formatMoney(r.price * line.qty, currency)),
        h('button.icon-btn.remove', { type: 'button', 'aria-label': `Remove ${title}`, title: 'Remove', onclick: () => cart.remove(line.variant_id) }, icon('trash')));
    })),
    h('div.cart-summary.card',
      h('div.cart-total.row', h('span.grow', 'Total'), h('span.price.total', formatMoney(total, currency))),
      h('div.cart-actions',
        h('button.btn.primary.checkout', { type: 'button', disabled: busy, onclick: onCheckout }, busy ? 'Placing order…' : 'Place order'),
        h('a.btn.keep-shopping', { href: '#/' }, 'Keep shopping')))));
}
