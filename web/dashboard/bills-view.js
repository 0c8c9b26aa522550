// Bills still to collect (unpaid or part-paid), overdue first, then by due
// date: number, customer, what is open of the amount, when due; each with
// "Mark paid", which opens the payment dialog (pay-dialog.js).

import { h } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';
import { formatWhen } from '/assets/common/time.js';
import { KeyedList } from '/assets/common/keyed-list.js';

const SHOWN = 25;
const OPEN = new Set(['unpaid', 'partially_paid']);
const dueDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

export const openAmount = (bill) => (bill.amount ?? 0) - (bill.paid_amount ?? 0);
const isOverdue = (bill, now) => bill.due_at && Date.parse(bill.due_at) < now;


function build(bill, { currency, customerName, pay, now }) {
  const li = h('li.bill');
  li.dataset.number = String(bill.number);
  li.dataset.status = bill.status;
  const overdue = isOverdue(bill, now);
  li.dataset.overdue = String(Boolean(overdue));
  const due = bill.due_at
    ? h(`span.bill-due${overdue ? '.overdue' : ''}`,
      `${overdue ? 'Overdue since' : 'Due'} ${dueDate.format(new Date(bill.due_at))}`)
    : h('span.bill-due', `Billed ${formatWhen(bill.created_at)}`);
  const part = bill.status === 'partially_paid'
    ? ` of ${formatMoney(bill.amount, currency)}` : '';
  const button = h('button.btn.small.pay', 'Mark paid');
  button.type = 'button';
  button.addEventListener('click', () => pay(bill));
  li.append(
    h('span.bill-no', `#${bill.number}`),
    h('span.bill-who', customerName(bill.customer_id)),
    h('span.bill-open', `${formatMoney(openAmount(bill), currency, '—')}${part}`),
    due,
    button,
  );
  return li;
}

export class BillsView {
  /**
   * @param {HTMLElement} list @param {HTMLElement} empty @param {HTMLElement} more
   * @param {{currency: () => string | undefined, customerName: (id: string) => string,
   *          pay: (bill: object) => void}} ctx
   */
  constructor(list, empty, more, ctx) {
    this.empty = empty;
    this.more = more;
    // A row is drawn again when its bill changes, falls overdue, or its
    // customer's name arrives or changes.
    this.keyed = new KeyedList(list, (b) => build(b, { ...ctx, currency: ctx.currency(), now: Date.now() }),
      { versionOf: (b) => `${b.version}:${isOverdue(b, Date.now())}:${ctx.customerName(b.customer_id)}` });
  }

  render(bills, loading, fresh) {
    const now = Date.now();
    const due = (b) => (b.due_at ? Date.parse(b.due_at) : Infinity);
    const open = bills.filter((b) => OPEN.has(b.status))
      .sort((a, b) => Number(isOverdue(b, now)) - Number(isOverdue(a, now)) || due(a) - due(b)
        || (a.number ?? 0) - (b.number ?? 0));
    this.keyed.render(open.slice(0, SHOWN), fresh);
    this.empty.hidden = open.length > 0;
    this.empty.textContent = loading ? 'Loading bills…' : 'Nothing to collect: every bill is paid.';
    const more = open.length - SHOWN;
    this.more.hidden = more <= 0;
    this.more.textContent = `and ${more} more`;
  }
}
