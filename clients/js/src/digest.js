// The sync digest, computed the way the server does (GET /api/sync/digest):
// each visible record adds the two 32-bit MurmurHash3 (x86_32) lanes of the
// line `<entity>/<id>:<version>` (seeds 0 and 0x9747b28c), summed mod 2^32;
// the hash is both sums as 16 hex digits, with the record count beside it.
// Sums do not depend on order, so the server keeps them up to date as it
// writes and reads a digest in constant time. Ids and entity names are
// ASCII, so both sides hash the same bytes.

const SEED_B = 0x9747b28c;

/** MurmurHash3 x86_32 of an ASCII string. */
export function murmur3(s, seed) {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = s.length >> 2;
  for (let i = 0; i < blocks; i++) {
    const at = i * 4;
    let k = (s.charCodeAt(at) & 0xff) | ((s.charCodeAt(at + 1) & 0xff) << 8)
      | ((s.charCodeAt(at + 2) & 0xff) << 16) | ((s.charCodeAt(at + 3) & 0xff) << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = blocks * 4;
  switch (s.length & 3) {
    case 3: k ^= (s.charCodeAt(tail + 2) & 0xff) << 16; // falls through
    case 2: k ^= (s.charCodeAt(tail + 1) & 0xff) << 8; // falls through
    case 1:
      k ^= s.charCodeAt(tail) & 0xff;
      k = Math.imul(k, c1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, c2);
      h ^= k;
      break;
    default: break;
  }
  h ^= s.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const hex8 = (n) => n.toString(16).padStart(8, '0');

class Sum {
  constructor() { this.count = 0; this.a = 0; this.b = 0; }

  add(entity, r) {
    const line = `${entity}/${r.id}:${r.version}`;
    this.count += 1;
    this.a = (this.a + murmur3(line, 0)) >>> 0;
    this.b = (this.b + murmur3(line, SEED_B)) >>> 0;
  }

  result() { return { count: this.count, hash: hex8(this.a) + hex8(this.b) }; }
}

/**
 * @param {string} entity collection name, e.g. `products`
 * @param {Iterable<{id: string, version: number}>} records
 * @returns {Promise<{count: number, hash: string}>}
 */
export async function digestOf(entity, records) {
  const sum = new Sum();
  for (const r of records) sum.add(entity, r);
  return sum.result();
}

/**
 * Several collections at once: `{products: records, categories: records}`.
 * @param {Record<string, Iterable<{id: string, version: number}>>} byEntity
 */
export async function digestOfAll(byEntity) {
  const sum = new Sum();
  for (const [entity, records] of Object.entries(byEntity)) for (const r of records) sum.add(entity, r);
  return sum.result();
}
