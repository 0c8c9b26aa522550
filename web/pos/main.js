// The till (/pos): wires the live catalog, the cart, the offline sale queue
// and the views together.

import { pageClient, randomKey } from '/assets/common/client.js';
import { forgetKey, keyTag, staffKey } from '/assets/common/key.js';
import { ConnectionMonitor, showConnection } from '/assets/common/connection.js';
import { verifyPage } from '/assets/common/verifier.js';
import { formatMoney } from '/assets/common/money.js';
import { formatWhen } from '/assets/common/time.js';
import { Catalog, lineTitle } from './catalog.js';
import { Cart } from './cart.js';
import { SaleQueue } from './queue.js';
import { Sender } from './sender.js';
import { Tiles } from './tiles.js';
import { renderCart } from './cart-view.js';
import { renderQueue } from './queue-view.js';
import { pickVariant } from './picker.js';
import { Notices } from './notices.js';

const KEY_STORAGE = 'shelfsync.pos.key';
const $ = (id) => document.getElementById(id);

/** This browser's till name, made once. */
async function tillId() {
  let id = localStorage.getItem('shelfsync.pos.till');
  if (!id) {
    id = (await randomKey()).slice(0, 4);
    localStorage.setItem('shelfsync.pos.till', id);
  }
  return id;
}

