// A page's token: `?key=` wins (and is remembered, then removed from the
// address bar); else the one kept in localStorage; else, for pages that may
// ask, a small form asks for it.

import { h, mount } from './dom.js';

const storageKey = (page) => `shelfsync.key.${page}`;

export function forgetKey(page) {
  try { localStorage.removeItem(storageKey(page)); } catch { /* private mode */ }
}

export function pageKey(page, { ask = true, root = document.getElementById('app') || document.body, remember = true } = {}) {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('key');
  if (fromUrl) {
    if (remember) {
      try { localStorage.setItem(storageKey(page), fromUrl); } catch { /* private mode */ }
      url.searchParams.delete('key');
      history.replaceState(null, '', url.pathname + url.search + url.hash);
    }
    return Promise.resolve(fromUrl);
  }
  let stored = null;
  try { stored = localStorage.getItem(storageKey(page)); } catch { /* private mode */ }
  if (stored) return Promise.resolve(stored);
  if (!ask) return Promise.resolve(null);
  return new Promise((resolve) => {
    const input = h('input', { id: 'key-input', type: 'password', autocomplete: 'off', required: true,
      'aria-describedby': 'key-help' });
    const form = h('form.key-form.card', {
      onsubmit: (e) => {
        e.preventDefault();
        const k = input.value.trim();
        if (!k) return;
        try { localStorage.setItem(storageKey(page), k); } catch { /* private mode */ }
        resolve(k);
      },
    },
    h('h1', 'Sign in'),
    h('label', { for: 'key-input' }, 'Access key'),
    input,
    h('p.muted', { id: 'key-help' }, 'Paste the key your shop gave you. It is kept in this browser.'),
    h('button.btn.primary', { type: 'submit' }, 'Continue'));
    mount(root, h('main.center', form));
    input.focus();
  });
}
