// Where the shop's products come from. Two sources with one shape:
//
//   WholeCatalog — a catalog a browser can keep (up to WHOLE_LIMIT active
//   products): one feed follows every product; the grid filters and sorts
//   locally and the shop works offline from what it stored.
//
//   PagedCatalog — a catalog too large to keep (SPEC §9: 100,000 products):
//   the grid asks the server for one page (search, category, tag), and one
//   feed follows exactly the products on screen — the page, the open
//   product, the cart's — changing its ids with `watch` as the shopper
//   moves. Its cache holds what is shown and nothing more.
//
// Both: products() for the grid, get(id), tags(), show(what) when the
// screen changes, `feed` (status, verification), onChange(fn).

import { visibleProducts, filters } from './grid.js';

export const WHOLE_LIMIT = 5000;
export const PAGE_SIZE = 24;

/**
 * Which source fits this shop: `?catalog=paged|whole` in the address
 * decides; else the size of the catalog (its digest's count, one cheap
 * request), remembered for offline visits.
 */
export async function chooseSource(client, scope) {
  const asked = new URL(location.href).searchParams.get('catalog');
  if (asked === 'paged' || asked === 'whole') return asked;
  const remembered = `shelfsync.shop.${scope}.catalog`;
  try {
    const { count } = await client.rest.digest('products');
    const kind = count > WHOLE_LIMIT ? 'paged' : 'whole';
    localStorage.setItem(remembered, kind);
    return kind;
  } catch {
    return localStorage.getItem(remembered) || 'whole';
  }
}

const byNewest = (a, b) => (a.version ?? 0) - (b.version ?? 0);

export class WholeCatalog {
  constructor(client, scope) {
    this.feed = client.subscribe('products', { key: `shop:${scope}:products` });
  }

  onChange(fn) {
    this.feed.on('loaded', fn);
    this.feed.on('changes', fn);
  }

  get(id) { return this.feed.get(id); }
  products() { return visibleProducts(this.feed.records()); }
  any() { return this.feed.records().length > 0; }
  tags() { return [...new Set(this.feed.records().flatMap((p) => p.tags || []))].sort(); }
  pager() { return null; }
  show() {}
}

export class PagedCatalog {
  constructor(client, scope) {
    this.rest = client.rest;
    this.shownKey = `shelfsync.shop.${scope}.shown`;
    let saved = [];
    try { saved = JSON.parse(localStorage.getItem(this.shownKey) || '[]'); } catch { /* none */ }
    if (!Array.isArray(saved)) saved = [];
    // What was on screen last time shows at once, from the stored view.
    this.page = { query: null, ids: saved, after: null, next: null, back: [] };
    this.fetched = new Map(); // the page as listed, until the feed has each product
    this.missing = new Set(); // products asked for by id that the server does not show
    this.want = { productId: null, cartIds: [] };
    this.listeners = new Set();
    this.loads = 0;
    this.feed = client.subscribe('products', { key: `shop:${scope}:shown`, filter: { ids: saved } });
  }

  onChange(fn) {
    this.listeners.add(fn);
    this.feed.on('loaded', fn);
    this.feed.on('changes', fn);
  }

  changed() { for (const fn of this.listeners) fn(); }

  // The newer of the feed's and the listed state.
  get(id) {
    const live = this.feed.get(id);
    const listed = this.fetched.get(id);
    if (!live) return listed;
    return listed && byNewest(live, listed) < 0 ? listed : live;
  }

  products() { return this.page.ids.map((id) => this.get(id)).filter(Boolean); }
  // Whether an empty grid means "no match" (a filter is set, or pages
  // came before) rather than "nothing for sale".
  any() {
    return this.page.ids.length > 0 || this.page.back.length > 0 || !!(filters.q.trim() || filters.category || filters.tag);
  }
  isMissing(id) { return this.missing.has(id); }

  tags() {
    const tags = new Set(this.products().flatMap((p) => p.tags || []));
    if (filters.tag) tags.add(filters.tag);
    return [...tags].sort();
  }

  pager() {
    return {
      number: this.page.back.length + 1,
      hasPrev: this.page.back.length > 0,
      hasNext: !!this.page.next,
      prev: () => { this.page.after = this.page.back.pop() ?? null; this.load(); },
      next: () => { this.page.back.push(this.page.after); this.page.after = this.page.next; this.load(); },
    };
  }

  /**
   * The screen changed: the grid's filters (a new query starts at page 1),
   * the open product, the cart's products.
   */
  show({ productId = null, cartIds = [], grid = true } = {}) {
    this.want = { productId, cartIds };
    const query = JSON.stringify({ q: filters.q.trim(), category: filters.category, tag: filters.tag });
    if (grid && query !== this.page.query) {
      this.page.query = query;
      this.page.after = null;
      this.page.back = [];
      clearTimeout(this.typing);
      // Typing a search asks once the shopper pauses.
      this.typing = setTimeout(() => this.load(), this.page.ids.length && filters.q ? 250 : 0);
    }
    if (productId && !this.get(productId) && !this.missing.has(productId)) this.fetchOne(productId);
    this.follow();
  }

  async load() {
    const n = ++this.loads;
    const { q, category, tag } = JSON.parse(this.page.query);
    const filter = { ...(q ? { q } : {}), ...(category ? { category_id: category } : {}), ...(tag ? { tag } : {}) };
    try {
      // A 1–2 character search may answer short pages that still go on:
      // follow them (a few) until the page is full.
      const data = [];
      let after = this.page.after;
      for (let asked = 0; asked < 10 && data.length < PAGE_SIZE; asked++) {
        const got = await this.rest.listPage('products',
          { ...filter, limit: PAGE_SIZE - data.length, ...(after ? { after } : {}) });
        data.push(...got.data);
        after = got.next ?? null;
        if (!after) break;
      }
      if (n !== this.loads) return; // a newer page was asked for meanwhile
      this.page.ids = data.map((p) => p.id);
      this.page.next = after;
      for (const p of data) this.fetched.set(p.id, p);
      this.follow();
      this.changed();
    } catch {
      // Offline: the stored page stays on screen.
    }
  }

  async fetchOne(id) {
    try {
      const p = await this.rest.get('products', id);
      this.fetched.set(id, p);
    } catch (e) {
      if (e.status === 404) this.missing.add(id);
    }
    this.changed();
  }

  // Follows exactly what is on screen: the page, the product, the cart.
  follow() {
    const want = new Set([...this.page.ids, ...this.want.cartIds]);
    if (this.want.productId) want.add(this.want.productId);
    const have = this.feed.ids;
    const add = [...want].filter((id) => !have.has(id));
    const remove = [...have].filter((id) => !want.has(id));
    if (add.length || remove.length) this.feed.watch({ add, remove });
    // Listed products no longer on screen are forgotten too.
    for (const id of this.fetched.keys()) if (!want.has(id)) this.fetched.delete(id);
    try { localStorage.setItem(this.shownKey, JSON.stringify(this.page.ids)); } catch { /* full */ }
  }
}
