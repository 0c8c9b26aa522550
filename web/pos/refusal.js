// Turns the server's refusal of a sale into words a cashier can act on,
// naming each item that stopped the sale.

import { formatMoney } from '/assets/common/money.js';

function describe(c, line, currency) {
  const title = line?.title ?? `Item ${c.index + 1}`;
  switch (c.field) {
    case 'stock':
      return Number(c.actual) <= 0
        ? `${title}: sold out meanwhile (wanted ${c.expected})`
        : `${title}: only ${c.actual} left (wanted ${c.expected})`;
    case 'price':
      return `${title}: price changed from ${formatMoney(Number(c.expected), currency, '—')} to ${formatMoney(Number(c.actual), currency, '—')}`;
    case 'availability':
      return `${title}: no longer available`;
    case 'sale':
      return typeof c.actual === 'boolean'
        ? `${title}: ${c.actual ? 'now on sale' : 'the sale price has ended'}`
        : `${title}: only ${c.actual} left at the sale price (wanted ${c.expected})`;
    default:
      return `${title}: ${c.field} changed`;
  }
}

/**
 * @param {import('./queue.js').QueuedSale} sale
 * @param {import('/assets/client/index.js').ShelfsyncError} e
 * @returns {{title: string, problems: string[]}}
 */
export function explainRefusal(sale, e) {
  if (e.code === 'checkout_corrections' && Array.isArray(e.corrections)) {
    return {
      title: 'Sale not recorded — nothing was taken from stock',
      problems: e.corrections.map((c) => describe(c, sale.lines[c.index], sale.currency)),
    };
  }
  const fields = (e.errors ?? []).map((x) => `${x.field}: ${x.message}`);
  return {
    title: `Sale not recorded (${e.status || 'error'} ${e.code})`,
    problems: fields.length ? fields : [e.problem?.detail ?? e.message],
  };
}
