// The editor's plain sections: basics, pricing and sale, inventory flags,
// organisation, fulfilment and free attributes. Each edit goes to the
// session, which shows it at once and saves it shortly after.

import { h, mount } from '/assets/common/dom.js';
import { formatMoney } from '/assets/common/money.js';
import { icon } from '/assets/common/icons.js';
import { textField, numberField, moneyField, selectField, checkField, dateTimeField } from './fields.js';

export const STATUSES = [['draft', 'Draft'], ['active', 'Active'], ['archived', 'Archived']];
export const CONDITIONS = [['new', 'New'], ['like_new', 'Like new'], ['good', 'Good'], ['fair', 'Fair'], ['refurbished', 'Refurbished'], ['for_parts', 'For parts']];

export function basics(s, { brands, units }) {
  const d = s.draft();
  const none = [['', '—']];
  return [
    textField('Title', d.title, (v) => s.edit('title', v), { name: 'title', required: true, maxlength: 200 }),
    textField('Description', d.description, (v) => s.edit('description', v), { name: 'description', multiline: true }),
    h('div.grid-2',
      textField('SKU', d.sku, (v) => s.edit('sku', v), { name: 'sku', maxlength: 64 }),
      selectField('Status', d.status, STATUSES, (v) => s.edit('status', v), { name: 'status' }),
      selectField('Condition', d.condition, CONDITIONS, (v) => s.edit('condition', v), { name: 'condition' }),
      selectField('Brand', d.brand_id || '', [...none, ...brands.map((b) => [b.id, b.name])], (v) => s.edit('brand_id', v || null), { name: 'brand_id' }),
      selectField('Unit', d.unit_id || '', [...none, ...units.map((u) => [u.id, u.name])], (v) => s.edit('unit_id', v || null), { name: 'unit_id' })),
  ];
}

export function pricing(s) {
  const d = s.draft();
  const cur = d.currency;
  const sale = d.sale ? { ...d.sale } : null;
  const saleBox = h('div.sale-box');
  const pushSale = (next) => {
    if (!next) return s.edit('sale', null);
    const out = { kind: next.kind, value: next.value ?? 0, starts_at: next.starts_at ?? null, ends_at: next.ends_at ?? null, stock_limit: next.stock_limit ?? null };
    s.edit('sale', out);
  };
  let cur_sale = sale;
  function drawSale() {
    const kind = cur_sale?.kind || '';
    const upd = (k, v) => { cur_sale = { ...cur_sale, [k]: v }; pushSale(cur_sale); };
    mount(saleBox,
      selectField('Sale', kind, [['', 'No sale'], ['percent', 'Percent off'], ['amount', 'Amount off'], ['fixed_price', 'Fixed sale price']],
        (v) => { cur_sale = v ? { ...(cur_sale || {}), kind: v, value: cur_sale?.value || (v === 'percent' ? 10 : 100) } : null; pushSale(cur_sale); drawSale(); },
        { name: 'sale_kind' }),
      kind ? h('div.sale-fields',
        kind === 'percent'
          ? numberField('Percent off', cur_sale.value, (v) => upd('value', v ?? 0), { name: 'sale_value', min: 1, max: 100 })
          : moneyField(kind === 'amount' ? 'Amount off' : 'Sale price', cur_sale.value, cur, (v) => upd('value', v), { name: 'sale_value' }),
        numberField('Sale units limit', cur_sale.stock_limit, (v) => upd('stock_limit', v), { name: 'sale_stock_limit', min: 1 }),
        dateTimeField('Starts (empty: now)', cur_sale.starts_at, (v) => upd('starts_at', v), { name: 'sale_starts_at' }),
        dateTimeField('Ends (empty: no end)', cur_sale.ends_at, (v) => upd('ends_at', v), { name: 'sale_ends_at' })) : null,
      // One line on how the sale stands: running or not, the price now, units sold.
      d.sale ? h('p.small.sale-status', d.on_sale ? h('span.badge.sale', 'On sale now') : h('span.badge', 'Sale not running'),
        ' Price now: ', h('strong.price-now', formatMoney(d.price_now ?? d.price, cur)),
        typeof d.sale?.sold === 'number' ? h('span.muted.sale-sold', ` · ${d.sale.sold} sold at the sale price`) : null) : null);
  }
  drawSale();
  return [
    h('div.grid-2',
      moneyField('Price', d.price, cur, (v) => s.edit('price', v), { name: 'price' }),
      moneyField('Compare-at price', d.compare_at_price, cur, (v) => s.edit('compare_at_price', v), { name: 'compare_at_price', allowEmpty: true })),
    saleBox,
  ];
}

const STOCK_WORDS = { in_stock: 'in stock', low_stock: 'low stock', sold_out: 'sold out' };

export function inventoryFlags(s) {
  const d = s.draft();
  return h('div.grid-2.inventory-flags',
    checkField('Track inventory', d.track_inventory !== false, (v) => s.edit('track_inventory', v), { name: 'track_inventory' }),
    checkField('Allow backorder', !!d.allow_backorder, (v) => s.edit('allow_backorder', v), { name: 'allow_backorder' }),
    numberField('Low-stock threshold', d.low_stock_threshold, (v) => s.edit('low_stock_threshold', v ?? 0), { name: 'low_stock_threshold', min: 0 }),
    h('p.small.stock-summary', 'In stock: ', h('strong.stock-total', String(d.stock_total ?? 0)), ' ', h(`span.badge.${{ sold_out: 'sold-out', low_stock: 'low', in_stock: 'ok' }[d.stock_status] || 'ok'}`, STOCK_WORDS[d.stock_status] || '')));
}

