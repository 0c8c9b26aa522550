// Confirm, fulfill or cancel an order from the dashboard. Each action is sent
// with the version the row shows (If-Match): when someone else changed the
// order meanwhile the server answers 412 with the order as it is now, and
// the conflict view shows what changed — status and who moved it when —
// and lets the user apply the action to the current order (when it is still
// allowed) or leave it as it is. Nothing is applied blindly.

import { h } from '/assets/common/dom.js';
import { toast } from '/assets/common/toast.js';

const VERB = { confirm: 'Confirm', fulfill: 'Fulfill', cancel: 'Cancel' };
const ALLOWED_FROM = { confirm: ['placed'], fulfill: ['confirmed'], cancel: ['placed', 'confirmed'] };
const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function lastMove(order) {
  const last = order.status_history?.at(-1);
  if (!last) return '';
  const at = last.at ? when.format(new Date(last.at)) : '';
  return [at, last.actor ? `by ${last.actor}` : ''].filter(Boolean).join(' ');
}

/**
 * Shows what changed between the order the user saw and the current one.
 * Resolves true to apply `action` to the current order, false to leave it.
 */
export function orderConflictDialog(seen, current, action) {
  return new Promise((resolve) => {
    const allowed = ALLOWED_FROM[action].includes(current.status);
    const row = (label, mine, theirs) => h('tr', h('th', { scope: 'row' }, label),
      h('td', { dataset: { which: 'seen' } }, mine), h('td', { dataset: { which: 'current' } }, theirs));
    const done = (apply) => { dialog.close(); dialog.remove(); resolve(apply); };
    const keep = h('button.btn', { type: 'button', dataset: { choice: 'keep' }, onclick: () => done(false) },
      'Leave it as it is');
    const apply = allowed
      ? h('button.btn.primary', { type: 'button', dataset: { choice: 'apply' }, onclick: () => done(true) },
        `${VERB[action]} it now`)
      : null;
    const dialog = h('dialog.order-conflict', { 'aria-labelledby': 'oc-title', dataset: { orderId: current.id } },
      h('h2', { id: 'oc-title' }, `Order #${current.number} changed while you were looking`),
      h('table.oc-table',
        h('thead', h('tr', h('td'), h('th', { scope: 'col' }, 'You saw'), h('th', { scope: 'col' }, 'Now'))),
        h('tbody',
          row('Status', seen.status, current.status),
          row('Last change', lastMove(seen), lastMove(current)),
          row('Version', String(seen.version), String(current.version)))),
      h('p.hint', allowed
        ? `You asked to ${action} it. It can still be done on the order as it is now.`
        : `You asked to ${action} it, which a ${current.status} order no longer allows.`),
      h('div.dialog-actions', keep, apply));
    dialog.addEventListener('cancel', (ev) => { ev.preventDefault(); done(false); });
    document.body.append(dialog);
    dialog.showModal();
    (apply ?? keep).focus();
  });
}

/**
 * Runs `action` on `order` with the REST client; resolves once it is done,
 * refused or left alone (the live feed brings the new state to the row).
 * @param {import('/assets/client/index.js').RestClient} rest
 */
export async function runOrderAction(rest, order, action) {
  const send = (o) => rest[`${action}Order`](o.id, { ifMatch: o.version });
  try {
    await send(order);
  } catch (e) {
    if (e.status === 412 && e.current) {
      if (!(await orderConflictDialog(order, e.current, action))) return;
      try {
        await send(e.current);
      } catch (again) {
        toast(again.problem?.detail ?? again.message, { error: true });
      }
      return;
    }
    toast(e.problem?.detail ?? e.message, { error: true });
  }
}
