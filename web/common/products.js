// What any page that sells knows of a product record (the shop, the
// portal): a variant's label and price now, whether it can be bought, and
// whether it matches a search. Pure functions over the public record.

export function variantLabel(v) {
  const vals = Object.values(v?.options || {});
  return vals.join(' / ');
}

export function variantPrice(p, v) {
  if (v && typeof v.price_now === 'number') return v.price_now;
  return p.price_now ?? p.price;
}

export function isBuyable(p, v) {
  return !!v && v.available !== false && v.stock_status !== 'sold_out';
}

export function matchesSearch(p, q) {
  if (!q) return true;
  const attrs = Object.values(p.attributes || {})
    .filter((x) => typeof x === 'string' || typeof x === 'number');
  const hay = [p.title, p.sku, p.description, ...(p.tags || []), ...attrs].join(' ').toLowerCase();
  return hay.includes(q.toLowerCase());
}
