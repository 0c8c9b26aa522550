// The customer's bills: number, amount, what is paid, status, due date
// (overdue once it has passed and the bill is not paid), what is to be
// refunded on a void bill, and the order it is for. Open bills first, then
// newest first; a summary of what is open and overdue on top.
// Rows: `#bills li[data-bill-id][data-status][data-overdue]`.

import { h, mount } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';
import { formatWhen } from '/assets/common/time.js';
import { KeyedList } from '/assets/common/keyed-list.js';

const SHOWN = 50;
const LABELS = { unpaid: 'Unpaid', partially_paid: 'Partially paid', paid: 'Paid', void: 'Void' };
const isOpen = (b) => b.status === 'unpaid' || b.status === 'partially_paid';

export function isOverdue(bill, now = Date.now()) {
  return isOpen(bill) && !!bill.due_at && Date.parse(bill.due_at) < now;
}

function build(bill, { currency, orderNumber }) {
  const money = (n) => formatMoney(n, bill.currency ?? currency, '—');
  const overdue = isOverdue(bill);
  const number = bill.order_id ? orderNumber(bill.order_id) : null;
  const due = bill.due_at && bill.status !== 'void' && bill.status !== 'paid'
    ? h(overdue ? 'span.due.overdue-text' : 'span.due', overdue ? 'Overdue since ' : 'Due ',
      h('time', { datetime: bill.due_at }, formatWhen(bill.due_at)))
    : null;
  return h('li.portal-bill', {
    'data-bill-id': bill.id, 'data-number': bill.number, 'data-status': bill.status,
    'data-overdue': String(overdue),
  },
  h('div.bill-head',
    h('span.bill-no', `Bill #${bill.number}`),
    h(`span.status.bill-${bill.status}`, LABELS[bill.status] ?? bill.status),
    overdue ? h('span.status.overdue', 'Overdue') : null,
    h('span.bill-amount.price', money(bill.amount))),
  h('div.bill-meta.muted.small',
    h('span.paid', `Paid ${money(bill.paid_amount ?? 0)} of ${money(bill.amount)}`),
    due,
    number !== null && number !== undefined ? h('span', `For order #${number}`) : null),
  bill.status === 'void' && bill.refund_due > 0
    ? h('p.refund.small', 'Refund due: ', h('strong.price', money(bill.refund_due))) : null,
  bill.note ? h('p.bill-note.small.muted', bill.note) : null);
}

function summary(bills, currency) {
  const open = bills.filter(isOpen);
  const owed = (list) => list.reduce((s, b) => s + (b.amount - (b.paid_amount ?? 0)), 0);
  const late = open.filter((b) => isOverdue(b));
  const cur = bills[0]?.currency ?? currency;
  if (!open.length) return [h('span', 'Nothing to pay')];
  return [
    h('span', { 'data-open': owed(open) },
      'To pay: ', h('strong.price', formatMoney(owed(open), cur))),
    late.length ? h('span.overdue-text', { 'data-overdue': owed(late) }, 'Overdue: ',
      h('strong.price', formatMoney(owed(late), cur))) : null,
  ];
}

export class BillsView {
  /**
   * @param {{list: HTMLUListElement, empty: HTMLElement, summary: HTMLElement}} els
   * @param {{currency: () => string, orderNumber: (orderId: string) => number | undefined}} ctx
   */
  constructor(els, ctx) {
    this.els = els;
    this.ctx = ctx;
    const row = (b) => build(b, { currency: ctx.currency(), orderNumber: ctx.orderNumber });
    // A row changes with its bill, with time (overdue) and once its order is known.
    const versionOf = (b) =>
      `${b.version}:${isOverdue(b)}:${ctx.orderNumber(b.order_id ?? '') ?? ''}`;
    this.keyed = new KeyedList(els.list, row, { versionOf });
  }

  render(bills, { loading, fresh }) {
    const shown = [...bills]
      .sort((a, b) => (isOpen(b) - isOpen(a)) || ((b.number ?? 0) - (a.number ?? 0)))
      .slice(0, SHOWN);
    this.keyed.render(shown, fresh);
    this.els.empty.hidden = shown.length > 0;
    this.els.empty.textContent = loading ? 'Loading your bills…' : 'No bills yet.';
    mount(this.els.summary, ...summary(bills, this.ctx.currency()));
    this.els.summary.hidden = bills.length === 0;
  }
}
