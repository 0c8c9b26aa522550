// The storefront: a live product grid, product pages, cart and checkout.
// What it shows follows the live feed of active products (public token):
// the whole catalog when a browser can keep it, else exactly the products
// on screen (sources.js).

import { h, mount, $ } from '/assets/common/dom.js';
import { pageKey } from '/assets/common/key.js';
import { pageClient } from '/assets/common/client.js';
import { feedPill, showFeedStatus } from '/assets/common/connection.js';
import { toast } from '/assets/common/toast.js';
import { icon } from '/assets/common/icons.js';
import { cart } from './cart.js';
import { filterBar, renderGrid } from './grid.js';
import { renderProduct } from './product.js';
import { renderCart } from './cart_view.js';
import { checkout } from '/assets/common/checkout.js';
import { renderThanks } from './checkout.js';
import { tickCountdowns } from './catalog.js';
import { chooseSource, WholeCatalog, PagedCatalog } from './sources.js';
import { verifyPage } from '/assets/common/verifier.js';

const app = $('#app');

async function start() {
  const key = await pageKey('shelfsync.key.shop', { ask: false });
  if (!key) {
    mount(app, h('main.center', h('div.card', h('h1', 'Shop link incomplete'),
      h('p.muted', 'Open the shop with the link your shop owner shared (it ends in ?key=…).'))));
    return;
  }
  const client = pageClient(key, { db: 'shelfsync-shop' });
  const scope = key.slice(-10);
  const source = (await chooseSource(client, scope)) === 'paged'
    ? new PagedCatalog(client, scope) : new WholeCatalog(client, scope);
  const products = source.feed;
  const categories = client.subscribe('categories', { key: `shop:${scope}:categories`, batchMs: 200 });

  // The cart's products, for pricing it.
  const byId = () => new Map(cart.lines().map((l) => [l.product_id, source.get(l.product_id)]).filter(([, p]) => p));
  let loading = true;
  let busy = false;
  let thanks = null;

  const pill = feedPill();
  const offline = h('div.banner', { hidden: true, role: 'alert' }, 'You are offline. Prices and stock shown may be out of date.');
  const cartLink = h('a.btn.cart-link', { href: '#/cart' }, icon('cart'), 'Cart', h('span.cart-count.badge', '0'));
  const brand = h('a.brand', { href: '#/' }, localStorage.getItem(`shelfsync.shop.${scope}.name`) || 'Shop');
  let shopCurrency = localStorage.getItem(`shelfsync.shop.${scope}.currency`);
  // The shop's own name, kept for offline visits; the page works without it.
  client.rest.shop().then((info) => {
    brand.textContent = info.name;
    document.title = info.name;
    shopCurrency = info.currency;
    localStorage.setItem(`shelfsync.shop.${scope}.name`, info.name);
    localStorage.setItem(`shelfsync.shop.${scope}.currency`, info.currency);
  }).catch(() => {});
  const bar = filterBar(() => render());
  const main = h('main.shop-main', { id: 'main' });
  mount(app,
    h('header.topbar', brand, pill, cartLink),
    offline,
    h('div.container', h('div.grid-filters', bar), main));
  verifyPage(client, pill);

  function currency() {
    return shopCurrency || source.products()[0]?.currency || 'USD';
  }

  function route() {
    const m = location.hash.match(/^#\/product\/(.+)$/);
    if (m) return { name: 'product', id: decodeURIComponent(m[1]) };
    if (location.hash === '#/cart') return { name: 'cart' };
    return { name: 'grid' };
  }

  async function doCheckout() {
    busy = true;
    render();
    try {
      const order = await checkout(client.rest, cart, byId(), currency());
      if (order) {
        cart.clear();
        thanks = order;
      }
    } catch (e) {
      toast(e.code === 'network_error' ? 'You are offline — the order was not placed.' : (e.detail || e.message), { error: true });
    } finally {
      busy = false;
      render();
    }
  }

  function render() {
    const r = route();
    source.show({ grid: r.name === 'grid', productId: r.name === 'product' ? r.id : null,
      cartIds: cart.lines().map((l) => l.product_id) });
    cartLink.querySelector('.cart-count').textContent = String(cart.count());
    cartLink.setAttribute('aria-label', `Cart, ${cart.count()} items`);
    bar.hidden = r.name !== 'grid';
    const cats = categories.records().slice().sort((a, b) => (a.position - b.position) || a.name.localeCompare(b.name));
    bar.update(cats, source.tags());
    if (r.name === 'product') {
      const p = source.get(r.id);
      if (!p && (loading || source.isMissing?.(r.id) === false)) return mount(main, h('p.empty', { role: 'status' }, 'Loading…'));
      const cats = new Map(categories.records().map((c) => [c.id, c]));
      renderProduct(main, p || null, { onRerender: render, categories: cats });
    } else if (r.name === 'cart') {
      if (thanks) return renderThanks(main, thanks, currency());
      renderCart(main, byId(), { currency: currency(), onCheckout: doCheckout, busy });
    } else {
      renderGrid(main, source.products(), { loading, any: source.any(), pager: source.pager() });
    }
  }

  window.addEventListener('hashchange', () => { thanks = null; render(); window.scrollTo(0, 0); });
  cart.onChange(() => render());
  // What this browser kept from its last visit shows at once, before (or
  // without) the server.
  source.onChange(() => render());
  categories.on('loaded', () => render());
  categories.on('changes', () => render());
  products.on('status', (s) => {
    showFeedStatus(pill, s);
    offline.hidden = s !== 'reconnecting' && s !== 'error';
  });
  products.on('error', (e) => toast(`The shop cannot load: ${e.detail || e.message}`, { error: true, ms: 8000 }));
  setInterval(tickCountdowns, 1000);
  render();
  try { await products.ready; } catch { /* shown by the error listener */ }
  loading = false;
  render();
}

start();
