// The page after checkout: the placed order's receipt. Checkout itself,
// with its corrections dialog, is web/common/checkout.js (shared with the
// portal).

import { h, mount } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';

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
