// What the shop knows about a product: prices, variants, badges. Pure
// functions over the public product record.

import { h } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';

export const CONDITIONS = {
  new: 'New', like_new: 'Like new', good: 'Good', fair: 'Fair', refurbished: 'Refurbished', for_parts: 'For parts',
};

export function variantLabel(v) {
  const vals = Object.values(v?.options || {});
  return vals.join(' / ');
}

export function variantPrice(p, v) {
  if (v && typeof v.price_now === 'number') return v.price_now;
  return p.price_now ?? p.price;
}

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
  return h(`span.price-line${cls ? '.' + cls : ''}`,
    h('span.price', { 'data-price': variantPrice(p, v) }, formatMoney(variantPrice(p, v), p.currency)),
    was !== null ? h('span.compare', { 'aria-label': `was ${formatMoney(was, p.currency)}` }, formatMoney(was, p.currency)) : null);
}

export function saleText(p) {
  const s = p.sale;
  if (!s) return 'Sale';
  if (s.kind === 'percent') return `−${s.value}%`;
  if (s.kind === 'amount') return `−${formatMoney(s.value, p.currency)}`;
  return 'Sale';
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

// Badges for a product (or one of its variants): sale (with a countdown to
// its end), upcoming sale, sold out, low stock.
export function badges(p, v) {
  const out = [];
  const status = v ? v.stock_status : p.stock_status;
  if (p.on_sale) {
    const ends = p.sale?.ends_at ? Date.parse(p.sale.ends_at) : null;
    out.push(h('span.badge.sale', { 'data-badge': 'sale' }, `Sale ${saleText(p)}`,
      ends ? h('span.countdown', { 'data-until': ends, 'data-prefix': ' · ends in ' }, ` · ends in ${countdown(ends - Date.now())}`) : null));
  } else if (p.sale?.starts_at && Date.parse(p.sale.starts_at) > Date.now()) {
    const starts = Date.parse(p.sale.starts_at);
    out.push(h('span.badge', { 'data-badge': 'sale-soon' }, 'Sale',
      h('span.countdown', { 'data-until': starts, 'data-prefix': ' starts in ' }, ` starts in ${countdown(starts - Date.now())}`)));
  }
  if (status === 'sold_out') out.push(h('span.badge.sold-out', { 'data-badge': 'sold-out' }, 'Sold out'));
  else if (status === 'low_stock') out.push(h('span.badge.low', { 'data-badge': 'low-stock' }, 'Only a few left'));
  return out;
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

export function isBuyable(p, v) {
  return !!v && v.available !== false && v.stock_status !== 'sold_out';
}

export function matchesSearch(p, q) {
  if (!q) return true;
  const hay = [p.title, p.sku, p.description, ...(p.tags || [])].join(' ').toLowerCase();
  return hay.includes(q.toLowerCase());
}
