// The product grid with its filters (category, tag, search).

import { h, mount } from '/assets/common/dom.js';
import { icon } from '/assets/common/icons.js';
import { badges, priceLine, matchesSearch } from './catalog.js';

export const filters = { q: '', category: '', tag: '' };

function card(p) {
  const img = p.images?.[0];
  return h('a.product-card', { href: `#/product/${encodeURIComponent(p.id)}`, 'data-product-id': p.id },
    h('div.thumb', img ? h('img', { src: img.url, alt: img.alt || p.title, loading: 'lazy' }) : h('div.no-image', icon('bag', { size: 48 }))),
    h('div.card-body',
      h('div.badges', badges(p)),
      h('h3.card-title', p.title),
      priceLine(p)));
}

// The filter bar is built once (so typing keeps focus); its option lists
// follow the catalog.
export function filterBar(onChange) {
  const q = h('input', { type: 'search', id: 'f-q', placeholder: 'Search products', value: filters.q,
    oninput: (e) => { filters.q = e.target.value; onChange(); } });
  const cat = h('select', { id: 'f-category', onchange: (e) => { filters.category = e.target.value; onChange(); } });
  const tag = h('select', { id: 'f-tag', onchange: (e) => { filters.tag = e.target.value; onChange(); } });
  const bar = h('form.filters', { role: 'search', onsubmit: (e) => e.preventDefault() },
    h('div.field.grow', h('label.sr-only', { for: 'f-q' }, 'Search'), q),
    h('div.field', h('label.sr-only', { for: 'f-category' }, 'Category'), cat),
    h('div.field', h('label.sr-only', { for: 'f-tag' }, 'Tag'), tag));
  bar.update = (categories, tags) => {
    fillSelect(cat, [['', 'All categories'], ...categories.map((c) => [c.id, c.name])], filters.category);
    fillSelect(tag, [['', 'All tags'], ...tags.map((t) => [t, t])], filters.tag);
  };
  return bar;
}

function fillSelect(sel, options, value) {
  const key = JSON.stringify(options);
  if (sel.dataset.key !== key) {
    sel.dataset.key = key;
    mount(sel, options.map(([v, label]) => h('option', { value: v }, label)));
  }
  sel.value = options.some(([v]) => v === value) ? value : '';
}

export function visibleProducts(products) {
  return products
    .filter((p) => matchesSearch(p, filters.q))
    .filter((p) => !filters.category || (p.category_ids || []).includes(filters.category))
    .filter((p) => !filters.tag || (p.tags || []).includes(filters.tag))
    .sort((a, b) => a.title.localeCompare(b.title));
}

export function renderGrid(el, products, { loading }) {
  const list = visibleProducts(products);
  if (loading && products.length === 0) return mount(el, h('p.empty', { role: 'status' }, 'Loading products…'));
  if (list.length === 0) {
    return mount(el, h('p.empty', { role: 'status' },
      products.length ? 'No products match these filters.' : 'Nothing for sale yet — check back soon.'));
  }
  return mount(el, h('div.grid', { 'aria-label': 'Products' }, list.map(card)));
}
