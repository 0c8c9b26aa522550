// The admin page: a live product list and an editor for every field.
// Other admins' saves arrive through the live feed.

import { h, mount, $ } from '/assets/common/dom.js';
import { pageKey, forgetKey } from '/assets/common/key.js';
import { pageClient, randomKey } from '/assets/common/client.js';
import { feedPill, showFeedStatus } from '/assets/common/connection.js';
import { verifyPage } from '/assets/common/verifier.js';
import { toast } from '/assets/common/toast.js';
import { listControls, renderList, catalogSummary } from './list.js';
import { Editor } from './editor.js';

const app = $('#app');
const KEY_STORAGE = 'shelfsync.key.admin';

async function start() {
  const key = await pageKey(KEY_STORAGE);
  const clientId = `admin-${await randomKey()}`;
  const client = pageClient(key, { db: 'shelfsync-admin', clientId });
  const scope = key.slice(-10);
  const feed = (topic) => client.subscribe(topic, { key: `admin:${scope}:${topic}`, batchMs: topic === 'products' ? 0 : 200 });
  const products = feed('products');
  const categories = feed('categories');
  const brands = feed('brands');
  const units = feed('units');
  const lookups = () => ({
    categories: categories.records().sort((a, b) => a.position - b.position || a.name.localeCompare(b.name)),
    brands: brands.records(), units: units.records(),
  });

  let loading = true;
  let editor = null;
  const drafts = new Map(); // optimistic list rows while an edit is unsaved

  const pill = feedPill();
  const listEl = h('div.list-body');
  const side = h('aside.sidebar', { 'aria-label': 'Product list' }, listControls(() => drawList(), () => createProduct()), listEl);
  const mainEl = h('main.editor-pane', { id: 'main' });
  const offline = h('div.banner', { hidden: true, role: 'alert' }, 'Offline — changes are kept and sent when the connection is back.');
  mount(app,
    h('header.topbar', h('a.brand', { href: '#/' }, 'Shelfsync admin'), pill,
      h('button.btn.small.sign-out', { type: 'button', onclick: () => { forgetKey(KEY_STORAGE); location.reload(); } }, 'Sign out')),
    offline,
    h('div.layout', side, mainEl));
  verifyPage(client, pill);

  const route = () => {
    const m = location.hash.match(/^#\/product\/(.+)$/);
    return m ? decodeURIComponent(m[1]) : null;
  };

  function rows() {
    return products.records().map((p) => drafts.get(p.id) || p);
  }

  function drawList() {
    renderList(listEl, rows(), { loading, selected: route() });
  }

  function openRoute() {
    const id = route();
    document.body.classList.toggle('editing', !!id);
    if (editor && editor.id !== id) {
      editor.close();
      drafts.delete(editor.id);
      editor = null;
    }
    if (!id) {
      mount(mainEl, loading && !products.records().length ? h('div.empty', 'Loading…') : catalogSummary(rows()));
      return;
    }
    if (editor) return;
    const p = products.get(id);
    if (!p) {
      mount(mainEl, h('div.empty', { role: 'status' }, loading ? 'Loading…' : 'This product no longer exists.'));
      return;
    }
    editor = new Editor(mainEl, {
      client, historyKey: `admin:${scope}:stock_movements:${id}`, product: p, lookups,
      onDraft: (d) => { drafts.set(d.id, d); drawList(); },
      onDeleted: () => { toast('This product was deleted.'); location.hash = '#/'; },
    });
  }

  async function createProduct() {
    try {
      const p = await client.rest.create('products', { title: 'New product', price: 0, status: 'draft' });
      location.hash = `#/product/${encodeURIComponent(p.id)}`;
    } catch (e) {
      toast(`Could not create a product: ${e.detail || e.message}`, { error: true });
    }
  }

  products.on('changes', (changes) => {
    for (const c of changes) {
      if (editor && c.id === editor.id) {
        editor.remote(c.op === 'delete' ? null : c.data, c.origin, clientId);
        if (!editor?.session.dirty()) drafts.delete(c.id);
      }
    }
    drawList();
    if (!editor) openRoute();
  });
  // This browser's copy from the last visit shows at once, before the server answers.
  products.on('loaded', () => { drawList(); if (!editor) openRoute(); });
  for (const f of [categories, brands, units]) f.on('changes', () => { if (editor && !editor.session.dirty()) editor.render(); });
  products.on('status', (s) => {
    showFeedStatus(pill, s);
    offline.hidden = s !== 'reconnecting';
  });
  products.on('error', (e) => {
    if (e.status === 401 || e.code === 'invalid_token' || e.code === 'forbidden') {
      forgetKey(KEY_STORAGE);
      mount(app, h('main.center', h('div.card', h('h1', 'This key cannot open the admin'),
        h('p.muted', e.detail || e.code), h('button.btn.primary', { onclick: () => location.reload() }, 'Use another key'))));
    } else toast(e.detail || e.message, { error: true });
  });
  window.addEventListener('hashchange', () => { drawList(); openRoute(); });
  window.addEventListener('beforeunload', () => editor?.session.flush());
  drawList();
  openRoute();
  try { await products.ready; } catch { return; }
  loading = false;
  drawList();
  openRoute();
}

start();
