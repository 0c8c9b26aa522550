// The portal's notices: a banner per piece of news ("Order #12 is now
// confirmed", "Bill #4 is now paid") at the top of the page, newest first,
// in a live region so screen readers read it out. Each stays until closed
// or for a minute, at most four at once. Tests wait for
// `.notice[data-order-id][data-status]` and `.notice[data-bill-id][data-status]`.

import { h } from '/assets/common/dom.js';
import { icon } from '/assets/common/icons.js';

const SHOWN = 4;
const STAY_MS = 60000;

export class Notices {
  /** @param {HTMLElement} region an element with aria-live */
  constructor(region) { this.region = region; }

  /**
   * @param {{kind: 'order' | 'bill', id: string, number: number, status: string,
   *   text: string, tone: string}} news
   */
  show(news) {
    const idAttr = { [`data-${news.kind}-id`]: news.id };
    const close = () => note.remove();
    const attrs = { ...idAttr, 'data-kind': news.kind, 'data-status': news.status };
    const note = h(`div.notice.${news.tone}`, attrs,
      h('span.notice-text', news.text),
      h('button.icon-btn.notice-close', { type: 'button', 'aria-label': 'Dismiss', onclick: close },
        icon('close')));
    this.region.prepend(note);
    while (this.region.children.length > SHOWN) this.region.lastElementChild.remove();
    setTimeout(close, STAY_MS);
  }
}
