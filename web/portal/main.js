// The customer portal (/portal): a customer's orders and bills, live, with
// a notice and a chime when one changes; for a partner customer also the
// catalog with stock, live, and ordering (channel `partner`, the shop's
// corrections dialog). The server limits a customer key to its own orders,
// bills and customer record.

import { pageClient, randomKey } from '/assets/common/client.js';
import { forgetKey, keyTag } from '/assets/common/key.js';
import { ConnectionMonitor, showConnection } from '/assets/common/connection.js';
import { verifyPage } from '/assets/common/verifier.js';
import { Cue } from '/assets/common/cue.js';
import { createCart } from '/assets/common/cart.js';
import { checkout } from '/assets/common/checkout.js';
import { toast } from '/assets/common/toast.js';
import { customerKey } from './access.js';
import { News } from './news.js';
import { Notices } from './notices.js';
import { OrdersView } from './orders-view.js';
import { BillsView } from './bills-view.js';
import { CatalogView } from './catalog-view.js';
import { renderCart } from './cart-view.js';

const KEY_STORAGE = 'shelfsync.portal.key';
const $ = (id) => document.getElementById(id);

async function main() {
  const key = await customerKey(KEY_STORAGE, $('signin'));
  $('signin').remove();
  $('portal').hidden = false;
  const tag = keyTag(key);
  const clientId = `portal-${await randomKey()}`;
  const client = pageClient(key,
    { db: `shelfsync-portal-${tag}`, clientId, backoff: { initial: 250, max: 5000 } });

  // What this browser kept from its last visit shows at once and is not news.
  const news = new News(clientId);
  news.know('order', (await client.cache.open('portal:orders')).list());
  news.know('bill', (await client.cache.open('portal:bills')).list());
  const orders = client.subscribe('orders', { key: 'portal:orders' });
  const bills = client.subscribe('bills', { key: 'portal:bills' });
  const customers = client.subscribe('customers', { key: 'portal:customer' });
  let products = null; // followed once the customer is known to be a partner

  const shopInfo = JSON.parse(localStorage.getItem(`shelfsync.portal.${tag}.shop`) || '{}');
  const showShop = () => {
    $('shop-name').textContent = shopInfo.name || 'Shop';
    document.title = `Your account · ${shopInfo.name || 'Shelfsync'}`;
  };
  showShop();
  client.rest.shop().then((info) => {
    Object.assign(shopInfo, { name: info.name, currency: info.currency });
    localStorage.setItem(`shelfsync.portal.${tag}.shop`, JSON.stringify(shopInfo));
    showShop();
    render();
  }).catch(() => {});
  const currency = () => shopInfo.currency || orders.records()[0]?.currency || 'USD';

  const cue = new Cue('shelfsync.portal.sound');
  const notices = new Notices($('notices'));
  const cart = createCart(`shelfsync.portal.${tag}.cart`);
  const productMap = () => new Map((products?.records() ?? []).map((p) => [p.id, p]));
  const ordersView = new OrdersView($('orders'), $('orders-empty'), currency);
  const billsView = new BillsView(
    { list: $('bills'), empty: $('bills-empty'), summary: $('bills-summary') },
    { currency, orderNumber: (id) => orders.get(id)?.number });
  const catalogView = new CatalogView(
    {
      list: $('catalog'), empty: $('catalog-empty'), count: $('catalog-count'), search: $('search'),
    },
    (line) => {
      cart.add(line);
      const which = line.variant ? ` (${line.variant})` : '';
      toast(`Added ${line.qty} × ${line.title}${which} to your order`);
    });

  // Ids that arrived live: their rows light up for a moment.
  const fresh = new Set();
  let frame = 0;
  function render() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      renderCustomer();
      ordersView.render(orders.records(), { loading: orders.status !== 'live', fresh });
      billsView.render(bills.records(), { loading: bills.status !== 'live', fresh });
      if (products) catalogView.render(products.records(), { loading: products.status !== 'live' });
      fresh.clear();
    });
  }

  function renderCustomer() {
    const me = customers.records()[0];
    if (!me) return;
    const partner = me.kind === 'partner';
    document.body.dataset.kind = me.kind ?? 'retail';
    $('greeting').textContent = me.name || 'Your account';
    $('customer-kind').hidden = !partner;
    $('customer-kind').textContent = 'Partner account';
    $('catalog-panel').hidden = !partner;
    $('cart-panel').hidden = !partner;
    $('cart-link').hidden = !partner;
    if (partner && !products) followCatalog();
  }

  function followCatalog() {
    products = client.subscribe('products', { key: 'portal:products' });
    products.on('loaded', render);
    products.on('changes', (changes) => {
      render();
      const inCart = new Set(cart.lines().map((l) => l.product_id));
      if (changes.some((c) => inCart.has(c.id))) showCart();
    });
    products.on('status', render);
    products.on('error', refused);
    products.ready.then(showCart, () => {});
  }

  // ---- ordering (partners) ----
  let busy = false;
  let placed = null;
  function showCart() {
    $('cart-count').textContent = String(cart.count());
    $('cart-link').setAttribute('aria-label', `Your order, ${cart.count()} items`);
    renderCart($('cart'), cart, productMap(),
      { currency: currency(), busy, placed, onPlace: placeOrder });
  }
  async function placeOrder() {
    busy = true;
    placed = null;
    showCart();
    try {
      const order = await checkout(client.rest, cart, productMap(), currency(),
        { fields: { channel: 'partner' } });
      if (order) {
        cart.clear();
        placed = order;
        fresh.add(order.id);
        render();
      }
    } catch (e) {
      const why = e.code === 'network_error'
        ? 'You are offline: the order was not placed.' : (e.detail || e.message);
      toast(why, { error: true, ms: 8000 });
    } finally {
      busy = false;
      showCart();
    }
  }
  cart.onChange(() => { if (cart.count()) placed = null; showCart(); });
  $('search').addEventListener('input', render);

  // ---- live news ----
  const announce = (kind) => (changes, info) => {
    for (const n of news.take(kind, changes, info)) {
      fresh.add(n.id);
      notices.show(n);
      cue.play(n.kind === 'order'
        ? { kind: 'order_status', order_id: n.id, number: n.number, status: n.status }
        : { kind: 'bill', bill_id: n.id, number: n.number, status: n.status });
    }
    render();
  };
  orders.on('changes', announce('order'));
  bills.on('changes', announce('bill'));
  customers.on('changes', render);

  // A key the server stops taking (revoked) is forgotten; the page asks again.
  function refused(e) {
    if (e.status === 401 || e.status === 403) { forgetKey(KEY_STORAGE); location.reload(); }
  }
  for (const f of [orders, bills, customers]) {
    f.on('loaded', render);
    f.ready.then(render, () => {});
    f.on('error', refused);
  }

  const conn = new ConnectionMonitor([orders, bills, customers]);
  verifyPage(client, $('conn'));
  conn.on((state) => {
    showConnection($('conn'), state);
    $('conn').className = `pill ${state === 'online' ? 'live' : state === 'offline' ? 'down' : ''}`;
    $('offline').hidden = state !== 'offline';
    render();
  });

  cue.bindToggle($('sound'), $('sound-hint'));

  setInterval(render, 60000); // a bill falls overdue with time alone
  showCart();
  render();
}

main().catch((e) => {
  document.body.dataset.error = 'true';
  toast(`The portal could not start: ${e.message}`, { error: true, ms: 60000 });
  throw e;
});