async function main() {
  const key = await staffKey($('key-dialog'), {
    storageName: KEY_STORAGE, refused: 'That key may not use the till (it needs a staff or admin key).',
  });
  const tag = keyTag(key);
  const till = await tillId();
  $('till-name').textContent = `Till ${till}`;

  const client = pageClient(key, {
    db: `shelfsync-pos-${tag}`,
    clientId: `pos-${till}`,
    backoff: { initial: 250, max: 4000 }, // a till wants its connection back quickly
  });
  await client.cache.open('pos:products'); // the stored catalog shows at once
  const feed = client.subscribe('products', { key: 'pos:products' });
  const catalog = new Catalog(feed);
  const cart = new Cart();
  const queue = await new SaleQueue(`shelfsync-pos-sales-${tag}`).open();
  const held = (variantId) => queue.held(variantId);
  const conn = new ConnectionMonitor([feed]);
  verifyPage(client, $('conn'));
  const notices = new Notices($('notices'));
  const tiles = new Tiles($('tiles'), $('catalog-note'));
  let loading = feed.status !== 'live';
  let query = '';

  // ---------------------------------------------------------- render --
  let frame = 0;
  const render = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      tiles.render(catalog.search(query), held, { loading, query, inCart: (id) => cart.qtyOfProduct(id) });
      renderCart({ list: $('cart-lines'), total: $('cart-total'), sell: $('sell'), clear: $('clear'), summary: $('sale-summary') },
        cart, catalog, held);
      renderQueue({ queued: $('queued'), failed: $('failed') }, queue.sales, {
        connection: conn.state,
        onRestore: async (sale) => {
          // The refused sale leaves the list before its items fill the cart,
          // so the two never show at once.
          await queue.remove(sale.key);
          cart.restore(sale.lines);
          notices.show('Items put back in the sale: check them and charge again.', 'info');
        },
        onDismiss: (sale) => queue.remove(sale.key),
      });
      const waiting = queue.queued().length;
      showConnection($('conn'), conn.state, waiting ? `${waiting} sale${waiting === 1 ? '' : 's'} queued` : '');
    });
  };

  feed.on('changes', () => { cart.refresh(catalog); render(); });
  feed.ready.then(() => { loading = false; render(); }, () => {});
  feed.on('error', (e) => {
    if (e.status === 401) { forgetKey(KEY_STORAGE); location.reload(); }
    else notices.show(`Live updates stopped: ${e.message}`, 'warn', 10000);
  });
  cart.onChange(render);
  queue.onChange(render);

  // ----------------------------------------------------------- sales --
  const sender = new Sender({
    rest: client.rest,
    queue,
    onSold: (sale, order) => {
      const sent = sale.attempts > 0 ? 'Queued sale sent' : 'Sale recorded';
      const text = `${sent}: order #${order.number} · ${formatMoney(order.total ?? sale.total, sale.currency)}`;
      notices.show(text, 'ok');
      const last = $('last-sale');
      last.hidden = false;
      last.textContent = `Last sale: order #${order.number} · ${formatMoney(order.total ?? sale.total, sale.currency)} · ${formatWhen(order.created_at ?? sale.rung_at)}`;
      last.dataset.order = String(order.number);
    },
    onFailed: () => {
      openSale();
      render();
    },
    onUnreachable: () => render(),
    onUnauthorized: () => { forgetKey(KEY_STORAGE); location.reload(); },
  });

  conn.on((state) => {
    render();
    if (state === 'online') sender.drain();
  });

  let ringing = false;
  async function sell() {
    if (ringing || cart.size === 0) return;
    ringing = true;
    try {
      const lines = cart.snapshot();
      await queue.put({
        key: await randomKey(),
        items: lines.map(({ product_id, variant_id, qty, unit_price }) => ({ product_id, variant_id, qty, unit_price })),
        lines,
        total: cart.total(),
        currency: cart.currency(),
        rung_at: new Date().toISOString(),
        state: 'queued',
        attempts: 0,
        failure: null,
      });
      cart.clear();
    } finally {
      ringing = false;
    }
    if (conn.state !== 'online') notices.show('No connection: the sale is saved on this till and sent when the connection is back.', 'info', 7000);
    sender.drain();
    $('scan').focus();
  }

  // ------------------------------------------------------ adding items --
  async function addProduct(product) {
    const usable = (product.variants ?? []).filter((v) => v.available !== false);
    const variant = usable.length === 1 ? usable[0] : await pickVariant($('variant-dialog'), product, held);
    if (!variant) return;
    const r = cart.add(product, variant, 1, held(variant.id));
    if (!r.ok) notices.show(r.reason, 'warn');
    else notices.show(`Added ${lineTitle(product, variant)}`, 'info', 1500, 'added');
  }

  $('tiles').addEventListener('click', (ev) => {
    const btn = ev.target.closest('button.tile');
    const product = btn && catalog.get(btn.dataset.productId);
    if (product) addProduct(product);
  });

  const scan = $('scan');
  scan.addEventListener('input', () => { query = scan.value.trim(); render(); });
  $('scan-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = scan.value.trim();
    if (!text) return;
    const hit = catalog.bySku(text);
    const matches = hit ? [] : catalog.search(text);
    if (hit) {
      const r = cart.add(hit.product, hit.variant, 1, held(hit.variant.id));
      if (r.ok) notices.show(`Added ${lineTitle(hit.product, hit.variant)}`, 'info', 1500, 'added');
      else notices.show(r.reason, 'warn');
    } else if (matches.length === 1) {
      addProduct(matches[0]);
    } else if (matches.length === 0) {
      notices.show(`No product with SKU or title “${text}”`, 'warn');
      scan.select();
      return;
    } else {
      return; // several match: the tiles show them
    }
    scan.value = '';
    query = '';
    render();
  });

  $('sell').addEventListener('click', sell);
  $('clear').addEventListener('click', () => cart.clear());

  // On a phone the sale is a sheet that opens from the bottom.
  const toggle = $('sale-toggle');
  function openSale(open = true) {
    $('sale').classList.toggle('open', open);
    toggle.setAttribute('aria-expanded', String(open));
  }
  toggle.addEventListener('click', () => openSale(!$('sale').classList.contains('open')));

  addEventListener('online', () => sender.drain());
  render();
  sender.drain(); // sales left from an earlier visit
}

main().catch((e) => {
  document.body.dataset.error = 'true';
  $('catalog-note').textContent = `The till could not start: ${e.message}`;
  throw e;
});
