// Sends queued sales, oldest first, one at a time, each with the key it was
// rung up with. An unreachable server (or a 5xx) leaves the sale queued and
// tries again later; a refusal (409: sold out or repriced meanwhile) marks
// it failed with the reasons per item, for the cashier to see.

import { explainRefusal } from './refusal.js';

const RETRY_MS = 2000;

/** Answers that say "try again later" rather than "no". */
const transient = (e) => e.status === 0 || e.status === 408 || e.status === 429 || e.status >= 500;

export class Sender {
  /**
   * @param {{rest: object, queue: import('./queue.js').SaleQueue,
   *   onSold: (sale: object, order: object) => void,
   *   onFailed: (sale: object) => void,
   *   onUnreachable: () => void,
   *   onUnauthorized: (e: Error) => void}} opts
   */
  constructor(opts) {
    Object.assign(this, opts);
    this.running = null;
    this.again = false;
    this.timer = null;
  }

  /** Sends whatever is queued; resolves when the queue is empty or the server out of reach. */
  drain() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    clearTimeout(this.timer);
    this.running = this.#run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.drain();
      }
    });
    return this.running;
  }

  async #run() {
    // One tab at a time sends this till's queue (a second tab waits).
    if (navigator.locks) return navigator.locks.request(`shelfsync-pos-send:${this.queue.dbName}`, () => this.#send());
    return this.#send();
  }

  async #send() {
    for (;;) {
      const sale = this.queue.queued()[0];
      if (!sale) return;
      let order;
      try {
        order = await this.rest.placeOrder({ items: sale.items, channel: 'pos' }, { idempotencyKey: sale.key });
      } catch (e) {
        if (transient(e)) {
          await this.queue.put({ ...sale, attempts: sale.attempts + 1 });
          this.onUnreachable();
          this.retryLater();
          return;
        }
        if (e.status === 401) {
          this.onUnauthorized(e);
          return;
        }
        const failed = { ...sale, state: 'failed', attempts: sale.attempts + 1, failure: explainRefusal(sale, e) };
        await this.queue.put(failed);
        this.onFailed(failed);
        continue;
      }
      await this.queue.remove(sale.key);
      this.onSold(sale, order);
    }
  }

  retryLater() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.drain(), RETRY_MS);
  }
}
