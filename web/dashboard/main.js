// The dashboard (/dashboard): live orders with a chime, alerts, today's
// figures and the connection state, from two live feeds.

import { pageClient } from '/assets/common/client.js';
import { forgetKey, keyTag, staffKey } from '/assets/common/key.js';
import { ConnectionMonitor, showConnection } from '/assets/common/connection.js';
import { formatMoney } from '/assets/common/money.js';
import { Cue } from '/assets/common/cue.js';
import { todaysFigures, renderFigures } from './figures.js';
import { OrdersView } from './orders-view.js';
import { AlertsView } from './alerts-view.js';

const KEY_STORAGE = 'shelfsync.dashboard.key';
const $ = (id) => document.getElementById(id);

async function main() {
  const key = await staffKey($('key-dialog'), {
    storageName: KEY_STORAGE, refused: 'That key may not read orders (it needs an admin key).',
  });
  const client = pageClient(key, { db: `shelfsync-dashboard-${keyTag(key)}`, backoff: { initial: 250, max: 5000 } });
  const { cache } = client;

  // Stored orders and alerts show at once; the feeds then bring what changed.
  const stored = await cache.open('dash:orders');
  await cache.open('dash:alerts');
  const known = new Set(stored.records.keys());
  const orders = client.subscribe('orders', { key: 'dash:orders' });
  const alerts = client.subscribe('alerts', { key: 'dash:alerts' });

  const cue = new Cue('shelfsync.dashboard.sound');
  let currency;
  const ordersView = new OrdersView($('orders'), $('orders-empty'), () => currency);
  // A new-order alert reads like the order list (money in the shop's format).
  const describe = (a) => {
    const o = a.kind === 'new_order' && a.order_id ? orders.get(a.order_id) : null;
    if (!o) return a.message ?? '';
    const units = (o.items ?? []).reduce((n, i) => n + i.qty, 0);
    return `Order #${o.number} placed · ${units} item${units === 1 ? '' : 's'} · ${formatMoney(o.total, o.currency, '—')}`;
  };
  const alertsView = new AlertsView($('alerts'), $('alerts-empty'), $('stock-only'), describe);
  const figureEls = {
    count: $('f-count'), countNote: $('f-count-note'), revenue: $('f-revenue'),
    average: $('f-average'), units: $('f-units'),
  };

  // Ids that arrived live (not from a snapshot): their rows light up.
  const fresh = new Set();
  const markFresh = (changes, { snapshot }) => {
    if (snapshot) return;
    for (const c of changes) if (c.op === 'upsert' && c.version === 1) fresh.add(c.id);
  };

  let frame = 0;
  const render = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const all = orders.records();
      currency ??= all.find((o) => o.currency)?.currency;
      ordersView.render(all, orders.status !== 'live' && all.length === 0, fresh);
      alertsView.render(alerts.records(), alerts.status !== 'live' && alerts.records().length === 0, fresh);
      fresh.clear();
      renderFigures(figureEls, todaysFigures(all), currency);
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
  alerts.on('changes', (changes, info) => { markFresh(changes, info); render(); });
  for (const f of [orders, alerts]) {
    f.ready.then(render, () => {});
    f.on('error', (e) => {
      if (e.status === 401 || e.status === 403) { forgetKey(KEY_STORAGE); location.reload(); }
    });
  }
  $('stock-only').addEventListener('change', render);

  const conn = new ConnectionMonitor([orders, alerts]);
  conn.on((state) => {
    showConnection($('conn'), state);
    document.body.dataset.conn = state; // the "live" dots grey out when not online
    render();
  });

  cue.bindToggle($('sound'), $('sound-hint'));

  // "Today" moves at midnight; times like "2 min ago" are not used, so once a minute is plenty.
  setInterval(render, 60000);
  render();
}

main().catch((e) => {
  document.body.dataset.error = 'true';
  $('orders-empty').textContent = `The dashboard could not start: ${e.message}`;
  throw e;
});
