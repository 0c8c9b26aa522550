// A product's stock history in its editor: the movements of the stock
// ledger (SPEC §2), newest first — when, which variant, why, by how much,
// the stock after it and who — live from a `stock_movements` subscription
// filtered to the product, so a till's sale or another admin's count shows
// at once. One per open editor; it keeps its element across the editor's
// redraws and unsubscribes when the editor closes.

import { h, mount } from '/assets/common/dom.js';
import { formatWhen } from '/assets/common/time.js';

const SHOWN = 50;
const REASONS = {
  sale: 'Sale', cancel: 'Cancelled order', purchase: 'Purchase', adjustment: 'Adjustment',
  return: 'Return', sync: 'Stock sync',
};
const ROLES = { admin: 'Admin', staff: 'Staff', service: 'Integration' };

// `staff:ab12cd34` → "Staff ab12cd34"; `customer:c_1` → "Customer c_1"; the
// shop's own key and the server by name.
export function actorLabel(actor) {
  if (!actor || actor === 'system') return 'Shelfsync';
  if (actor === 'public') return 'Web shop';
  const [role, who] = actor.split(':');
  if (role === 'customer') return `Customer ${who}`;
  return ROLES[role] ? `${ROLES[role]} ${who ?? ''}`.trim() : actor;
}

const signed = (n) => (n > 0 ? `+${n}` : String(n));

export class StockHistory {
  /**
   * @param {{subscribe: Function}} client the page's client
   * @param {string} productId
   * @param {{key: string, variantName: (variantId: string) => string}} opts
   */
  constructor(client, productId, { key, variantName }) {
    this.variantName = variantName;
    this.list = h('ol.stock-history-list', { 'aria-live': 'polite' });
    this.note = h('p.muted.small.stock-history-note', 'Loading the stock history…');
    this.el = h('div.stock-history', { 'data-product-id': productId },
      h('h3', 'Stock history'), this.note, this.list);
    this.fresh = new Set();
    this.feed = client.subscribe('stock_movements', { filter: { product_id: productId }, key });
    this.feed.on('changes', (changes, { snapshot }) => {
      if (!snapshot) for (const c of changes) if (c.op === 'upsert') this.fresh.add(c.id);
      this.render();
    });
    this.feed.on('loaded', () => this.render());
    this.feed.ready.then(() => this.render(), () => {});
  }

  render() {
    // Newest first by when it happened; ids (time-sortable) break ties.
    const all = this.feed.records().sort((a, b) => Date.parse(b.at) - Date.parse(a.at)
      || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const rows = all.slice(0, SHOWN).map((m) => this.row(m));
    mount(this.list, ...rows);
    this.fresh.clear();
    const live = this.feed.status === 'live';
    if (!all.length) this.note.textContent = live ? 'No stock movements yet.' : 'Loading the stock history…';
    else if (all.length > SHOWN) this.note.textContent = `The latest ${SHOWN} of ${all.length} movements.`;
    else this.note.textContent = `${all.length} movement${all.length === 1 ? '' : 's'}.`;
    this.el.dataset.count = String(all.length);
  }

  row(m) {
    const fresh = this.fresh.has(m.id);
    const order = m.order_id ? h('span.movement-order', `order ${m.order_id}`) : null;
    const li = h(`li.movement.${m.delta < 0 ? 'out' : 'in'}${fresh ? '.fresh' : ''}`,
      { dataset: { movementId: m.id, reason: m.reason } },
      h('time.movement-at', { datetime: m.at }, formatWhen(m.at)),
      h('span.movement-reason', REASONS[m.reason] ?? m.reason),
      h('span.movement-delta', signed(m.delta)),
      h('span.stock-after', { title: 'Stock after this movement' }, String(m.stock_after)),
      h('span.movement-detail',
        [this.variantName(m.variant_id), actorLabel(m.actor), order, m.note || null]
          .filter(Boolean).flatMap((x, i) => (i ? [' · ', x] : [x]))));
    if (fresh) setTimeout(() => li.classList.remove('fresh'), 4000);
    return li;
  }

  close() { this.feed.close(); }
}
