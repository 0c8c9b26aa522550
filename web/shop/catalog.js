// What the shop knows about a product: prices, variants, badges. Pure
// functions over the public product record; the ones the portal shares live
// in web/common/products.js and are re-exported here.

import { h } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';
import { variantLabel, variantPrice, isBuyable, matchesSearch } from '/assets/common/products.js';

export { variantLabel, variantPrice, isBuyable, matchesSearch };

export const CONDITIONS = {
  new: 'New', like_new: 'Like new', good: 'Good', fair: 'Fair', refurbished: 'Refurbished', for_parts: 'For parts',
};

// The "was" price: compare-at, or the price before the sale.
export function wasPrice(p, v) {
  const now = variantPrice(p, v);
  const base = v && typeof v.price === 'number' ? v.price : p.price;
  if (p.on_sale && base > now) return base;
  if (typeof p.compare_at_price === 'number' && p.compare_at_price > now) return p.compare_at_price;
  return null;
}

export function priceLine(p, v, cls = '') {
  const was = wasPrice(p, v);
  return h(`span.price-line${cls ? '.' + cls : ''}${p.on_sale ? '.on-sale' : ''}`,
    h('span.price', { 'data-price': variantPrice(p, v) }, formatMoney(variantPrice(p, v), p.currency)),
    was !== null ? h('span.compare', { 'aria-label': `was ${formatMoney(was, p.currency)}` }, formatMoney(was, p.currency)) : null);
}

// What the sale takes off: "−20%", "−$5.00"; a fixed sale price as the
// percent it saves; '' when that cannot be said.
export function saleText(p) {
  const s = p.sale;
  if (!s) return '';
  if (s.kind === 'percent') return `−${s.value}%`;
  if (s.kind === 'amount') return `−${formatMoney(s.value, p.currency)}`;
  const now = p.price_now ?? p.price;
  const off = p.price > 0 ? Math.floor((1 - now / p.price) * 100) : 0;
  return off >= 1 ? `−${off}%` : '';
}

// Milliseconds → "2d 03:04:05" / "03:04:05".
export function countdown(ms) {
  if (ms <= 0) return '00:00:00';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const pad = (n) => String(n).padStart(2, '0');
  const hms = `${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return d ? `${d}d ${hms}` : hms;
}

function countdownEl(until, prefix) {
  return h('span.countdown', { 'data-until': until, 'data-prefix': prefix }, `${prefix}${countdown(until - Date.now())}`);
}

// Badges for a product (or one of its variants): sale (with a countdown to
// its end), upcoming sale, sold out, low stock. `compact` (the grid's
// cards, where badges sit on the photo): the countdown on a line of its own.
export function badges(p, v, { compact = false } = {}) {
  const out = [];
  const status = v ? v.stock_status : p.stock_status;
  if (p.on_sale) {
    const ends = p.sale?.ends_at ? Date.parse(p.sale.ends_at) : null;
    const off = saleText(p);
    out.push(h('span.badge.sale', { 'data-badge': 'sale' }, off ? `Sale ${off}` : 'Sale',
      ends ? countdownEl(ends, compact ? 'Ends in ' : ' · ends in ') : null));
  } else if (p.sale?.starts_at && Date.parse(p.sale.starts_at) > Date.now()) {
    out.push(h('span.badge.soon', { 'data-badge': 'sale-soon' }, 'Sale',
      countdownEl(Date.parse(p.sale.starts_at), compact ? 'Starts in ' : ' starts in ')));
  }
  if (status === 'sold_out') out.push(h('span.badge.sold-out', { 'data-badge': 'sold-out' }, 'Sold out'));
  else if (status === 'low_stock') out.push(h('span.badge.low', { 'data-badge': 'low-stock' }, 'Only a few left'));
  return out;
}

// "Free shipping", "Shipping from $4.95", "Pickup": what the grid's cards
// say about delivery.
export function deliveryNotes(p) {
  const f = p.fulfillment || {};
  const prices = (f.shipping || []).map((s) => s.price || 0);
  const out = [];
  if (prices.length) {
    const min = Math.min(...prices);
    out.push(min === 0 ? 'Free shipping' : `Shipping from ${formatMoney(min, p.currency)}`);
  }
  if (f.pickup) out.push('Pickup');
  return out;
}

// Attribute keys as a shopper reads them: "weight_g" → "Weight (g)".
const UNITS = new Set(['g', 'kg', 'mg', 'mm', 'cm', 'm', 'ml', 'l', 'in', 'oz', 'lb', 'w', 'v', 'mah']);
export function attributeLabel(key) {
  let words = String(key).replace(/[_-]+/g, ' ').trim();
  let unit = '';
  const m = words.match(/^(.+) (\w+)$/);
  if (m && UNITS.has(m[2].toLowerCase())) { words = m[1]; unit = ` (${m[2]})`; }
  return words.charAt(0).toUpperCase() + words.slice(1) + unit;
}

// Keeps every countdown on the page ticking.
export function tickCountdowns() {
  for (const el of document.querySelectorAll('.countdown[data-until]')) {
    el.textContent = `${el.dataset.prefix}${countdown(Number(el.dataset.until) - Date.now())}`;
  }
}

export function firstAvailableVariant(p) {
  const vs = p.variants || [];
  return vs.find((v) => v.available && v.stock_status !== 'sold_out') || vs[0] || null;
}
