// Connection status on the pages. The staff pages (till, dashboard) keep one
// connection state from their live feeds (ConnectionMonitor, shown in their
// bar); the admin and the shop show their product feed's status in a pill.
//
// ConnectionMonitor's states: `connecting` (not live yet), `online` (every
// feed live), `reconnecting` (lost, trying again for a moment) and `offline`
// (lost for longer than `graceMs`, or the browser says it has no network).
// Listeners get the new state on change.

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

// A short label for a feed's status, for the pill.
export function statusLabel(s) {
  switch (s) {
    case 'live': return 'Live';
    case 'snapshot': case 'connecting': return 'Connecting…';
    case 'reconnecting': return 'Offline — reconnecting…';
    case 'closed': return 'Disconnected';
    default: return String(s || '');
  }
}

/** Shows a feed status in a `.pill` element (green when live, red when down). */
export function showFeedStatus(pill, s) {
  pill.textContent = statusLabel(s);
  pill.className = `pill ${s === 'live' ? 'live' : s === 'reconnecting' || s === 'error' ? 'down' : ''}`;
}

/** A new status pill, saying `connecting` until the feed reports. */
export function feedPill() {
  const pill = document.createElement('span');
  pill.setAttribute('role', 'status');
  pill.setAttribute('aria-live', 'polite');
  showFeedStatus(pill, 'connecting');
  return pill;
}
