// Keeps a <ul> in step with a list of records: an element per record id,
// rebuilt only when the record's version changed, reordered in place. Rows
// for records that just arrived live get the class `fresh` for a moment.
// Used by the dashboard and the portal.

export class KeyedList {
  /**
   * @param {HTMLElement} list
   * @param {(record: object) => HTMLLIElement} build
   * @param {{versionOf?: (record: object) => unknown}} [opts] what a row is rebuilt on
   *   (default the record's version; a row that also shows time, e.g. "overdue", adds it)
   */
  constructor(list, build, { versionOf = (r) => r.version } = {}) {
    this.list = list;
    this.build = build;
    this.versionOf = versionOf;
    /** @type {Map<string, {li: HTMLLIElement, version: unknown}>} */
    this.rows = new Map();
  }

  /** The next render rebuilds every row (what they show depends on more than the record). */
  invalidate() {
    for (const row of this.rows.values()) row.version = undefined;
  }

  /** @param {object[]} records in display order @param {Set<string>} fresh ids that arrived live */
  render(records, fresh) {
    const keep = new Set();
    records.forEach((r, i) => {
      keep.add(r.id);
      let row = this.rows.get(r.id);
      const version = this.versionOf(r);
      if (!row || row.version !== version) {
        const li = this.build(r);
        li.dataset.id = r.id;
        if (row) row.li.replaceWith(li);
        else if (fresh.has(r.id)) {
          li.classList.add('fresh');
          setTimeout(() => li.classList.remove('fresh'), 4000);
        }
        row = { li, version };
        this.rows.set(r.id, row);
      }
      const at = this.list.children[i] ?? null;
      if (at !== row.li) this.list.insertBefore(row.li, at);
    });
    for (const [id, row] of this.rows) {
      if (!keep.has(id)) { row.li.remove(); this.rows.delete(id); }
    }
  }
}
