// The till's view of the catalog: the live product feed (kept in IndexedDB
// by the client, so a reload starts from the stored products and only asks
// for what changed), narrowed to what a till sells, with search by title or
// SKU and exact SKU lookup for scanners.

/** "Linen Shirt (L / Blue)" for a variant with options, else the title. */
export function lineTitle(product, variant) {
  const opts = Object.values(variant?.options ?? {});
  return opts.length ? `${product.title} (${opts.join(' / ')})` : product.title;
}

export function variantPrice(product, variant) {
  return variant?.price_now ?? variant?.price ?? product.price_now ?? product.price;
}

/** Units a till may still sell of a variant (Infinity when stock does not limit it). */
export function sellable(product, variant) {
  if (!variant || variant.available === false) return 0;
  if (product.track_inventory === false || product.allow_backorder) return Infinity;
  return Math.max(0, variant.stock ?? 0);
}

const words = (q) => q.toLowerCase().split(/\s+/).filter(Boolean);

function haystack(p) {
  const skus = (p.variants ?? []).map((v) => v.sku ?? '');
  return [p.title, p.sku ?? '', ...skus, ...(p.tags ?? [])].join('\n').toLowerCase();
}

export class Catalog {
  /** @param {import('/assets/client/index.js').Feed} feed */
  constructor(feed) {
    this.feed = feed;
    this.index = new Map(); // id → lowercased searchable text, by version
  }

  /** Active products, by title. */
  products() {
    return this.feed.records()
      .filter((p) => p.status === 'active')
      .sort((a, b) => a.title.localeCompare(b.title));
  }

  get(id) { return this.feed.get(id); }

  text(p) {
    const have = this.index.get(p.id);
    if (have && have.version === p.version) return have.text;
    const text = haystack(p);
    this.index.set(p.id, { version: p.version, text });
    return text;
  }

  /** Products whose title, SKU or tags contain every word of the query. */
  search(query) {
    const ws = words(query);
    const all = this.products();
    if (ws.length === 0) return all;
    return all.filter((p) => {
      const t = this.text(p);
      return ws.every((w) => t.includes(w));
    });
  }

  /** The product and variant a scanned SKU names (case-insensitive), or null. */
  bySku(sku) {
    const want = sku.trim().toLowerCase();
    if (!want) return null;
    for (const p of this.products()) {
      for (const v of p.variants ?? []) {
        if ((v.sku ?? '').toLowerCase() === want) return { product: p, variant: v };
      }
      if ((p.sku ?? '').toLowerCase() === want && p.variants?.length === 1) {
        return { product: p, variant: p.variants[0] };
      }
    }
    return null;
  }
}
