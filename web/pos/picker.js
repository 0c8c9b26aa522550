// Choosing a variant (size, colour, …) of a product with several: a dialog
// with one button per variant, showing its price and stock.

import { formatMoney } from '/assets/common/money.js';
import { lineTitle, sellable, variantPrice } from './catalog.js';

/**
 * Opens the dialog; resolves with the chosen variant, or null if closed.
 * @param {HTMLDialogElement} dialog
 * @param {object} product
 * @param {(variantId: string) => number} held
 */
export function pickVariant(dialog, product, held) {
  const title = dialog.querySelector('[data-role="title"]');
  const list = dialog.querySelector('[data-role="variants"]');
  title.textContent = product.title;
  list.replaceChildren();
  return new Promise((resolve) => {
    let chosen = null;
    for (const v of product.variants ?? []) {
      const left = sellable(product, v) - held(v.id);
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'variant';
      b.dataset.variantId = v.id;
      b.disabled = left <= 0;
      const name = Object.values(v.options ?? {}).join(' / ') || lineTitle(product, v);
      const stock = left === Infinity ? '' : left <= 0 ? 'Sold out' : `${left} in stock`;
      b.innerHTML = '<span class="v-name"></span><span class="v-price"></span><span class="v-stock"></span>';
      b.querySelector('.v-name').textContent = name;
      b.querySelector('.v-price').textContent = formatMoney(variantPrice(product, v), product.currency);
      b.querySelector('.v-stock').textContent = stock;
      b.addEventListener('click', () => { chosen = v; dialog.close(); });
      li.append(b);
      list.append(li);
    }
    dialog.addEventListener('close', () => resolve(chosen), { once: true });
    dialog.showModal();
    list.querySelector('button:not([disabled])')?.focus();
  });
}
