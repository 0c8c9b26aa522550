// The portal's key: a customer's token from `?key=` or kept in this browser,
// else asked for with the sign-in form. Before the page opens the server
// says whether it takes the key: a refused key (401, 403: e.g. a shop's
// public key, which reads no customers) is forgotten and asked for again,
// saying why; so is a staff or admin key, which reads every customer where
// a customer reads exactly its own record. Without a network the kept key
// is used as it is.

import { forgetKey, pageKey } from '/assets/common/key.js';

const WHY = {
  refused: 'That key was not accepted. Check it and try again.',
  notCustomer: 'That key is not a customer key. Use the portal link your shop sent you.',
};

async function verdict(key) {
  try {
    const headers = { Authorization: `Bearer ${key}` };
    const r = await fetch('/api/customers?limit=2', { headers });
    if (r.status === 401) return 'refused';
    if (r.status === 403) return 'notCustomer';
    if (!r.ok) return 'ok'; // busy or failing: the live feeds retry and say so
    const body = await r.json();
    return body.data?.length === 1 ? 'ok' : 'notCustomer';
  } catch {
    return 'ok'; // offline: work from what the browser kept
  }
}

/**
 * Resolves with a key the server takes for a customer's.
 * @param {string} storageName localStorage entry keeping the key
 * @param {HTMLElement} root where the sign-in form is shown
 */
export async function customerKey(storageName, root) {
  let reason = '';
  for (;;) {
    const key = await pageKey(storageName, { root, reason });
    const v = await verdict(key);
    if (v === 'ok') return key;
    forgetKey(storageName);
    reason = WHY[v];
  }
}
