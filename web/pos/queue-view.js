// Sales not yet recorded: queued ones (waiting for the server) and failed
// ones (refused: the cashier sees which items and why, and can put them
// back in the cart or dismiss the notice).

import { formatMoney } from '/assets/common/money.js';
import { formatWhen } from '/assets/common/time.js';

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

const itemsText = (sale) => {
  const n = sale.lines.reduce((a, l) => a + l.qty, 0);
  return `${n} item${n === 1 ? '' : 's'}`;
};

/**
 * @param {{queued: HTMLElement, failed: HTMLElement}} els
 * @param {import('./queue.js').QueuedSale[]} sales
 * @param {{onRestore: (sale) => void, onDismiss: (sale) => void, connection: string}} actions
 */
export function renderQueue(els, sales, { onRestore, onDismiss, connection }) {
  const queued = sales.filter((s) => s.state === 'queued');
  const failed = sales.filter((s) => s.state === 'failed');

  els.queued.hidden = queued.length === 0;
  els.queued.dataset.count = String(queued.length);
  if (queued.length) {
    const head = el('h3', null, `${queued.length} sale${queued.length === 1 ? '' : 's'} waiting to send`);
    const why = el('p', 'hint', connection === 'online'
      ? 'Sending…'
      : 'Saved on this till. They are sent by themselves when the connection is back.');
    const list = el('ul');
    for (const s of queued) {
      const li = el('li', 'queued-sale', `${formatWhen(s.rung_at)} · ${itemsText(s)} · ${formatMoney(s.total, s.currency)}`);
      li.dataset.key = s.key;
      list.append(li);
    }
    els.queued.replaceChildren(head, why, list);
  } else {
    els.queued.replaceChildren();
  }

  els.failed.replaceChildren(...failed.map((s) => {
    const box = el('div', 'failed-sale');
    box.setAttribute('role', 'alert');
    box.dataset.key = s.key;
    box.append(
      el('strong', null, s.failure?.title ?? 'Sale not recorded'),
      el('p', 'hint', `Rung up ${formatWhen(s.rung_at)} · ${itemsText(s)} · ${formatMoney(s.total, s.currency)}`),
    );
    const list = el('ul', 'problems');
    for (const p of s.failure?.problems ?? []) list.append(el('li', null, p));
    const actions = el('div', 'actions');
    const back = el('button', 'secondary', 'Back to cart');
    back.type = 'button';
    back.addEventListener('click', () => onRestore(s));
    const dismiss = el('button', 'ghost', 'Dismiss');
    dismiss.type = 'button';
    dismiss.addEventListener('click', () => onDismiss(s));
    actions.append(back, dismiss);
    box.append(list, actions);
    return box;
  }));
}
