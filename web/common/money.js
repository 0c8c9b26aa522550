// Money is an integer in minor units; shown with the browser's locale.

const formats = new Map();

function formatter(currency) {
  const c = currency || 'USD';
  if (!formats.has(c)) {
    formats.set(c, new Intl.NumberFormat(undefined, { style: 'currency', currency: c }));
  }
  return formats.get(c);
}

function digits(currency) {
  return formatter(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(minor, currency) {
  if (minor === null || minor === undefined || Number.isNaN(minor)) return '';
  return formatter(currency).format(minor / 10 ** digits(currency));
}

// "12.50" → 1250; '' → null; NaN for garbage.
export function parseMoney(text, currency) {
  const t = String(text ?? '').trim().replace(/[^0-9.,-]/g, '').replace(',', '.');
  if (t === '') return null;
  const n = Number(t);
  if (!Number.isFinite(n)) return NaN;
  return Math.round(n * 10 ** digits(currency));
}

// 1250 → "12.50" for an input field.
export function moneyInput(minor, currency) {
  if (minor === null || minor === undefined) return '';
  const d = digits(currency);
  return (minor / 10 ** d).toFixed(d);
}
