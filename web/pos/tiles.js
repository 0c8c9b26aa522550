// Product tiles: one button per product with its picture, price and live
// stock. Tiles are kept by product id and redrawn only when the product (or
// the units held by unsent sales) changed, so focus and scroll survive live
// updates.

import { formatMoney } from '/assets/common/money.js';
import { sellable } from './catalog.js';

const MAX_TILES = 120;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Units left of a product for this till: its stock less what unsent sales hold. */
export function unitsLeft(product, held) {
  const vs = (product.variants ?? []).filter((v) => v.available !== false);
  if (vs.length === 0) return 0;
  let n = 0;
  for (const v of vs) {
    const s = sellable(product, v);
    if (s === Infinity) return Infinity;
    n += Math.max(0, s - held(v.id));
  }
  return n;
}

function stockText(product, left) {
  if (left === Infinity) return 'In stock';
  if (left <= 0) return 'Sold out';
  if (left <= (product.low_stock_threshold ?? 5)) return `Only ${left} left`;
  return `${left} in stock`;
}

function priceRange(product) {
  const prices = (product.variants ?? []).map((v) => v.price_now ?? product.price_now ?? product.price);
  if (prices.length === 0) prices.push(product.price_now ?? product.price);
  const lo = Math.min(...prices);
  const hi = Math.max(...prices);
  const c = product.currency;
  return lo === hi ? formatMoney(lo, c) : `${formatMoney(lo, c)} – ${formatMoney(hi, c)}`;
}

function fill(li, product, left, inCart) {
  const btn = el('button', 'tile');
  btn.type = 'button';
  btn.dataset.productId = product.id;
  const soldOut = left <= 0;
  btn.disabled = soldOut;
  const img = product.images?.[0];
  const pic = el('span', 'tile-pic');
  if (img?.url) {
    const i = el('img');
    i.src = img.url;
    i.alt = '';
    i.loading = 'lazy';
    i.decoding = 'async';
    pic.append(i);
  } else {
    pic.textContent = product.title.slice(0, 1).toUpperCase();
  }
  const name = el('span', 'tile-title', product.title);
  const price = el('span', 'tile-price', priceRange(product));
  if (product.on_sale) {
    price.classList.add('on-sale');
    const was = el('s', 'tile-was', formatMoney(product.price, product.currency));
    was.setAttribute('aria-label', `was ${formatMoney(product.price, product.currency)}`);
    price.append(' ', was);
  }
  const stock = el('span', 'tile-stock', stockText(product, left));
  stock.dataset.level = soldOut ? 'out' : left !== Infinity && left <= (product.low_stock_threshold ?? 5) ? 'low' : 'ok';
  const variants = (product.variants ?? []).length;
  const meta = el('span', 'tile-meta', [product.sku, variants > 1 ? `${variants} options` : ''].filter(Boolean).join(' · '));
  btn.append(pic, name, meta, price, stock);
  if (inCart) pic.append(el('span', 'tile-in-sale', `${inCart} in sale`));
  btn.setAttribute('aria-label', `${product.title}, ${priceRange(product)}, ${stockText(product, left)}${inCart ? `, ${inCart} in this sale` : ''}`);
  li.replaceChildren(btn);
  li.dataset.stock = left === Infinity ? 'untracked' : String(left);
}

export class Tiles {
  /** @param {HTMLElement} list the <ul> of tiles @param {HTMLElement} note a line saying how many match */
  constructor(list, note) {
    this.list = list;
    this.note = note;
    /** @type {Map<string, {li: HTMLLIElement, sig: string}>} */
    this.items = new Map();
  }

  /**
   * @param {object[]} products matching products, in display order
   * @param {(variantId: string) => number} held units held by unsent sales
   * @param {{loading: boolean, query: string, inCart: (productId: string) => number}} state
   */
  render(products, held, { loading, query, inCart }) {
    const shown = products.slice(0, MAX_TILES);
    const keep = new Set();
    const order = [];
    for (const p of shown) {
      const left = unitsLeft(p, held);
      const mine = inCart(p.id);
      const sig = `${p.version}:${left}:${mine}`;
      let item = this.items.get(p.id);
      if (!item) {
        const li = el('li');
        li.dataset.productId = p.id;
        item = { li, sig: '' };
        this.items.set(p.id, item);
      }
      if (item.sig !== sig) {
        fill(item.li, p, left, mine);
        item.sig = sig;
      }
      keep.add(p.id);
      order.push(item.li);
    }
    for (const [id, item] of this.items) {
      if (!keep.has(id)) { item.li.remove(); this.items.delete(id); }
    }
    // Reorder only what moved.
    order.forEach((li, i) => {
      if (this.list.children[i] !== li) this.list.insertBefore(li, this.list.children[i] ?? null);
    });
    this.list.setAttribute('aria-busy', String(loading));
    if (loading && products.length === 0) this.note.textContent = 'Loading products…';
    else if (products.length === 0) this.note.textContent = query ? `No product matches “${query}”.` : 'No products to sell yet.';
    else if (products.length > shown.length) this.note.textContent = `Showing ${shown.length} of ${products.length} — type to narrow down.`;
    else this.note.textContent = query ? `${products.length} match${products.length === 1 ? '' : 'es'}` : `${products.length} products`;
  }
}
