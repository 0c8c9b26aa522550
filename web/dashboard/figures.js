// Today's figures from the orders feed: orders placed today (local time),
// revenue and average without cancelled orders, units sold, and the split
// by channel.

import { formatMoney } from '/assets/common/money.js';
import { sameLocalDay } from '/assets/common/time.js';

const CHANNELS = { pos: 'Till', web: 'Web', partner: 'Partner', api: 'API' };

/** @param {object[]} orders @param {Date} [now] */
export function todaysFigures(orders, now = new Date()) {
  const today = orders.filter((o) => o.created_at && sameLocalDay(new Date(o.created_at), now));
  const kept = today.filter((o) => o.status !== 'cancelled');
  const revenue = kept.reduce((a, o) => a + (o.total ?? 0), 0);
  const units = kept.reduce((a, o) => a + (o.items ?? []).reduce((b, i) => b + (i.qty ?? 0), 0), 0);
  const byChannel = {};
  for (const o of kept) byChannel[o.channel] = (byChannel[o.channel] ?? 0) + 1;
  return {
    count: today.length,
    cancelled: today.length - kept.length,
    revenue,
    average: kept.length ? Math.round(revenue / kept.length) : null,
    units,
    byChannel,
    currency: orders.find((o) => o.currency)?.currency,
  };
}

/** @param {Record<string, HTMLElement>} els @param {ReturnType<typeof todaysFigures>} f */
export function renderFigures(els, f, currency) {
  const cur = f.currency ?? currency;
  els.count.textContent = String(f.count);
  // Without any order yet the currency is unknown: show a dash, not dollars.
  els.revenue.textContent = cur || f.revenue ? formatMoney(f.revenue, cur) : '—';
  els.average.textContent = f.average === null ? '—' : formatMoney(f.average, cur);
  els.units.textContent = String(f.units);
  const split = Object.entries(f.byChannel).map(([c, n]) => `${CHANNELS[c] ?? c} ${n}`).join(' · ');
  els.countNote.textContent = [split, f.cancelled ? `${f.cancelled} cancelled` : ''].filter(Boolean).join(' · ') || 'None yet today';
  els.count.closest('[data-figure]').dataset.value = String(f.count);
  els.revenue.closest('[data-figure]').dataset.value = String(f.revenue);
}
