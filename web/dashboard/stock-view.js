// Stock that needs attention: sold-out products first, then low stock, each
// with its units left, its low-stock threshold and the variants that are
// short, linked to the product's editor (where stock is adjusted). The
// counts on top are the server's (`stats` record `today`, its `stock`).

import { h } from '/assets/common/dom.js';
import { KeyedList } from '/assets/common/keyed-list.js';

const SHOWN = 20;
const RANK = { sold_out: 0, low_stock: 1 };
const LABEL = { sold_out: 'Sold out', low_stock: 'Low stock' };


// "M 0 · L 2" for the variants at or under the threshold.
function shortVariants(p) {
  if ((p.variants ?? []).length < 2) return '';
  const limit = p.low_stock_threshold ?? 0;
  return p.variants.filter((v) => (v.stock ?? 0) <= limit)
    .map((v) => `${Object.values(v.options ?? {}).join(' ') || v.sku} ${v.stock}`).join(' · ');
}

function build(p) {
  const li = h(`li.stock-row.${p.stock_status}`);
  li.dataset.productId = p.id;
  li.dataset.stockStatus = p.stock_status;
  const link = h('a.stock-title', p.title);
  link.href = `/admin#/product/${encodeURIComponent(p.id)}`;
  link.target = '_blank';
  link.rel = 'noopener';
  const left = h('span.stock-left', String(p.stock_total ?? 0));
  left.title = `Low-stock threshold ${p.low_stock_threshold ?? 0}`;
  li.append(h('span.stock-badge', LABEL[p.stock_status]), link, left,
    h('span.stock-variants', shortVariants(p)));
  return li;
}

export class StockView {
  /** @param {HTMLElement} list @param {HTMLElement} empty @param {HTMLElement} counts */
  constructor(list, empty, counts) {
    this.empty = empty;
    this.counts = counts;
    this.keyed = new KeyedList(list, build);
  }

  /** @param {object[]} products @param {object | undefined} stock the server's counts */
  render(products, loading, fresh, stock) {
    const short = products.filter((p) => p.track_inventory !== false && p.stock_status in RANK)
      .sort((a, b) => RANK[a.stock_status] - RANK[b.stock_status] || (a.stock_total ?? 0) - (b.stock_total ?? 0)
        || String(a.title).localeCompare(String(b.title)));
    this.keyed.render(short.slice(0, SHOWN), fresh);
    this.empty.hidden = short.length > 0;
    this.empty.textContent = loading ? 'Loading stock…' : 'Every product is well stocked.';
    if (stock) {
      this.counts.textContent = `${stock.sold_out} sold out · ${stock.low_stock} low · ${stock.products} products`;
      Object.assign(this.counts.dataset, { soldOut: String(stock.sold_out), lowStock: String(stock.low_stock) });
    }
  }
}
