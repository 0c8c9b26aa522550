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

export function renderList(el, products, { loading, selected }) {
  const list = products.filter(matches).sort((a, b) => a.title.localeCompare(b.title));
  if (loading && !products.length) return mount(el, h('p.empty', { role: 'status' }, 'Loading products…'));
  if (!list.length) return mount(el, h('p.empty', products.length ? 'No products match.' : 'No products yet. Create the first one.'));
  return mount(el, h('ul.product-list', { 'aria-label': 'Products' }, list.map((p) => h('li',
    h('a.product-row', { href: `#/product/${encodeURIComponent(p.id)}`, 'data-product-id': p.id, 'aria-current': p.id === selected ? 'page' : undefined },
      p.images?.[0] ? h('img.row-thumb', { src: p.images[0].url, alt: '' }) : h('span.row-thumb.no-image', { 'aria-hidden': 'true' }),
      h('span.row-main', h('span.row-title', p.title), h('span.muted.small', p.sku || '—')),
      h('span.row-meta',
        h('span.price', formatMoney(p.price_now ?? p.price, p.currency)),
        h(`span.badge.${p.status}`, p.status),
      p.stock_status === 'sold_out' ? h('span.badge.sold-out', 'sold out') : p.stock_status === 'low_stock' ? h('span.badge.low', 'low') : null))))));
}
