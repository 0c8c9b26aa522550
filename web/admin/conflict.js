// The conflict view: someone saved this product while you were editing it.
// Each field you changed is shown twice, yours and theirs; you pick per
// field (or all at once) and your picks are saved on top of their version.

import { h } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';

const LABELS = {
  title: 'Title', description: 'Description', sku: 'SKU', status: 'Status', condition: 'Condition', price: 'Price',
  compare_at_price: 'Compare-at price', sale: 'Sale', images: 'Images', options: 'Options', variants: 'Variants',
  track_inventory: 'Track inventory', allow_backorder: 'Allow backorder', low_stock_threshold: 'Low-stock threshold',
  category_ids: 'Categories', tags: 'Tags', brand_id: 'Brand', unit_id: 'Unit', fulfillment: 'Fulfilment', attributes: 'Attributes',
};

function show(field, value, currency) {
  if (value === null || value === undefined || value === '') return h('em.muted', 'none');
  if ((field === 'price' || field === 'compare_at_price') && typeof value === 'number') return formatMoney(value, currency);
  if (typeof value === 'object') return h('pre.json', JSON.stringify(value, null, 1));
  return String(value);
}

// Resolves with {keepMine: {field: value}} or null if dismissed.
export function conflictDialog({ mine, theirs }) {
  return new Promise((resolve) => {
    const fields = Object.keys(mine);
    const choice = Object.fromEntries(fields.map((f) => [f, 'mine']));
    const rows = fields.map((f) => {
      const name = `pick-${f}`;
      const opt = (which, value) => h('label.pick', { 'data-which': which },
        h('input', { type: 'radio', name, value: which, checked: choice[f] === which, onchange: () => { choice[f] = which; } }),
        h('span.pick-head', which === 'mine' ? 'Mine' : 'Theirs'),
        h('div.pick-value', { 'data-value': which }, show(f, value, theirs.currency)));
      return h('fieldset.conflict-field', { 'data-field': f },
        h('legend', LABELS[f] || f),
        h('div.picks', opt('mine', mine[f]), opt('theirs', theirs[f])));
    });
    const finish = (result) => { dlg.close(); resolve(result); };
    const pickAll = (which) => {
      for (const f of fields) choice[f] = which;
      finish(which === 'theirs' ? { keepMine: {} } : { keepMine: { ...mine } });
    };
    const dlg = h('dialog.conflict', { 'aria-labelledby': 'conflict-title' },
      h('div.dialog-body',
        h('h2', { id: 'conflict-title' }, 'Someone else changed this product'),
        h('p.muted', `They saved version ${theirs.version} while you were editing. Choose which value to keep for each field you changed.`),
        rows),
      h('div.dialog-actions',
        h('button.btn.take-theirs', { type: 'button', onclick: () => pickAll('theirs') }, 'Use theirs'),
        h('button.btn.keep-mine', { type: 'button', onclick: () => pickAll('mine') }, 'Keep mine'),
        h('button.btn.primary.save-choice', { type: 'button',
          onclick: () => finish({ keepMine: Object.fromEntries(fields.filter((f) => choice[f] === 'mine').map((f) => [f, mine[f]])) }) },
        'Save my choice')));
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); });
    dlg.addEventListener('close', () => dlg.remove());
    document.body.append(dlg);
    dlg.showModal();
  });
}
