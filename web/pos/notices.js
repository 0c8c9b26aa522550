// Short messages for the cashier (sale recorded, not enough stock, …) in a
// live region, each fading after a while.

export class Notices {
  /** @param {HTMLElement} region an element with aria-live */
  constructor(region) { this.region = region; }

  /** @param {string} text @param {'ok' | 'warn' | 'info'} [kind] */
  show(text, kind = 'info', ms = 5000) {
    const p = document.createElement('p');
    p.className = `notice ${kind}`;
    p.textContent = text;
    this.region.prepend(p);
    while (this.region.children.length > 3) this.region.lastElementChild.remove();
    setTimeout(() => p.remove(), ms);
  }
}
