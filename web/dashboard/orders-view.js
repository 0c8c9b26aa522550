// The live order feed: newest first, number, channel, items, total, time
// and status.

import { formatMoney } from '/assets/common/money.js';
import { formatWhen } from '/assets/common/time.js';
import { KeyedList } from '/assets/common/keyed-list.js';

const SHOWN = 30;
const CHANNELS = { pos: 'Till', web: 'Web', partner: 'Partner', api: 'API' };

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function itemsText(order) {
  const items = order.items ?? [];
  const first = items.slice(0, 2).map((i) => `${i.qty}× ${i.title}`).join(', ');
  return items.length > 2 ? `${first} and ${items.length - 2} more` : first;
}

function build(order, currency) {
  const li = el('li', 'order');
  li.dataset.number = String(order.number);
  li.dataset.status = order.status;
  const when = el('time', 'order-time', formatWhen(order.created_at));
  when.dateTime = order.created_at ?? '';
  li.append(
    el('span', 'order-no', `#${order.number}`),
    el('span', 'order-tags'),
    el('span', 'order-total', formatMoney(order.total, order.currency ?? currency, '—')),
    el('span', 'order-items', itemsText(order)),
    when,
  );
  li.querySelector('.order-tags').append(
    el('span', `badge channel-${order.channel}`, CHANNELS[order.channel] ?? order.channel),
    el('span', `status status-${order.status}`, order.status),
  );
  return li;
}

export class OrdersView {
  constructor(list, empty, currency) {
    this.empty = empty;
    this.currency = currency;
    this.keyed = new KeyedList(list, (o) => build(o, this.currency()));
  }

  render(orders, loading, fresh) {
    const newest = [...orders].sort((a, b) => (b.number ?? 0) - (a.number ?? 0)).slice(0, SHOWN);
    this.keyed.render(newest, fresh);
    this.empty.hidden = newest.length > 0;
    this.empty.textContent = loading ? 'Loading orders…' : 'No orders yet. New ones appear here as they are placed.';
  }
}
