// One product: images, variant choice, prices and badges, fulfilment,
// condition, attributes; add to cart.

import { h, mount } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';
import { toast } from '/assets/common/toast.js';
import { icon } from '/assets/common/icons.js';
import { CONDITIONS, badges, priceLine, variantLabel, variantPrice, firstAvailableVariant, isBuyable, attributeLabel } from './catalog.js';
import { cart } from './cart.js';
import { filters } from './grid.js';

// Kept across live re-renders of the same product.
const view = { id: null, choice: {}, image: 0, qty: 1 };

function chosenVariant(p) {
  const vs = p.variants || [];
  if (!(p.options || []).length) return vs[0] || null;
  return vs.find((v) => (p.options || []).every((o) => v.options?.[o.name] === view.choice[o.name])) || null;
}

function gallery(p) {
  const imgs = p.images || [];
  if (!imgs.length) return h('div.gallery', h('div.main-image.no-image', icon('bag', { size: 72 })));
  if (view.image >= imgs.length) view.image = 0;
  const main = imgs[view.image];
  return h('div.gallery',
    h('img.main-image', { src: main.url, alt: main.alt || p.title, 'data-image-id': main.id }),
    imgs.length > 1 ? h('div.thumbs', { role: 'list', 'aria-label': 'Images' }, imgs.map((im, i) =>
      h('button.thumb-btn', { type: 'button', role: 'listitem', 'aria-label': `Image ${i + 1}`, 'aria-pressed': String(i === view.image),
        'data-image-id': im.id, onclick: () => { view.image = i; rerender(); } },
      h('img', { src: im.url, alt: '' })))) : null);
}

function optionPickers(p) {
  return (p.options || []).map((o) => {
    const id = `opt-${o.name.replace(/\W+/g, '-')}`;
    return h('div.field.option', h('label.option-name', { for: id }, o.name),
      h('select', { id, 'data-option': o.name, onchange: (e) => { view.choice[o.name] = e.target.value; rerender(); } },
        o.values.map((val) => {
          const v = (p.variants || []).find((x) => x.options?.[o.name] === val && (p.options || []).every((oo) => oo.name === o.name || x.options?.[oo.name] === view.choice[oo.name]));
          const out = !v || !isBuyable(p, v);
          return h('option', { value: val, selected: view.choice[o.name] === val }, out ? `${val} — sold out` : val);
        })));
  });
}

function fulfilment(p) {
  const f = p.fulfillment || {};
  const ship = f.shipping || [];
  return h('section.fulfilment', { 'aria-label': 'Delivery' },
    h('h2', 'Delivery'),
    ship.length ? h('ul.shipping', ship.map((s) => h('li', { 'data-method': s.method },
      h('strong', s.method), ' — ', s.price === 0 ? 'free' : formatMoney(s.price, p.currency),
      typeof s.eta_days === 'number' ? h('span.muted', ` · ${s.eta_days === 0 ? 'same day' : `${s.eta_days} day${s.eta_days === 1 ? '' : 's'}`}`) : null)))
      : h('p.muted.no-shipping', 'No shipping for this product.'),
    f.pickup ? h('p.pickup', 'Pickup available', (f.pickup_locations || []).length ? `: ${f.pickup_locations.join(', ')}` : '')
      : h('p.muted.no-pickup', 'No pickup in store.'));
}

function attributes(p) {
  const entries = Object.entries(p.attributes || {}).filter(([, v]) => v !== null && v !== '');
  if (!entries.length) return null;
  return h('section.attributes', { 'aria-label': 'Details' }, h('h2', 'Details'),
    h('dl', entries.map(([k, v]) => [h('dt', attributeLabel(k)), h('dd', { 'data-attr': k }, typeof v === 'object' ? JSON.stringify(v) : String(v))])));
}

// A link back to the grid showing only this category or tag.
function filterLink(tag, label, set, attrs = {}) {
  return h(tag, { href: '#/', ...attrs, onclick: () => { Object.assign(filters, { q: '', category: '', tag: '' }, set); } }, label);
}

// "All products › Shirts": the way back, through the product's categories.
function crumbs(p, categories) {
  const cats = (p.category_ids || []).map((id) => categories.get(id)).filter(Boolean);
  return h('nav.crumbs', { 'aria-label': 'Breadcrumb' },
    h('a.back', { href: '#/', onclick: () => { filters.category = ''; filters.tag = ''; } }, '← All products'),
    cats.map((c) => [h('span.sep', { 'aria-hidden': 'true' }, '›'),
      filterLink('a', c.name, { category: c.id }, { 'data-category-id': c.id })]));
}

function tagList(p) {
  const tags = p.tags || [];
  if (!tags.length) return null;
  return h('ul.tags', { 'aria-label': 'Tags' }, tags.map((t) => h('li', filterLink('a.tag', t, { tag: t }, { 'data-tag': t }))));
}

let rerender = () => {};

export function renderProduct(el, p, { onRerender, categories = new Map() }) {
  rerender = onRerender;
  if (!p) {
    return mount(el, h('div.empty.gone', { role: 'status' }, h('p', 'This product is no longer available.'),
      h('a.btn', { href: '#/' }, 'Back to the shop')));
  }
  if (view.id !== p.id) {
    view.id = p.id; view.image = 0; view.qty = 1;
    const first = firstAvailableVariant(p);
    view.choice = { ...(first?.options || {}) };
  }
  const v = chosenVariant(p);
  const buyable = isBuyable(p, v);
  const add = () => {
    cart.add({ product_id: p.id, variant_id: v.id, qty: view.qty, added_price: variantPrice(p, v),
      title: p.title, variant: variantLabel(v) });
    toast(`Added ${p.title}${variantLabel(v) ? ` (${variantLabel(v)})` : ''} to your cart`);
  };
  const shown = badges(p, v);
  return mount(el, h('article.product-page', { 'data-product-id': p.id, 'data-version': p.version },
    crumbs(p, categories),
    h('div.pdp',
      gallery(p),
      h('div.pdp-info.stack',
        h('h1.pdp-title', p.title),
        shown.length ? h('div.badges', shown) : null,
        priceLine(p, v, 'pdp-price'),
        h('p.condition', h('span.muted', 'Condition: '), h('span.pdp-condition', CONDITIONS[p.condition] || p.condition)),
        optionPickers(p),
        h('div.row.buy',
          h('label.sr-only', { for: 'qty' }, 'Quantity'),
          h('input.qty', { id: 'qty', type: 'number', min: 1, max: 99, value: view.qty, onchange: (e) => { view.qty = Math.max(1, Number(e.target.value) || 1); } }),
          h('button.btn.primary.add-to-cart', { type: 'button', disabled: !buyable, onclick: add },
            buyable ? 'Add to cart' : (v ? 'Sold out' : 'Unavailable'))),
        p.description ? h('div.pdp-description', p.description) : null,
        tagList(p),
        fulfilment(p),
        attributes(p)))));
}
