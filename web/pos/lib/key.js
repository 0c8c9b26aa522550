// The staff pages (till, dashboard) take their key from `?key=` once, keep
// it in this browser's localStorage and drop it from the address bar, so a
// bookmark or a screen share never shows it. Without a key they ask for one.

/**
 * The key for this page: from the address (then stored), else the stored one.
 * @param {string} storageName localStorage entry, one per page
 * @returns {string | null}
 */
export function keyFromPage(storageName) {
  const url = new URL(location.href);
  const given = url.searchParams.get('key');
  if (given) {
    storeKey(storageName, given);
    url.searchParams.delete('key');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return given.trim();
  }
  try { return localStorage.getItem(storageName); } catch { return null; }
}

export function storeKey(storageName, key) {
  try { localStorage.setItem(storageName, key.trim()); } catch { /* private mode: keep it for this visit only */ }
}

export function forgetKey(storageName) {
  try { localStorage.removeItem(storageName); } catch { /* nothing stored */ }
}

/**
 * Shows the key dialog (a <dialog> holding a form with one input) and
 * resolves with what was entered. `reason` explains why it is asked.
 * @param {HTMLDialogElement} dialog
 * @param {{storageName: string, reason?: string}} opts
 * @returns {Promise<string>}
 */
export function askForKey(dialog, { storageName, reason = '' }) {
  const form = dialog.querySelector('form');
  const input = dialog.querySelector('input');
  const why = dialog.querySelector('[data-role="reason"]');
  if (why) {
    why.textContent = reason;
    why.hidden = !reason;
  }
  input.value = '';
  return new Promise((resolve) => {
    const onSubmit = (ev) => {
      ev.preventDefault();
      const key = input.value.trim();
      if (!key) { input.focus(); return; }
      form.removeEventListener('submit', onSubmit);
      storeKey(storageName, key);
      dialog.close();
      resolve(key);
    };
    form.addEventListener('submit', onSubmit);
    // Escape would leave the page without a key: keep the dialog open.
    dialog.addEventListener('cancel', (ev) => ev.preventDefault(), { once: true });
    dialog.showModal();
    input.focus();
  });
}

/**
 * A short, stable name for a key, to keep each key's local data apart
 * (FNV-1a: a label, not a secret; works on plain-http origins too).
 */
export function keyTag(key) {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    a = Math.imul(a ^ key.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ key.charCodeAt(key.length - 1 - i), 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
