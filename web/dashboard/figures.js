// Today's figures, as the server computes them: the `stats` record `today`
// (SPEC §5) — orders placed today in the shop's time zone, revenue and
// average without cancelled orders, items sold, and the bills still to
// collect. Nothing is summed in the browser, so every dashboard shows the
// same numbers whatever orders it happens to hold.

import { formatMoney } from '/assets/common/money.js';

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * @param {Record<string, HTMLElement>} els the cards' outputs and notes
 * @param {object | undefined} today the `today` stats record (undefined until it arrives)
 * @param {string | undefined} currency the shop's
 */
export function renderFigures(els, today, currency) {
  if (!today) return;
  const bills = today.bills ?? {};
  els.count.textContent = String(today.orders);
  els.countNote.textContent = today.cancelled ? `${today.cancelled} cancelled` : 'None cancelled';
  els.revenue.textContent = formatMoney(today.revenue, currency, '—');
  els.average.textContent = today.orders ? formatMoney(today.average_order, currency, '—') : '—';
  els.units.textContent = String(today.items_sold);
  els.unpaid.textContent = formatMoney(bills.unpaid_amount ?? 0, currency, '—');
  const overdue = bills.overdue_count
    ? ` · ${bills.overdue_count} overdue (${formatMoney(bills.overdue_amount, currency)})`
    : '';
  els.unpaidNote.textContent = `${plural(bills.unpaid_count ?? 0, 'open bill')}${overdue}`;
  const card = (el) => el.closest('[data-figure]');
  card(els.count).dataset.value = String(today.orders);
  card(els.revenue).dataset.value = String(today.revenue);
  card(els.units).dataset.value = String(today.items_sold);
  card(els.unpaid).dataset.value = String(bills.unpaid_amount ?? 0);
  card(els.unpaid).dataset.overdue = String(bills.overdue_count ?? 0);
}