export function organisation(s, { categories }) {
  const d = s.draft();
  let cats = new Set(d.category_ids || []);
  const tagsInput = textField('Tags (comma-separated)', (d.tags || []).join(', '), (v) =>
    s.edit('tags', [...new Set(v.split(',').map((t) => t.trim()).filter(Boolean))]), { name: 'tags' });
  return [
    h('fieldset.categories', h('legend', 'Categories'),
      categories.length ? categories.map((c) => checkField(c.name, cats.has(c.id), (on) => {
        cats = new Set(cats); if (on) cats.add(c.id); else cats.delete(c.id);
        s.edit('category_ids', [...cats]);
      }, { name: `category-${c.id}` })) : h('p.muted.small', 'No categories yet.')),
    tagsInput,
  ];
}

export function fulfilment(s) {
  const d = s.draft();
  let f = { pickup: false, pickup_locations: [], shipping: [], ...(d.fulfillment || {}) };
  f = { ...f, shipping: f.shipping.map((x) => ({ ...x })) };
  const push = () => s.edit('fulfillment', { pickup: f.pickup, pickup_locations: f.pickup_locations,
    shipping: f.shipping.filter((x) => x.method.trim()).map((x) => ({ method: x.method.trim(), price: x.price || 0, ...(typeof x.eta_days === 'number' ? { eta_days: x.eta_days } : {}) })) });
  const rows = h('div.shipping-rows');
  const draw = () => mount(rows, f.shipping.map((x, i) => h('div.row.shipping-row', { 'data-index': i },
    h('div.field.grow', h('label', { for: `ship-m-${i}` }, 'Method'),
      h('input', { id: `ship-m-${i}`, name: `shipping-method-${i}`, value: x.method, oninput: (e) => { x.method = e.target.value; push(); } })),
    moneyField('Price', x.price, d.currency, (v) => { x.price = v; push(); }, { name: `shipping-price-${i}` }),
    numberField('Days', x.eta_days, (v) => { if (v === null) delete x.eta_days; else x.eta_days = v; push(); }, { name: `shipping-eta-${i}`, min: 0, max: 365 }),
    h('button.icon-btn.row-remove.remove-shipping', { type: 'button', 'aria-label': `Remove shipping ${x.method}`, title: 'Remove shipping method', onclick: () => { f.shipping.splice(i, 1); draw(); push(); } }, icon('trash')))),
  h('button.btn.small.add-shipping', { type: 'button', onclick: () => { f.shipping.push({ method: '', price: 0 }); draw(); } }, '+ Add shipping method'));
  draw();
  // The locations matter only with pickup on: hidden (but kept) while it is off.
  const locations = textField('Pickup locations (one per line)', f.pickup_locations.join('\n'), (v) => {
    f.pickup_locations = v.split('\n').map((x) => x.trim()).filter(Boolean); push();
  }, { name: 'pickup_locations', multiline: true, rows: 2 });
  locations.hidden = !f.pickup;
  return [
    checkField('Pickup in store', f.pickup, (v) => { f.pickup = v; locations.hidden = !v; push(); }, { name: 'pickup' }),
    locations,
    h('h3', 'Shipping'), rows,
  ];
}

export function attributes(s) {
  const d = s.draft();
  const original = d.attributes || {};
  let rows = Object.entries(original).map(([k, v]) => ({ k, v: typeof v === 'string' ? v : JSON.stringify(v) }));
  const parse = (text) => { try { const j = JSON.parse(text); return typeof j === 'object' && j !== null ? j : text; } catch { return text; } };
  const push = () => {
    const next = {};
    for (const r of rows) if (r.k.trim()) next[r.k.trim()] = parse(r.v);
    // A merge patch: keys that went away are sent as null.
    for (const k of Object.keys(s.base.attributes || {})) if (!(k in next)) next[k] = null;
    s.edit('attributes', next);
  };
  const box = h('div.attribute-rows');
  const draw = () => mount(box, rows.map((r, i) => h('div.row.attribute-row', { 'data-index': i },
    h('div.field', h('label', { for: `attr-k-${i}` }, 'Name'), h('input', { id: `attr-k-${i}`, name: `attr-key-${i}`, value: r.k, oninput: (e) => { r.k = e.target.value; push(); } })),
    h('div.field.grow', h('label', { for: `attr-v-${i}` }, 'Value'), h('input', { id: `attr-v-${i}`, name: `attr-value-${i}`, value: r.v, oninput: (e) => { r.v = e.target.value; push(); } })),
    h('button.icon-btn.row-remove.remove-attribute', { type: 'button', 'aria-label': `Remove ${r.k}`, title: 'Remove attribute', onclick: () => { rows.splice(i, 1); draw(); push(); } }, icon('trash')))),
  h('button.btn.small.add-attribute', { type: 'button', onclick: () => { rows.push({ k: '', v: '' }); draw(); box.querySelector(`[name=attr-key-${rows.length - 1}]`)?.focus(); } }, '+ Add attribute'));
  draw();
  return box;
}
