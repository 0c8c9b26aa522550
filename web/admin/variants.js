// Options (size, colour, …), the variants they make, and stock: each
// variant's sku, price override, availability; stock is changed through
// the stock ledger (set a count with a reason), so every change is recorded.

import { h, mount } from '/assets/common/dom.js';
import { formatMoney, moneyInput, parseMoney } from '/assets/common/money.js';
import { toast } from '/assets/common/toast.js';
import { icon } from '/assets/common/icons.js';

const combos = (options) => options.reduce((acc, o) =>
  acc.flatMap((c) => o.values.map((v) => ({ ...c, [o.name]: v }))), [{}]);
const sameCombo = (a, b) => Object.keys(a).length === Object.keys(b || {}).length && Object.entries(a).every(([k, v]) => b[k] === v);

// What the editor sends for a variant: stock only for a new one (existing
// stock moves through the ledger, and a stale count must never overwrite it).
export function variantPayload(v) {
  const out = { sku: v.sku || '', options: v.options || {}, available: v.available !== false };
  if (v.id) out.id = v.id;
  if (typeof v.price === 'number') out.price = v.price;
  if (!v.id) out.stock = v.stock || 0;
  return out;
}

export function variantsSection(session, { rerender }) {
  const d = session.draft();
  const cur = d.currency;
  let options = (d.options || []).map((o) => ({ name: o.name, values: [...o.values] }));
  let variants = (d.variants || []).map((v) => ({ ...v }));

  const pushVariants = () => session.edit('variants', variants.map(variantPayload));
  const pushOptions = () => {
    const clean = options.map((o) => ({ name: o.name.trim(), values: [...new Set(o.values.map((x) => x.trim()).filter(Boolean))] }))
      .filter((o) => o.name && o.values.length);
    // Keep the variants whose combination still exists; add the new ones.
    const next = clean.length ? combos(clean).map((c) => variants.find((v) => sameCombo(c, v.options))
      || { sku: '', options: c, stock: 0, available: true }) : [variants.find((v) => !Object.keys(v.options || {}).length) || { sku: d.sku || '', options: {}, stock: 0, available: true }];
    variants = next;
    session.edit('options', clean);
    pushVariants();
    drawVariants();
  };

  const optionsBox = h('div.options');
  function drawOptions() {
    mount(optionsBox,
      options.map((o, i) => h('div.row.option-row', { 'data-option-index': i },
        h('div.field', h('label', { for: `opt-name-${i}` }, 'Option'),
          h('input', { id: `opt-name-${i}`, name: `option-name-${i}`, value: o.name, placeholder: 'size',
            onchange: (e) => { o.name = e.target.value; pushOptions(); } })),
        h('div.field.grow', h('label', { for: `opt-values-${i}` }, 'Values (comma-separated)'),
          h('input', { id: `opt-values-${i}`, name: `option-values-${i}`, value: o.values.join(', '), placeholder: 'S, M, L',
            onchange: (e) => { o.values = e.target.value.split(','); pushOptions(); } })),
        h('button.icon-btn.row-remove.remove-option', { type: 'button', 'aria-label': `Remove option ${o.name}`, title: 'Remove option',
          onclick: () => { options.splice(i, 1); drawOptions(); pushOptions(); } }, icon('trash')))),
      h('button.btn.small.add-option', { type: 'button', onclick: () => { options.push({ name: '', values: [] }); drawOptions(); } }, '+ Add option'));
  }

  const table = h('div.variants-wrap');
  function drawVariants() {
    const hasOptions = variants.some((v) => Object.keys(v.options || {}).length);
    mount(table, h('table.variants',
      h('caption.sr-only', 'Variants'),
      h('thead', h('tr', h('th', 'Variant'), h('th', 'SKU'), h('th', 'Price'), h('th', 'Stock'), h('th', 'Available'))),
      h('tbody', variants.map((v, i) => {
        const label = Object.values(v.options || {}).join(' / ') || 'Default';
        return h('tr.variant-row', { 'data-variant-id': v.id || '', 'data-variant': label },
          h('th', { scope: 'row' }, label),
          // data-label names each cell where a phone shows a variant as a card.
          h('td', { 'data-label': 'SKU' }, hasOptions
            ? h('input', { 'aria-label': `SKU of ${label}`, name: `variant-sku-${i}`, value: v.sku || '', onchange: (e) => { v.sku = e.target.value; pushVariants(); } })
            : h('span.muted.small', 'product SKU')),
          h('td', { 'data-label': 'Price' }, h('input.money-input', { 'aria-label': `Price of ${label} (empty: product price)`, name: `variant-price-${i}`, inputmode: 'decimal',
            placeholder: formatMoney(d.price, cur), value: typeof v.price === 'number' ? moneyInput(v.price, cur) : '',
            onchange: (e) => { const p = parseMoney(e.target.value, cur); if (p === null) delete v.price; else if (Number.isFinite(p) && p >= 0) v.price = p; pushVariants(); } })),
          h('td', { 'data-label': 'Stock' }, v.id ? stockCell(session, v, label, rerender)
            : h('input', { type: 'number', 'aria-label': `Stock of ${label}`, value: v.stock || 0, onchange: (e) => { v.stock = Math.trunc(Number(e.target.value) || 0); pushVariants(); } })),
          h('td.available-cell', { 'data-label': 'Available' }, h('input', { type: 'checkbox', 'aria-label': `${label} available`, name: `variant-available-${i}`, checked: v.available !== false,
            onchange: (e) => { v.available = e.target.checked; pushVariants(); } })));
      }))));
  }
  drawOptions();
  drawVariants();
  return h('div.variants-section', optionsBox, table);
}

function stockCell(session, v, label, rerender) {
  const input = h('input.stock-set', { type: 'number', 'aria-label': `New stock of ${label}`, value: v.stock ?? 0, min: 0 });
  const reason = h('select.stock-reason', { 'aria-label': `Reason for ${label}` },
    h('option', { value: 'adjustment' }, 'Count'), h('option', { value: 'purchase' }, 'Received'), h('option', { value: 'return' }, 'Returned'));
  const apply = async () => {
    const set = Math.trunc(Number(input.value));
    if (!Number.isFinite(set) || set < 0) return toast('Stock must be 0 or more', { error: true });
    if (set === v.stock) return;
    try {
      await session.run(async () => {
        await session.rest.adjustStock({ variant_id: v.id, set, reason: reason.value, note: 'admin page' });
        session.adopt(await session.rest.get('products', session.id));
      });
      toast(`Stock of ${label} set to ${set}`);
      rerender('stock');
    } catch (e) {
      input.value = v.stock ?? 0;
      toast(`Stock not changed: ${e.detail || e.message}`, { error: true });
    }
  };
  return h('div.stock-cell', h('span.stock-now', { 'data-stock': v.stock ?? 0 }, String(v.stock ?? 0)),
    input, reason, h('button.btn.small.stock-apply', { type: 'button', onclick: apply }, 'Set'));
}
