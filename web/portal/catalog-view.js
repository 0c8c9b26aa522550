// A partner's catalog: the shop's active products with the stock a partner
// may see (each variant's `stock`, the product's `stock_total`), live, with
// a search box; each variant can go into the order with a quantity. Rows:
// `.portal-product[data-product-id][data-stock]`, and inside them
// `.portal-variant[data-variant-id][data-stock]`.

import { h } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';
import { icon } from '/assets/common/icons.js';
import { KeyedList } from '/assets/common/keyed-list.js';
import { variantLabel, variantPrice, isBuyable, matchesSearch } from '/assets/common/products.js';

const SHOWN = 60; // a long catalog is narrowed with the search box

function stockText(stock, status, available) {
  if (available === false) return 'Unavailable';
  if (typeof stock === 'number') return stock > 0 ? `${stock} in stock` : 'Out of stock';
  return status === 'sold_out' ? 'Out of stock' : 'In stock';
}

function stockClass(stock, status) {
  const out = typeof stock === 'number' ? stock <= 0 : status === 'sold_out';
  return out ? 'out' : status === 'low_stock' ? 'low' : 'ok';
}

function thumb(p) {
  const img = p.images?.[0];
  return img ? h('img.product-thumb', { src: img.url, alt: '', loading: 'lazy' })
    : h('span.product-thumb.no-image', { 'aria-hidden': 'true' }, icon('bag', { size: 20 }));
}

export class CatalogView {
  /**
   * @param {{list: HTMLUListElement, empty: HTMLElement, count: HTMLElement,
   *   search: HTMLInputElement}} els
   * @param {(line: object) => void} onAdd puts a line into the order
   */
  constructor(els, onAdd) {
    this.els = els;
    this.onAdd = onAdd;
    /** @type {Map<string, number>} quantities typed per variant, kept across re-renders */
    this.qty = new Map();
    this.keyed = new KeyedList(els.list, (p) => this.build(p));
  }

  // A product without options has one default variant: its row is just the
  // price and the quantity (the product's line already says the stock).
  variantRow(p, v) {
    const only = (p.variants ?? []).length === 1 && !variantLabel(v);
    const label = variantLabel(v) || (only ? '' : v.sku || 'Standard');
    const buyable = isBuyable(p, v);
    const id = `qty-${v.id}`;
    const input = h('input.qty', {
      id, type: 'number', inputmode: 'numeric', min: 1, max: 10000, value: this.qty.get(v.id) ?? 1,
      oninput: (e) => this.qty.set(v.id, Math.max(1, Math.floor(Number(e.target.value) || 1))),
    });
    const add = () => {
      const qty = Math.max(1, Math.floor(Number(input.value) || 1));
      this.onAdd({ product_id: p.id, variant_id: v.id, qty, added_price: variantPrice(p, v),
        title: p.title, variant: variantLabel(v) });
      this.qty.delete(v.id);
      input.value = '1';
    };
    return h('li.portal-variant', { 'data-variant-id': v.id, 'data-stock': v.stock ?? '' },
      h('span.variant-name', label),
      h('span.variant-price.price', formatMoney(variantPrice(p, v), p.currency)),
      only ? h('span.stock') : h(`span.stock.stock-${stockClass(v.stock, v.stock_status)}`,
        stockText(v.stock, v.stock_status, v.available)),
      h('span.variant-buy',
        h('label.sr-only', { for: id }, `Quantity of ${p.title}${label ? ` ${label}` : ''}`),
        input,
        h('button.btn.small.add', { type: 'button', disabled: !buyable, onclick: add,
          'aria-label': `Add ${p.title}${label ? ` ${label}` : ''} to the order` }, 'Add')));
  }

  build(p) {
    const variants = p.variants ?? [];
    return h('li.portal-product', { 'data-product-id': p.id, 'data-stock': p.stock_total ?? '' },
      h('div.product-head',
        thumb(p),
        h('div.product-title',
          h('strong', p.title),
          p.sku ? h('span.muted.small', ` · ${p.sku}`) : null),
        h(`span.stock-total.stock-${stockClass(p.stock_total, p.stock_status)}`,
          { 'data-stock': p.stock_total ?? '' }, stockText(p.stock_total, p.stock_status))),
      h('ul.variants', variants.map((v) => this.variantRow(p, v))));
  }

  render(products, { loading }) {
    const q = this.els.search.value.trim();
    const matching = products.filter((p) => matchesSearch(p, q))
      .sort((a, b) => a.title.localeCompare(b.title));
    const shown = matching.slice(0, SHOWN);
    this.keyed.render(shown, new Set());
    this.els.empty.hidden = shown.length > 0;
    this.els.empty.textContent = loading ? 'Loading the catalog…'
      : q ? `Nothing matches “${q}”.` : 'No products yet.';
    this.els.count.textContent = matching.length > SHOWN
      ? `Showing ${SHOWN} of ${matching.length} products. Search to narrow the list.`
      : `${matching.length} product${matching.length === 1 ? '' : 's'}`;
  }
}
