// Short messages for the cashier (sale recorded, not enough stock, …) in a
// live region, each fading after a while.

export class Notices {
  /** @param {HTMLElement} region an element with aria-live */
  constructor(region) { this.region = region; }

  /**
   * @param {string} text @param {'ok' | 'warn' | 'info'} [kind]
   * @param {number} [ms] @param {string} [slot] a later notice with the same slot replaces this one
   */
  show(text, kind = 'info', ms = 5000, slot = '') {
    if (slot) this.region.querySelector(`[data-slot="${slot}"]`)?.remove();
    // The same words twice in a row (two sales queued offline) say nothing new.
    for (const same of this.region.querySelectorAll('.notice')) if (same.textContent === text) same.remove();
    const p = document.createElement('p');
    if (slot) p.dataset.slot = slot;
    p.className = `notice ${kind}`;
    p.textContent = text;
    this.region.prepend(p);
    while (this.region.children.length > 3) this.region.lastElementChild.remove();
    setTimeout(() => p.remove(), ms);
  }
}
