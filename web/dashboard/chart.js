// The last 30 days (the `stats` record `last_30_days`, its `by_day`): revenue
// a day as bars and orders a day as a line on their own axis, drawn by uPlot
// (pinned in web/vendor/uplot; docs/dependencies.md says why). The dates are
// the shop's days as the server counted them, so they are shown as written,
// not moved into the browser's zone. The chart element carries what it
// shows (`data-days`, `data-today-orders`, `data-total-orders`) for tests
// and tools.

import uPlot from '/assets/vendor/uplot/uPlot.esm.js';
import { formatMoney, formatMoneyShort } from '/assets/common/money.js';

const HEIGHT = 240;
const PHONE_HEIGHT = 190;
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
// "2026-11-07" → "Nov 7".
const dayLabel = (date) => (date ? dayFormat.format(new Date(`${date}T00:00:00Z`)) : '');

export class DaysChart {
  /** @param {HTMLElement} box @param {HTMLElement} summary @param {() => string | undefined} currency */
  constructor(box, summary, currency) {
    this.box = box;
    this.summary = summary;
    this.currency = currency;
    this.days = [];
    this.plot = null;
    new ResizeObserver(() => this.#fit()).observe(box);
  }

  /** @param {{date: string, orders: number, revenue: number}[] | undefined} days oldest first */
  render(days) {
    if (!days) return;
    this.days = days;
    const data = [days.map((_, i) => i), days.map((d) => d.revenue), days.map((d) => d.orders)];
    if (!this.plot) this.plot = new uPlot(this.#options(), data, this.box);
    else this.plot.setData(data);
    const orders = days.reduce((n, d) => n + d.orders, 0);
    const revenue = days.reduce((n, d) => n + d.revenue, 0);
    this.box.dataset.days = String(days.length);
    this.box.dataset.todayOrders = String(days.at(-1)?.orders ?? 0);
    this.box.dataset.totalOrders = String(orders);
    this.summary.textContent = `${orders} order${orders === 1 ? '' : 's'} · `
      + `${formatMoney(revenue, this.currency(), '—')}`;
  }

  #size() {
    const height = matchMedia('(max-width: 480px)').matches ? PHONE_HEIGHT : HEIGHT;
    return { width: Math.max(200, this.box.clientWidth), height };
  }

  #fit() {
    if (this.plot) this.plot.setSize(this.#size());
  }

  #options() {
    const money = (v) => formatMoney(Math.round(v), this.currency(), '—');
    const dateOf = (i) => dayLabel(this.days[i]?.date);
    return {
      ...this.#size(),
      padding: [8, 4, 0, 4],
      scales: {
        // One slot per day; the half-slot margins keep the outer bars whole.
        x: { time: false, range: () => [-0.5, Math.max(0, this.days.length - 0.5)] },
        revenue: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] },
        orders: { range: (u, min, max) => [0, Math.max(4, Math.ceil(max * 1.2))] },
      },
      axes: [
        {
          incrs: [1, 2, 3, 5, 7, 10, 15],
          space: 46,
          grid: { show: false },
          values: (u, splits) => splits.map((i) => (Number.isInteger(i) ? dateOf(i) : '')),
        },
        {
          scale: 'revenue',
          size: 64,
          values: (u, splits) => splits.map((v) => formatMoneyShort(v, this.currency())),
        },
        {
          scale: 'orders',
          side: 1,
          size: 36,
          grid: { show: false },
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
          values: (u, splits) => splits.map((v) => String(v)),
        },
      ],
      series: [
        { label: 'Day', value: (u, i) => (i === null ? '' : dateOf(i)) },
        {
          label: 'Revenue',
          scale: 'revenue',
          stroke: '#0b6bcb',
          fill: 'rgba(11, 107, 203, 0.28)',
          width: 1,
          paths: uPlot.paths.bars({ size: [0.72, 40] }),
          points: { show: false },
          value: (u, v) => (v === null ? '—' : money(v)),
        },
        {
          label: 'Orders',
          scale: 'orders',
          stroke: '#c2410c',
          width: 2,
          points: { size: 5, fill: '#c2410c' },
          value: (u, v) => (v === null ? '—' : String(v)),
        },
      ],
      legend: { live: true },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
    };
  }
}
