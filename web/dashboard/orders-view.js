// The live order feed: newest first, number, channel, items, total, time
// and status, and what can be done with the order from its row (confirm,
// fulfill, cancel — cancel asks once more on the button itself). Orders at
// or above the shop's large-order total stand out.

import { h } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';
import { formatWhen } from '/assets/common/time.js';
import { KeyedList } from '/assets/common/keyed-list.js';

const SHOWN = 30;
const CHANNELS = { pos: 'Till', web: 'Web', partner: 'Partner', api: 'API' };
// What each status lets the shop do next (SPEC §5), in button order.
const NEXT = {
  placed: [['confirm', 'Confirm'], ['cancel', 'Cancel']],
  confirmed: [['fulfill', 'Fulfill'], ['cancel', 'Cancel']],
};
const ASK_AGAIN_MS = 4000;


function itemsText(order) {
  const items = order.items ?? [];
  const first = items.slice(0, 2).map((i) => `${i.qty}× ${i.title}`).join(', ');
  return items.length > 2 ? `${first} and ${items.length - 2} more` : first;
}

// A cancel button acts on its second click; the first turns it into a
// question for a few seconds.
function actionButton(order, action, label, act) {
  const b = h(`button.act.act-${action}`, label);
  b.type = 'button';
  b.dataset.action = action;
  let asking = null;
  b.addEventListener('click', () => {
    if (action === 'cancel' && !asking) {
      b.textContent = 'Cancel order?';
      b.classList.add('asking');
      asking = setTimeout(() => { asking = null; b.textContent = label; b.classList.remove('asking'); }, ASK_AGAIN_MS);
      return;
    }
    clearTimeout(asking);
    for (const other of b.parentElement.children) other.disabled = true;
    b.closest('.order').dataset.busy = action;
    act(order, action).finally(() => {
      if (!b.isConnected) return; // the row was rebuilt with the new version
      for (const other of b.parentElement.children) other.disabled = false;
      delete b.closest('.order').dataset.busy;
      b.textContent = label;
      b.classList.remove('asking');
      asking = null;
    });
  });
  return b;
}

function build(order, { currency, largeFrom, act }) {
  const li = h('li.order');
  li.dataset.number = String(order.number);
  li.dataset.status = order.status;
  const large = largeFrom > 0 && (order.total ?? 0) >= largeFrom;
  li.dataset.large = String(large);
  const when = h('time.order-time', formatWhen(order.created_at));
  when.dateTime = order.created_at ?? '';
  const actions = h('span.order-actions');
  for (const [action, label] of NEXT[order.status] ?? []) actions.append(actionButton(order, action, label, act));
  li.append(
    h('span.order-no', `#${order.number}`),
    h('span.order-tags'),
    h('span.order-total', formatMoney(order.total, order.currency ?? currency, '—')),
    h('span.order-items', itemsText(order)),
    when,
    actions,
  );
  const tags = li.querySelector('.order-tags');
  tags.append(
    h(`span.badge.channel-${order.channel}`, CHANNELS[order.channel] ?? order.channel),
    h(`span.status.status-${order.status}`, order.status),
  );
  if (large) tags.append(h('span.badge.large', 'Large'));
  return li;
}

export class OrdersView {
  /**
   * @param {HTMLElement} list @param {HTMLElement} empty
   * @param {{currency: () => string | undefined, act: (order: object, action: string) => Promise<unknown>}} ctx
   */
  constructor(list, empty, { currency, act }) {
    this.empty = empty;
    this.largeFrom = 0;
    this.keyed = new KeyedList(list, (o) => build(o, { currency: currency(), largeFrom: this.largeFrom, act }));
  }

  /** Orders from `total` (minor units; 0: none) stand out; every row is redrawn. */
  setLargeFrom(total) {
    if (total === this.largeFrom) return;
    this.largeFrom = total;
    this.keyed.invalidate();
  }

  render(orders, loading, fresh) {
    const newest = [...orders].sort((a, b) => (b.number ?? 0) - (a.number ?? 0)).slice(0, SHOWN);
    this.keyed.render(newest, fresh);
    this.empty.hidden = newest.length > 0;
    this.empty.textContent = loading ? 'Loading orders…' : 'No orders yet. New ones appear here as they are placed.';
  }
}
