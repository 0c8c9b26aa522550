// The product grid with its filters (category, tag, search).

import { h, mount } from '/assets/common/dom.js';
import { icon } from '/assets/common/icons.js';
import { CONDITIONS, badges, priceLine, matchesSearch, deliveryNotes, isBuyable } from './catalog.js';

export const filters = { q: '', category: '', tag: '' };

const MAX_CHIPS = 6;

// The first option's values ("S M L"), those no one can buy now struck
// through; further options as a count ("3 colors").
function optionChips(p) {
  const [first, ...more] = p.options || [];
  if (!first) return null;
  const chips = first.values.slice(0, MAX_CHIPS).map((val) => {
    const buyable = (p.variants || []).some((v) => v.options?.[first.name] === val && isBuyable(p, v));
    return h(`span.opt${buyable ? '' : '.out'}`, { 'data-value': val }, val, buyable ? null : h('span.sr-only', ' (sold out)'));
  });
  const extra = first.values.length - MAX_CHIPS;
  return h('p.card-options', { 'aria-label': first.name },
    chips, extra > 0 ? h('span.muted', `+${extra}`) : null,
    more.map((o) => h('span.muted.more', `${o.values.length} ${o.name}${o.values.length === 1 ? '' : 's'}`)));
}

function card(p) {
  const img = p.images?.[0];
  const notes = deliveryNotes(p);
  const condition = p.condition && p.condition !== 'new'
    ? h('span.badge.condition', { 'data-badge': 'condition' }, CONDITIONS[p.condition] || p.condition) : null;
  return h(`a.product-card${p.stock_status === 'sold_out' ? '.is-sold-out' : ''}`, { href: `#/product/${encodeURIComponent(p.id)}`, 'data-product-id': p.id },
    h('div.thumb',
      img ? h('img', { src: img.url, alt: img.alt || p.title, loading: 'lazy' }) : h('div.no-image', icon('bag', { size: 48 })),
      // Badges lie on the photo, so every card's title starts at the same height.
      h('div.badges.on-photo', badges(p, null, { compact: true }), condition)),
    h('div.card-body',
      h('h3.card-title', { title: p.title }, p.title),
      optionChips(p),
      notes.length ? h('p.card-meta.small.muted', notes.join(' · ')) : null,
      priceLine(p, null, 'card-price')));
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

// `list`: the products to show, in order; `any`: whether the shop has any
// (so an empty list says "no match" or "nothing for sale"); `pager`: page
// links for a paged catalog.
export function renderGrid(el, list, { loading, any, pager = null }) {
  if (loading && list.length === 0) return mount(el, h('p.empty', { role: 'status' }, 'Loading products…'));
  const pages = pager && (pager.hasPrev || pager.hasNext)
    ? h('nav.pager', { 'aria-label': 'Pages' },
      h('button.btn', { type: 'button', disabled: !pager.hasPrev, 'data-page': 'prev', onclick: pager.prev }, '← Previous'),
      h('span.muted', `Page ${pager.number}`),
      h('button.btn', { type: 'button', disabled: !pager.hasNext, 'data-page': 'next', onclick: pager.next }, 'Next →'))
    : null;
  if (list.length === 0) {
    return mount(el, h('p.empty', { role: 'status' },
      any ? 'No products match these filters.' : 'Nothing for sale yet — check back soon.'), pages);
  }
  return mount(el, h('div.grid', { 'aria-label': 'Products' }, list.map(card)), pages);
}
