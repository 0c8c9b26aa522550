// The product list: search and status filter, live.

import { h, mount } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';

export const listFilter = { q: '', status: '' };

function matches(p) {
  if (listFilter.status && p.status !== listFilter.status) return false;
  if (!listFilter.q) return true;
  const hay = [p.title, p.sku, ...(p.tags || []), ...(p.variants || []).map((v) => v.sku)].join(' ').toLowerCase();
  return hay.includes(listFilter.q.toLowerCase());
}

export function listControls(onChange, onNew) {
  return h('div.list-controls.row',
    h('div.field.grow', h('label.sr-only', { for: 'list-q' }, 'Search products'),
      h('input', { id: 'list-q', type: 'search', placeholder: 'Search title, SKU, tag', oninput: (e) => { listFilter.q = e.target.value; onChange(); } })),
    h('div.field', h('label.sr-only', { for: 'list-status' }, 'Status'),
      h('select', { id: 'list-status', onchange: (e) => { listFilter.status = e.target.value; onChange(); } },
        h('option', { value: '' }, 'All statuses'), h('option', { value: 'active' }, 'Active'),
        h('option', { value: 'draft' }, 'Draft'), h('option', { value: 'archived' }, 'Archived'))),
    h('button.btn.primary.new-product', { type: 'button', onclick: onNew }, '+ New product'));
}

// "12 in stock" / "2 left" / "Sold out", coloured as the shop's badges.
function stockNote(p) {
  if (p.track_inventory === false) return h('span.stock-note', 'stock not tracked');
  const n = p.stock_total ?? 0;
  if (p.stock_status === 'sold_out') return h('span.stock-note.out', 'sold out');
  if (p.stock_status === 'low_stock') return h('span.stock-note.low', `${n} left`);
  return h('span.stock-note', `${n} in stock`);
}

function row(p, selected) {
  return h('li',
    h('a.product-row', { href: `#/product/${encodeURIComponent(p.id)}`, 'data-product-id': p.id, 'aria-current': p.id === selected ? 'page' : undefined },
      p.images?.[0] ? h('img.row-thumb', { src: p.images[0].url, alt: '' }) : h('span.row-thumb.no-image', { 'aria-hidden': 'true' }),
      h('span.row-main',
        h('span.row-title', { title: p.title }, p.title),
        h('span.row-sub.small', h('span.muted', p.sku || 'no SKU'), ' · ', stockNote(p))),
      h('span.row-meta',
        h(`span.price${p.on_sale ? '.on-sale' : ''}`, { title: p.on_sale ? `On sale, usually ${formatMoney(p.price, p.currency)}` : undefined },
          formatMoney(p.price_now ?? p.price, p.currency)),
        h(`span.badge.${p.status}`, p.status))));
}

export function renderList(el, products, { loading, selected }) {
  const list = products.filter(matches).sort((a, b) => a.title.localeCompare(b.title));
  if (loading && !products.length) return mount(el, h('p.empty', { role: 'status' }, 'Loading products…'));
  if (!list.length) return mount(el, h('p.empty', products.length ? 'No products match.' : 'No products yet. Create the first one.'));
  return mount(el, h('ul.product-list', { 'aria-label': 'Products' }, list.map((p) => row(p, selected))));
}

// The editor pane with no product open: what the shop holds, at a glance.
export function catalogSummary(products) {
  const by = (f) => products.filter(f).length;
  const figures = [
    ['Products', products.length], ['Active', by((p) => p.status === 'active')], ['Drafts', by((p) => p.status === 'draft')],
    ['On sale', by((p) => p.on_sale)], ['Low stock', by((p) => p.stock_status === 'low_stock')], ['Sold out', by((p) => p.stock_status === 'sold_out')],
  ];
  return h('section.catalog-summary', { 'aria-label': 'Catalog' },
    h('dl.figures', figures.map(([k, v]) => h('div.figure', h('dt', k), h('dd', String(v))))),
    h('p.muted', 'Choose a product to edit, or create a new one.'));
}
