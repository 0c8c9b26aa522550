// Alerts: low stock, sold out, back in stock and new orders, newest first,
// with a filter for stock alerts only.

import { h } from '/assets/common/dom.js';
import { formatWhen } from '/assets/common/time.js';
import { KeyedList } from '/assets/common/keyed-list.js';

const SHOWN = 40;
const KINDS = {
  low_stock: 'Low stock',
  sold_out: 'Sold out',
  back_in_stock: 'Back in stock',
  new_order: 'New order',
};


function build(alert, describe) {
  const li = h(`li.alert.kind-${alert.kind}`);
  li.dataset.kind = alert.kind;
  const when = h('time.alert-time', formatWhen(alert.created_at));
  when.dateTime = alert.created_at ?? '';
  li.append(h('span.alert-kind', KINDS[alert.kind] ?? alert.kind), h('span.alert-msg', describe(alert)), when);
  return li;
}

export class AlertsView {
  /**
   * @param {HTMLElement} list @param {HTMLElement} empty @param {HTMLInputElement} stockOnly
   * @param {(alert: object) => string} describe the text of an alert
   */
  constructor(list, empty, stockOnly, describe) {
    this.empty = empty;
    this.stockOnly = stockOnly;
    this.keyed = new KeyedList(list, (a) => build(a, describe));
  }

  render(alerts, loading, fresh) {
    const wanted = this.stockOnly.checked ? alerts.filter((a) => a.kind !== 'new_order') : alerts;
    const newest = [...wanted].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).slice(0, SHOWN);
    this.keyed.render(newest, fresh);
    this.empty.hidden = newest.length > 0;
    this.empty.textContent = loading ? 'Loading alerts…' : 'No alerts. Stock running low or out shows up here.';
  }
}
