// Keeps a <ul> in step with a list of records: an element per record id,
// rebuilt only when the record's version changed, reordered in place. Rows
// for records that just arrived live get the class `fresh` for a moment.

export class KeyedList {
  /**
   * @param {HTMLElement} list
   * @param {(record: object) => HTMLLIElement} build
   */
  constructor(list, build) {
    this.list = list;
    this.build = build;
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
      if (!row || row.version !== r.version) {
        const li = this.build(r);
        li.dataset.id = r.id;
        if (row) row.li.replaceWith(li);
        else if (fresh.has(r.id)) {
          li.classList.add('fresh');
          setTimeout(() => li.classList.remove('fresh'), 4000);
        }
        row = { li, version: r.version };
        this.rows.set(r.id, row);
      }
      if (this.list.children[i] !== row.li) this.list.insertBefore(row.li, this.list.children[i] ?? null);
    });
    for (const [id, row] of this.rows) {
      if (!keep.has(id)) { row.li.remove(); this.rows.delete(id); }
    }
  }
}
