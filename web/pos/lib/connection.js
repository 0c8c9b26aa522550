// One connection state for a page, from its live feeds: `connecting` (not
// live yet), `online` (every feed live), `reconnecting` (lost, trying again
// for a moment) and `offline` (lost for longer than `graceMs`, or the
// browser says it has no network). Listeners get the new state on change.

export class ConnectionMonitor {
  /**
   * @param {{on: Function, status: string}[]} feeds the page's live feeds
   * @param {{graceMs?: number}} [opts]
   */
  constructor(feeds, { graceMs = 2000 } = {}) {
    this.feeds = feeds;
    this.graceMs = graceMs;
    this.state = 'connecting';
    this.wasOnline = false;
    this.downSince = null;
    this.timer = null;
    this.listeners = new Set();
    for (const f of feeds) f.on('status', () => this.update());
    addEventListener('online', () => this.update());
    addEventListener('offline', () => this.update());
    this.update();
  }

  on(fn) {
    this.listeners.add(fn);
    fn(this.state);
    return () => this.listeners.delete(fn);
  }

  update() {
    const live = this.feeds.length > 0 && this.feeds.every((f) => f.status === 'live');
    let next;
    if (live) {
      next = 'online';
      this.wasOnline = true;
      this.downSince = null;
    } else {
      this.downSince ??= Date.now();
      const waited = Date.now() - this.downSince;
      if (navigator.onLine === false || waited >= this.graceMs) next = 'offline';
      else next = this.wasOnline ? 'reconnecting' : 'connecting';
      clearTimeout(this.timer);
      if (next !== 'offline') this.timer = setTimeout(() => this.update(), this.graceMs - waited + 10);
    }
    if (next === this.state) return;
    this.state = next;
    for (const fn of [...this.listeners]) fn(next);
  }
}

const LABELS = {
  connecting: 'Connecting…',
  online: 'Online',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** Shows a state in a status element (text plus `data-state` for styling and tests). */
export function showConnection(el, state, detail = '') {
  el.dataset.state = state;
  el.textContent = LABELS[state] + (detail ? ` · ${detail}` : '');
}
