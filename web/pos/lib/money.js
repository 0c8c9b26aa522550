// Money arrives in minor units (cents) with an ISO currency code; shown in
// the browser's locale, with as many decimals as the currency has.

const formatters = new Map();

function formatterFor(currency) {
  const code = /^[A-Z]{3}$/.test(currency ?? '') ? currency : 'USD';
  let f = formatters.get(code);
  if (!f) {
    f = new Intl.NumberFormat(undefined, { style: 'currency', currency: code });
    formatters.set(code, f);
  }
  return f;
}

/** `formatMoney(4950, 'USD')` → "$49.50" (in an en-US browser). */
export function formatMoney(minor, currency) {
  if (typeof minor !== 'number' || !Number.isFinite(minor)) return '—';
  const f = formatterFor(currency);
  const digits = f.resolvedOptions().maximumFractionDigits;
  return f.format(minor / 10 ** digits);
}
