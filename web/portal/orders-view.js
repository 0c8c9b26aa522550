// The customer's orders, newest first: number, date, items, total, status
// and the way it got there (status_history). One row per order, rebuilt
// when the order changes: `#orders li[data-order-id][data-status]`.

import { h } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';
import { formatWhen } from '/assets/common/time.js';
import { KeyedList } from '/assets/common/keyed-list.js';

const SHOWN = 50;
const CHANNELS = { web: 'Online', pos: 'In store', partner: 'Partner order', api: 'By the shop' };

function when(iso) {
  return h('time', { datetime: iso ?? '' }, formatWhen(iso));
}

function history(order) {
  const steps = order.status_history?.length
    ? order.status_history : [{ status: order.status, at: order.created_at }];
  return h('ol.status-history', { 'aria-label': 'Status history' },
    steps.map((s) => h(`li.step.step-${s.status}`, { 'data-status': s.status },
      h('span.step-name', s.status), ' ', when(s.at))));
}

function build(order, currency) {
  const money = (n) => formatMoney(n, order.currency ?? currency, '—');
  return h('li.portal-order', {
    'data-order-id': order.id, 'data-number': order.number, 'data-status': order.status,
    'data-channel': order.channel,
  },
  h('div.order-head',
    h('span.order-no', `Order #${order.number}`),
    h(`span.status.status-${order.status}`, order.status),
    h('span.order-total.price', money(order.total))),
  h('div.order-meta.muted.small',
    when(order.created_at), ' · ', CHANNELS[order.channel] ?? order.channel),
  h('ul.order-items', (order.items ?? []).map((i) => h('li',
    h('span.grow', `${i.qty} × ${i.title}`),
    h('span.price', money(i.line_total ?? i.unit_price * i.qty))))),
  history(order));
}

export class OrdersView {
  /** @param {HTMLUListElement} list @param {HTMLElement} empty @param {() => string} currency */
  constructor(list, empty, currency) {
    this.empty = empty;
    this.keyed = new KeyedList(list, (o) => build(o, currency()));
  }

  render(orders, { loading, fresh }) {
    const newest = [...orders].sort((a, b) => (b.number ?? 0) - (a.number ?? 0)).slice(0, SHOWN);
    this.keyed.render(newest, fresh);
    this.empty.hidden = newest.length > 0;
    this.empty.textContent = loading ? 'Loading your orders…' : 'No orders yet.';
  }
}
