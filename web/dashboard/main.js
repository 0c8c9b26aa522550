// The dashboard (/dashboard): runs the shop from one screen — live orders
// with a chime, each confirmed, fulfilled or cancelled from its row; bills
// to collect, marked paid from there; stock that needs attention; alerts;
// today's figures and a 30-day chart from the server's `stats` topic; the
// connection state. Every list renders from a live feed.

import { pageClient } from '/assets/common/client.js';
import { forgetKey, keyTag, staffKey } from '/assets/common/key.js';
import { ConnectionMonitor, showConnection } from '/assets/common/connection.js';
import { verifyPage } from '/assets/common/verifier.js';
import { formatMoney, moneyInput, parseMoney } from '/assets/common/money.js';
import { toast } from '/assets/common/toast.js';
import { Cue } from '/assets/common/cue.js';
import { renderFigures } from './figures.js';
import { DaysChart } from './chart.js';
import { OrdersView } from './orders-view.js';
import { runOrderAction } from './order-actions.js';
import { BillsView } from './bills-view.js';
import { payDialog } from './pay-dialog.js';
import { StockView } from './stock-view.js';
import { AlertsView } from './alerts-view.js';

const KEY_STORAGE = 'shelfsync.dashboard.key';
const FEEDS = ['orders', 'alerts', 'stats', 'bills', 'products', 'customers'];
const $ = (id) => document.getElementById(id);

async function main() {
  const key = await staffKey($('key-dialog'), {
    storageName: KEY_STORAGE, refused: 'That key may not read orders (it needs an admin key).',
  });
  const client = pageClient(key, { db: `shelfsync-dashboard-${keyTag(key)}`, backoff: { initial: 250, max: 5000 } });
  const { cache, rest } = client;

  // Stored records show at once; the feeds then bring what changed.
  const stored = await cache.open('dash:orders');
  for (const name of FEEDS.slice(1)) await cache.open(`dash:${name}`);
  const known = new Set(stored.records.keys());
  const feeds = Object.fromEntries(FEEDS.map((name) => [name, client.subscribe(name, { key: `dash:${name}` })]));
  const { orders, alerts, stats, bills, products, customers } = feeds;

  let currency;
  const shop = rest.shop().then((s) => {
    currency = s.currency;
    $('shop-name').textContent = s.name;
    document.title = `Dashboard · ${s.name}`;
    return s;
  });

  const cue = new Cue('shelfsync.dashboard.sound');
  const ordersView = new OrdersView($('orders'), $('orders-empty'), {
    currency: () => currency,
    act: (order, action) => runOrderAction(rest, order, action),
  });
  const customerName = (id) => customers.get(id)?.name ?? id ?? 'No customer';
  const billsView = new BillsView($('bills'), $('bills-empty'), $('bills-more'), {
    currency: () => currency,
    customerName,
    pay: (bill) => payDialog(rest, bill, currency, customerName(bill.customer_id)),
  });
  const stockView = new StockView($('stock'), $('stock-empty'), $('stock-counts'));
  // A new-order alert reads like the order list (money in the shop's format).
  const describe = (a) => {
    const o = a.kind === 'new_order' && a.order_id ? orders.get(a.order_id) : null;
    if (!o) return a.message ?? '';
    const units = (o.items ?? []).reduce((n, i) => n + i.qty, 0);
    return `Order #${o.number} placed · ${units} item${units === 1 ? '' : 's'} · ${formatMoney(o.total, o.currency, '—')}`;
  };
  const alertsView = new AlertsView($('alerts'), $('alerts-empty'), $('stock-only'), describe);
  const chart = new DaysChart($('chart'), $('chart-summary'), () => currency);
  const figureEls = {
    count: $('f-count'), countNote: $('f-count-note'), revenue: $('f-revenue'),
    average: $('f-average'), units: $('f-units'), unpaid: $('f-unpaid'), unpaidNote: $('f-unpaid-note'),
  };

  // Ids that arrived live (not from a snapshot): their rows light up.
  const fresh = new Set();
  const markFresh = (changes, { snapshot }) => {
    if (snapshot) return;
    for (const c of changes) if (c.op === 'upsert' && c.version === 1) fresh.add(c.id);
  };
  const loading = (feed) => feed.status !== 'live' && feed.records().length === 0;

  let frame = 0;
  const render = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const all = orders.records();
      currency ??= all.find((o) => o.currency)?.currency;
      const today = stats.get('today');
      ordersView.render(all, loading(orders), fresh);
      billsView.render(bills.records(), loading(bills), fresh);
      stockView.render(products.records(), loading(products), fresh, today?.stock);
      alertsView.render(alerts.records(), loading(alerts), fresh);
      fresh.clear();
      renderFigures(figureEls, today, currency);
      chart.render(stats.get('last_30_days')?.by_day);
    });
  };

  orders.on('changes', (changes, { snapshot }) => {
    markFresh(changes, { snapshot });
    for (const c of changes) {
      if (c.op !== 'upsert' || known.has(c.id)) continue;
      known.add(c.id);
      // A first snapshot is history, not news: no chime for it.
      if (!snapshot) cue.play({ kind: 'new_order', order_id: c.id, number: c.data?.number });
    }
    render();
  });
  for (const f of Object.values(feeds)) {
    if (f !== orders) f.on('changes', (changes, info) => { markFresh(changes, info); render(); });
    f.ready.then(render, () => {});
    f.on('error', (e) => {
      if (e.status === 401 || e.status === 403) { forgetKey(KEY_STORAGE); location.reload(); }
    });
  }
  $('stock-only').addEventListener('change', render);
  setUpLargeOrders(rest, shop, ordersView, () => currency, render);

  const conn = new ConnectionMonitor(Object.values(feeds));
  verifyPage(client, $('conn'));
  conn.on((state) => {
    showConnection($('conn'), state);
    document.body.dataset.conn = state; // the "live" dots grey out when not online
    render();
  });

  cue.bindToggle($('sound'), $('sound-hint'));

  // Bills fall overdue with time alone; times like "2 min ago" are not used,
  // so once a minute is plenty.
  setInterval(render, 60000);
  await shop.catch(() => {});
  render();
}

// The shop's large-order total: read with the shop, set from the form
// (PATCH /api/shop, admin); an empty field clears it.
function setUpLargeOrders(rest, shop, ordersView, currency, render) {
  const input = $('large-input');
  const show = (total) => {
    ordersView.setLargeFrom(total ?? 0);
    input.value = total ? moneyInput(total, currency()) : '';
    render();
  };
  shop.then((s) => show(s.large_order_total), () => {});
  $('large-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const total = parseMoney(input.value, currency());
    if (Number.isNaN(total) || (total !== null && total <= 0)) {
      toast('Enter an order total, or leave the field empty for none.', { error: true });
      return;
    }
    try {
      const s = await rest.patchShop({ large_order_total: total });
      show(s.large_order_total);
      toast(total ? `Orders from ${formatMoney(total, currency())} now stand out` : 'No order stands out now');
    } catch (e) {
      toast(e.problem?.detail ?? e.message, { error: true });
    }
  });
}

main().catch((e) => {
  document.body.dataset.error = 'true';
  $('orders-empty').textContent = `The dashboard could not start: ${e.message}`;
  throw e;
});
