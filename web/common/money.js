// Money is an integer in minor units (cents) with an ISO currency code;
// shown in the browser's locale, with as many decimals as the currency has.

const formats = new Map();

// One Intl formatter per currency and style; `compact` is for chart axes.
function formatter(currency, compact = false) {
  const code = /^[A-Za-z]{3}$/.test(currency ?? '') ? currency.toUpperCase() : 'USD';
  const name = `${code}${compact ? ':compact' : ''}`;
  let f = formats.get(name);
  if (!f) {
    const style = compact ? { notation: 'compact', maximumFractionDigits: 1 } : {};
    f = new Intl.NumberFormat(undefined, { style: 'currency', currency: code, ...style });
    formats.set(name, f);
  }
  return f;
}

function digits(currency) {
  return formatter(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * `formatMoney(4950, 'USD')` → "$49.50" (in an en-US browser); `missing`
 * stands in for a value that is not a number.
 */
export function formatMoney(minor, currency, missing = '') {
  if (typeof minor !== 'number' || !Number.isFinite(minor)) return missing;
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

// 123456 USD → "$1.2K": for chart axes, where space is short.
export function formatMoneyShort(minor, currency) {
  return formatter(currency, true).format(minor / 10 ** digits(currency));
}
