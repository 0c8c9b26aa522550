// Labelled inputs for the editor. Each calls onValue(value) as the user edits.

import { h } from '/assets/common/dom.js';
import { moneyInput, parseMoney } from '/assets/common/money.js';

let seq = 0;
const uid = (name) => `f-${name}-${++seq}`;

export function textField(label, value, onValue, { name, multiline = false, type = 'text', help, ...attrs } = {}) {
  const id = uid(name || label);
  const input = h(multiline ? 'textarea' : 'input', { id, name, type: multiline ? undefined : type, value: value ?? '', ...attrs,
    oninput: (e) => onValue(e.target.value) });
  return h('div.field', { 'data-field': name }, h('label', { for: id }, label), input, help ? h('p.muted.small', help) : null);
}

export function numberField(label, value, onValue, { name, min, max, step = 1, allowEmpty = true } = {}) {
  const id = uid(name || label);
  return h('div.field', { 'data-field': name }, h('label', { for: id }, label),
    h('input', { id, name, type: 'number', inputmode: 'numeric', min, max, step, value: value ?? '',
      oninput: (e) => {
        const t = e.target.value.trim();
        if (t === '') { if (allowEmpty) onValue(null); return; }
        const n = Number(t);
        if (Number.isInteger(n)) onValue(n);
      } }));
}

export function moneyField(label, minor, currency, onValue, { name, allowEmpty = false } = {}) {
  const id = uid(name || label);
  const cur = currency || 'USD';
  return h('div.field.money', { 'data-field': name }, h('label', { for: id }, `${label} (${cur})`),
    h('input', { id, name, type: 'text', inputmode: 'decimal', autocomplete: 'off', value: moneyInput(minor, cur),
      oninput: (e) => {
        const v = parseMoney(e.target.value, cur);
        if (v === null) { if (allowEmpty) onValue(null); return; }
        if (Number.isFinite(v) && v >= 0) onValue(v);
      } }));
}

export function selectField(label, value, options, onValue, { name } = {}) {
  const id = uid(name || label);
  return h('div.field', { 'data-field': name }, h('label', { for: id }, label),
    h('select', { id, name, onchange: (e) => onValue(e.target.value) },
      options.map(([v, text]) => h('option', { value: v, selected: v === (value ?? '') }, text))));
}

export function checkField(label, checked, onValue, { name } = {}) {
  const id = uid(name || label);
  return h('div.field.check', { 'data-field': name },
    h('input', { id, name, type: 'checkbox', checked: !!checked, onchange: (e) => onValue(e.target.checked) }),
    h('label', { for: id }, label));
}

// RFC 3339 ↔ the value of <input type=datetime-local> (local time).
export function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function fromLocalInput(text) {
  if (!text) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function dateTimeField(label, iso, onValue, { name } = {}) {
  const id = uid(name || label);
  return h('div.field', { 'data-field': name }, h('label', { for: id }, label),
    h('input', { id, name, type: 'datetime-local', step: 1, value: toLocalInput(iso),
      oninput: (e) => { const v = fromLocalInput(e.target.value); if (v !== undefined) onValue(v); } }));
}

export function section(title, ...children) {
  return h('section.editor-section.card', { 'aria-label': title }, h('h2', title), ...children);
}
