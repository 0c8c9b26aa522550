// The product editor: every field, saved as you type (debounced), with the
// save state, rollback on refusal and the conflict view on 412, and the
// product's stock history beside its variants, live. The save
// delay can be lengthened per browser (localStorage
// `shelfsync.admin.saveDelayMs`), e.g. on a slow link.

import { h, mount } from '/assets/common/dom.js';
import { toast } from '/assets/common/toast.js';
import { section } from './fields.js';
import { basics, pricing, inventoryFlags, organisation, fulfilment, attributes } from './sections.js';
import { imagesSection } from './images.js';
import { variantsSection } from './variants.js';
import { conflictDialog } from './conflict.js';
import { EditSession } from './session.js';
import { StockHistory } from './stock-history.js';

function saveDelay() {
  const v = Number(localStorage.getItem('shelfsync.admin.saveDelayMs'));
  return Number.isFinite(v) && v > 0 ? v : 600;
}

export class Editor {
  constructor(el, { client, historyKey, product, lookups, onDraft, onDeleted }) {
    const rest = client.rest;
    this.el = el;
    this.lookups = lookups;
    this.onDraft = onDraft;
    this.onDeleted = onDeleted;
    this.state = h('span.save-state', { role: 'status', 'aria-live': 'polite' }, 'All changes saved');
    this.staleBanner = h('div.banner.stale', { hidden: true, role: 'status' }, 'Someone else changed this product. Your next save will ask which version to keep.');
    this.session = new EditSession({ rest, product, delay: saveDelay(), onEvent: (type, detail) => this.event(type, detail) });
    this.history = new StockHistory(client, product.id, { key: historyKey, variantName: (id) => this.variantName(id) });
    this.render();
  }

  get id() { return this.session.id; }

  // A variant in words, for the stock history; nothing for a product of one variant.
  variantName(id) {
    const variants = this.session.draft().variants ?? [];
    const v = variants.length > 1 ? variants.find((x) => x.id === id) : null;
    return v ? Object.values(v.options || {}).join(' / ') || v.sku || '' : '';
  }

  setState(text, cls = '') {
    this.state.textContent = text;
    this.state.className = `save-state ${cls}`;
  }

  async event(type, detail) {
    switch (type) {
      case 'draft': this.setState('Unsaved changes…', 'dirty'); this.onDraft(this.session.draft()); break;
      case 'saving': this.setState('Saving…', 'dirty'); break;
      case 'saved':
        this.setState(this.session.dirty() ? 'Unsaved changes…' : 'All changes saved', this.session.dirty() ? 'dirty' : 'ok');
        this.refreshComputed();
        this.onDraft(this.session.draft());
        break;
      case 'offline': this.setState('Offline — will retry', 'error'); break;
      case 'rolledback': {
        const e = detail.error;
        const fields = (e.errors || []).map((x) => `${x.field}: ${x.message}`).join('; ');
        toast(`Not saved — ${fields || e.detail || e.message}. Your change was undone.`, { error: true, ms: 6000 });
        this.setState('Change undone', 'error');
        this.onDraft(this.session.draft());
        this.render();
        break;
      }
      case 'remote': this.onDraft(this.session.draft()); this.render(); break;
      case 'stale': this.staleBanner.hidden = false; break;
      case 'conflict': {
        this.setState('Conflict — choose a version', 'error');
        const choice = await conflictDialog(detail);
        this.staleBanner.hidden = true;
        await this.session.resolve(detail.theirs, choice ? choice.keepMine : {});
        this.onDraft(this.session.draft());
        this.render();
        break;
      }
      case 'resolved': this.render(); break;
      default: break;
    }
  }

  // A live change to this product from someone else.
  remote(record, origin, clientId) {
    if (!record) {
      this.onDeleted();
      return;
    }
    this.session.remote(record, origin, clientId);
  }

  // Computed members (price now, stock status) after a save, without
  // rebuilding the form under the user's cursor.
  refreshComputed() {
    const d = this.session.draft();
    const total = this.el.querySelector('.stock-total');
    if (total) total.textContent = String(d.stock_total ?? 0);
    const v = this.el.querySelector('.editor-head .version');
    if (v) v.textContent = `version ${this.session.base.version}`;
  }

  render(reason) {
    // Keep the focused field focused across a rebuild.
    const active = document.activeElement;
    const focusName = this.el.contains(active) ? active.getAttribute('name') : null;
    const s = this.session;
    const d = s.draft();
    const rerender = () => this.render();
    this.staleBanner.hidden = !s.theirs;
    mount(this.el, h('div.editor', { 'data-product-id': d.id, 'data-version': s.base.version },
      h('div.editor-head.row',
        h('a.back.btn.small', { href: '#/' }, '← Products'),
        h('h1.grow', d.title || 'Untitled'),
        h('span.muted.small.version', `version ${s.base.version}`),
        this.state,
        h('button.btn.small.danger.delete-product', { type: 'button', onclick: () => this.deleteProduct() }, 'Delete')),
      this.staleBanner,
      h('form.editor-form', { onsubmit: (e) => { e.preventDefault(); s.flush(); }, 'aria-label': 'Product' },
        section('Product', ...basics(s, this.lookups())),
        section('Images', imagesSection(s, { rerender })),
        section('Price and sale', ...pricing(s)),
        section('Variants and stock', inventoryFlags(s), variantsSection(s, { rerender }), this.history.el),
        section('Organisation', ...organisation(s, this.lookups())),
        section('Fulfilment', ...fulfilment(s)),
        section('Attributes', attributes(s)))));
    if (focusName) this.el.querySelector(`[name="${CSS.escape(focusName)}"]`)?.focus();
  }

  async deleteProduct() {
    if (!confirm(`Delete “${this.session.draft().title}”? It leaves the shop at once.`)) return;
    try {
      await this.session.run(() => this.session.rest.delete('products', this.id));
      toast('Product deleted');
      location.hash = '#/';
    } catch (e) {
      toast(`Not deleted: ${e.detail || e.message}`, { error: true });
    }
  }

  close() { this.session.flush(); this.session.close(); this.history.close(); }
}
