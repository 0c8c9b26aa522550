// "Mark paid": records a payment on a bill — the amount (what is open, unless
// changed: a part payment is fine), the method and an optional reference.
// One Idempotency-Key per dialog, so a double click or a retry after a lost
// answer pays once; the bill's version goes as If-Match, so a payment taken
// elsewhere meanwhile is shown (with what is open now) instead of paid twice.

import { h } from '/assets/common/dom.js';
import { formatMoney, moneyInput, parseMoney } from '/assets/common/money.js';
import { randomKey } from '/assets/common/client.js';
import { toast } from '/assets/common/toast.js';
import { openAmount } from './bills-view.js';

const METHODS = [['card', 'Card'], ['cash', 'Cash'], ['transfer', 'Bank transfer'], ['other', 'Other']];

/**
 * @param {import('/assets/client/index.js').RestClient} rest
 * @param {object} bill as the dashboard shows it
 * @param {string | undefined} currency
 * @param {string} who the customer's name
 */
export async function payDialog(rest, bill, currency, who) {
  const key = await randomKey();
  let seen = bill;
  const amount = h('input', { id: 'pay-amount', name: 'amount', inputmode: 'decimal', autocomplete: 'off', required: true,
    value: moneyInput(openAmount(bill), currency) });
  const method = h('select', { id: 'pay-method', name: 'method' },
    METHODS.map(([v, label]) => h('option', { value: v }, label)));
  const reference = h('input', { id: 'pay-reference', name: 'reference', maxlength: '200', autocomplete: 'off' });
  const message = h('p.warn.pay-message', { role: 'alert', hidden: true });
  const open = h('p.hint');
  const showOpen = () => {
    open.textContent = `Open: ${formatMoney(openAmount(seen), currency)} of ${formatMoney(seen.amount, currency)}`;
  };
  showOpen();
  const submit = h('button.btn.primary', { type: 'submit' }, 'Record payment');
  const close = () => { dialog.close(); dialog.remove(); };
  const refuse = (text) => { message.textContent = text; message.hidden = false; };

  const form = h('form.pay-form', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      const minor = parseMoney(amount.value, currency);
      if (!Number.isInteger(minor) || minor <= 0) { refuse('Enter the amount received.'); return; }
      submit.disabled = true;
      message.hidden = true;
      const payment = { amount: minor, method: method.value };
      if (reference.value.trim()) payment.reference = reference.value.trim();
      try {
        const paid = await rest.payBill(seen.id, payment, { idempotencyKey: key, ifMatch: seen.version });
        close();
        toast(`Bill #${paid.number}: ${formatMoney(minor, currency)} received`
          + (paid.status === 'paid' ? ', paid in full' : ''));
      } catch (e) {
        if (e.status === 412 && e.current) {
          seen = e.current;
          showOpen();
          amount.value = moneyInput(openAmount(seen), currency);
          refuse('A payment was recorded elsewhere meanwhile. Check the amount and record again.');
        } else if (e.code === 'overpayment') {
          refuse(`That is more than is open (${formatMoney(e.problem.open_amount ?? openAmount(seen), currency)}).`);
        } else {
          refuse(e.problem?.detail ?? e.message);
        }
        submit.disabled = false;
      }
    },
  },
  h('h2', { id: 'pay-title' }, `Bill #${bill.number} · ${who}`),
  open,
  h('label', { for: 'pay-amount' }, 'Amount received'), amount,
  h('label', { for: 'pay-method' }, 'Method'), method,
  h('label', { for: 'pay-reference' }, 'Reference (optional)'), reference,
  message,
  h('div.dialog-actions', h('button.btn', { type: 'button', onclick: close }, 'Cancel'), submit));
  const dialog = h('dialog.pay-dialog', { 'aria-labelledby': 'pay-title', dataset: { billId: bill.id } }, form);
  dialog.addEventListener('cancel', (ev) => { ev.preventDefault(); close(); });
  document.body.append(dialog);
  dialog.showModal();
  amount.focus();
  amount.select();
}
