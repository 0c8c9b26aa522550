// What is news for the customer: an order whose status changed, a bill that
// changed (paid, part paid, void, due date, amount), an order or bill that
// someone else made for them. Not news: what a snapshot brings (the page's
// first load, or a repair), and what this page did itself (its own orders
// and their bills carry the page's client id as `origin`).
// Each piece of news is {kind: 'order' | 'bill', id, number, status, text, tone}.

import { formatMoney } from '/assets/common/money.js';
import { formatWhen } from '/assets/common/time.js';

const BILL_WORDS = {
  unpaid: 'unpaid', partially_paid: 'partially paid', paid: 'paid', void: 'void',
};
const TONES = { confirmed: 'info', fulfilled: 'ok', cancelled: 'warn', paid: 'ok', void: 'warn' };

function orderNews(before, o) {
  if (!before) {
    return `New order #${o.number} placed for you · ${formatMoney(o.total, o.currency, '')}`;
  }
  if (before.status === o.status) return null;
  return `Order #${o.number} is now ${o.status}`;
}

function billNews(before, b) {
  const money = (n) => formatMoney(n, b.currency, '');
  if (!before) {
    const due = b.due_at ? `, due ${formatWhen(b.due_at)}` : '';
    return `New bill #${b.number} · ${money(b.amount)}${due}`;
  }
  if (before.version === b.version) return null;
  if (before.status !== b.status) {
    if (b.status === 'partially_paid') {
      const part = `${money(b.paid_amount)} of ${money(b.amount)}`;
      return `Bill #${b.number} is now partially paid (${part})`;
    }
    const refund = b.status === 'void' && b.refund_due > 0
      ? ` · ${money(b.refund_due)} to be refunded` : '';
    return `Bill #${b.number} is now ${BILL_WORDS[b.status] ?? b.status}${refund}`;
  }
  if (before.paid_amount !== b.paid_amount) {
    const part = `${money(b.paid_amount)} of ${money(b.amount)}`;
    return `Bill #${b.number}: payment received (${part} paid)`;
  }
  if (before.amount !== b.amount) return `Bill #${b.number} now amounts to ${money(b.amount)}`;
  if (before.due_at !== b.due_at && b.due_at) {
    return `Bill #${b.number} is now due ${formatWhen(b.due_at)}`;
  }
  return `Bill #${b.number} was updated`;
}

export class News {
  /** @param {string} ownOrigin the page's client id (X-Client-Id on its writes) */
  constructor(ownOrigin) {
    this.ownOrigin = ownOrigin;
    /** @type {{order: Map<string, object>, bill: Map<string, object>}} last state seen, by id */
    this.seen = { order: new Map(), bill: new Map() };
  }

  /** What the page already showed (records the browser kept from its last visit). */
  know(kind, records) {
    for (const r of records) this.seen[kind].set(r.id, r);
  }

  /**
   * Takes a feed's changes in and returns the news among them.
   * @param {'order' | 'bill'} kind
   * @param {{op: string, id: string, origin?: string, data?: object}[]} changes
   * @param {{snapshot: boolean}} info
   */
  take(kind, changes, { snapshot }) {
    const seen = this.seen[kind];
    const out = [];
    for (const c of changes) {
      if (c.op !== 'upsert' || !c.data) { seen.delete(c.id); continue; }
      const before = seen.get(c.id);
      seen.set(c.id, c.data);
      if (snapshot || (c.origin && c.origin === this.ownOrigin)) continue;
      const text = kind === 'order' ? orderNews(before, c.data) : billNews(before, c.data);
      if (text) {
        const status = c.data.status;
        const tone = TONES[status] ?? 'info';
        out.push({ kind, id: c.id, number: c.data.number, status, text, tone });
      }
    }
    return out;
  }
}
