// A page's key (its access token): `?key=` (remembered in this browser's
// localStorage, then dropped from the address bar so a bookmark or a screen
// share never shows it); else the remembered one; else the page asks for
// one: the staff pages (till, dashboard) with their key <dialog>, the admin
// with a sign-in form. Each page keeps its key under its own localStorage
// entry (`storageName`). A link never silently replaces a key the page
// already keeps: a crafted link could make a till ring sales into another
// shop, so the page asks first (confirmSwitch).

import { h, mount } from './dom.js';

/**
 * The key for this page: from the address (then stored; when another key is
 * stored, only if the user agrees to switch), else the stored one.
 * @param {string} storageName localStorage entry, one per page
 * @param {{remember?: boolean}} [opts] remember: false leaves `?key=` in the address and stores nothing
 * @returns {Promise<string | null>}
 */
export async function keyFromPage(storageName, { remember = true } = {}) {
  const url = new URL(location.href);
  const given = url.searchParams.get('key')?.trim();
  let stored = null;
  try { stored = localStorage.getItem(storageName); } catch { /* no storage */ }
  if (!given) return stored;
  if (!remember) return given;
  url.searchParams.delete('key');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  if (stored && stored !== given && !(await confirmSwitch())) return stored;
  storeKey(storageName, given);
  return given;
}

/**
 * Asks whether to switch this page to the key a link brought, in a modal
 * <dialog class="key-switch">; resolves true for "switch", false for "keep"
 * (also on Escape: keeping changes nothing).
 * @returns {Promise<boolean>}
 */
export function confirmSwitch() {
  return new Promise((resolve) => {
    const done = (choice) => { dialog.close(); dialog.remove(); resolve(choice); };
    const keep = h('button.btn.primary', { type: 'button', dataset: { choice: 'keep' }, onclick: () => done(false) },
      'Keep the current key');
    const dialog = h('dialog.key-switch', { 'aria-labelledby': 'key-switch-title', 'aria-describedby': 'key-switch-text' },
      h('div.dialog-body',
        h('h2', { id: 'key-switch-title' }, 'Switch to another key?'),
        h('p', { id: 'key-switch-text' }, 'The link you opened wants to switch this page to another key — '
          + 'possibly another shop. Sales, orders and edits made here would then go to that shop. '
          + 'Keep the key this page already uses unless you expected this link.')),
      h('div.dialog-actions',
        h('button.btn', { type: 'button', dataset: { choice: 'switch' }, onclick: () => done(true) }, "Switch to the link's key"),
        keep));
    dialog.addEventListener('cancel', (ev) => { ev.preventDefault(); done(false); });
    document.body.append(dialog);
    dialog.showModal();
    keep.focus();
  });
}

export function storeKey(storageName, key) {
  try { localStorage.setItem(storageName, key.trim()); } catch { /* private mode: keep it for this visit only */ }
}

export function forgetKey(storageName) {
  try { localStorage.removeItem(storageName); } catch { /* nothing stored */ }
}

/**
 * The admin, the shop and the portal: the page's key, else (when `ask`) a
 * sign-in form mounted in `root` that resolves with the key entered; null
 * when not asking. `reason` says why a key is asked again (one refused).
 * @returns {Promise<string | null>}
 */
export async function pageKey(storageName, { ask = true, root = document.getElementById('app') || document.body, remember = true,
  reason = '' } = {}) {
  const known = await keyFromPage(storageName, { remember });
  if (known || !ask) return known || null;
  return new Promise((resolve) => {
    const input = h('input', { id: 'key-input', type: 'password', autocomplete: 'off', required: true,
      'aria-describedby': 'key-help' });
    const form = h('form.key-form.card', {
      onsubmit: (e) => {
        e.preventDefault();
        const k = input.value.trim();
        if (!k) return;
        storeKey(storageName, k);
        resolve(k);
      },
    },
    h('h1', 'Sign in'),
    reason ? h('p.field-error', { role: 'alert', dataset: { role: 'reason' } }, reason) : null,
    h('label', { for: 'key-input' }, 'Access key'),
    input,
    h('p.muted', { id: 'key-help' }, 'Paste the key your shop gave you. It is kept in this browser.'),
    h('button.btn.primary', { type: 'submit' }, 'Continue'));
    mount(root, h('main.center', form));
    input.focus();
  });
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
 * The staff pages: asks (in `dialog`) until the server accepts a key, or
 * cannot be reached (then the stored key is used, to work from what is
 * stored). Alerts are readable by staff and admin keys, not by shop (public)
 * or customer keys, so they are the probe; `refused` says why a key that
 * may not open this page was turned down.
 * @param {HTMLDialogElement} dialog
 * @param {{storageName: string, refused: string}} opts
 * @returns {Promise<string>}
 */
export async function staffKey(dialog, { storageName, refused }) {
  let key = await keyFromPage(storageName);
  let reason = '';
  for (;;) {
    if (!key) key = await askForKey(dialog, { storageName, reason });
    try {
      const r = await fetch('/api/alerts?limit=1', { headers: { Authorization: `Bearer ${key}` } });
      if (r.status !== 401 && r.status !== 403) return key;
      reason = r.status === 401 ? 'That key was not accepted. Check it and try again.' : refused;
    } catch {
      return key; // offline: work from what is stored, with the stored key
    }
    forgetKey(storageName);
    key = null;
  }
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
