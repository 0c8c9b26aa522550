// One product being edited: the server's version (base), the user's unsaved
// changes (pending), the save in flight, and a queue so every write to the
// product runs in order with the right If-Match.
//
// Edits show at once (optimistic); a save that is refused rolls them back;
// a 412 hands both versions to the conflict view; a lost connection keeps
// the edits and retries.

export class EditSession {
  constructor({ rest, product, delay = 600, onEvent }) {
    this.rest = rest;
    this.id = product.id;
    this.base = product;
    this.pending = {};
    this.inflight = null;
    this.theirs = null; // a newer version from someone else, while we have edits
    this.delay = delay;
    this.onEvent = onEvent;
    this.timer = null;
    this.queue = Promise.resolve();
    this.closed = false;
  }

  draft() { return { ...this.base, ...(this.inflight || {}), ...this.pending }; }
  dirty() { return !!this.inflight || Object.keys(this.pending).length > 0; }
  emit(type, detail) { if (!this.closed) this.onEvent?.(type, detail); }

  edit(field, value) {
    this.pending[field] = value;
    this.emit('draft');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), this.delay);
  }

  // Saves now whatever is pending.
  flush() { clearTimeout(this.timer); return this.save(); }

  // Runs one write to this product after the ones before it.
  run(op) {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => {});
    return next;
  }

  // A record from one of our own writes.
  adopt(record) {
    if (record && record.version >= this.base.version) this.base = record;
    if (this.theirs && this.theirs.version <= this.base.version) this.theirs = null;
  }

  save() {
    return this.run(async () => {
      if (this.closed || this.inflight || !Object.keys(this.pending).length) return;
      this.inflight = this.pending;
      this.pending = {};
      this.emit('saving');
      const patch = this.inflight;
      try {
        const rec = await this.rest.patch('products', this.id, patch, { ifMatch: this.base.version });
        this.inflight = null;
        this.adopt(rec);
        this.emit('saved', rec);
        // Someone saved after us while our save was on its way: show theirs.
        if (this.theirs && !this.dirty()) {
          this.base = this.theirs;
          this.theirs = null;
          this.emit('remote', this.base);
        }
      } catch (e) {
        this.inflight = null;
        if (e.code === 'version_mismatch' && e.current) {
          const mine = { ...patch, ...this.pending };
          this.pending = {};
          this.emit('conflict', { mine, theirs: e.current, base: this.base });
        } else if (e.status === 0) {
          this.pending = { ...patch, ...this.pending };
          this.emit('offline', e);
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.save(), 3000);
        } else {
          this.emit('rolledback', { error: e, patch });
        }
      }
    });
  }

  // The user chose, field by field, in the conflict view: the fields kept
  // as "mine" are saved on top of their version.
  resolve(theirs, keepMine) {
    this.base = theirs;
    this.theirs = null;
    this.pending = keepMine;
    this.emit('resolved');
    return this.flush();
  }

  // A change from the live feed.
  remote(record, origin, clientId) {
    if (!record || record.version <= this.base.version) return;
    if (origin && origin === clientId) return; // our own write; its answer brings it
    if (!this.dirty()) {
      this.base = record;
      this.emit('remote', record);
    } else {
      this.theirs = record;
      this.emit('stale', record);
    }
  }

  close() {
    clearTimeout(this.timer);
    this.closed = true;
  }
}
