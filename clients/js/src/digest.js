// The sync digest, computed the way the server does (GET /api/sync/digest):
// SHA-256, lowercase hex, over the lines `<entity>/<id>:<version>\n` of every
// visible record, sorted bytewise and concatenated. Ids and entity names are
// ASCII, so JavaScript's string order is the server's byte order.

import { sha256Hex } from './util.js';

/**
 * @param {string} entity collection name, e.g. `products`
 * @param {Iterable<{id: string, version: number}>} records
 * @returns {Promise<{count: number, hash: string}>}
 */
export async function digestOf(entity, records) {
  const lines = [];
  for (const r of records) lines.push(`${entity}/${r.id}:${r.version}\n`);
  return digestOfLines(lines);
}

/**
 * Several collections at once: `{products: records, categories: records}`.
 * @param {Record<string, Iterable<{id: string, version: number}>>} byEntity
 */
export async function digestOfAll(byEntity) {
  const lines = [];
  for (const [entity, records] of Object.entries(byEntity)) {
    for (const r of records) lines.push(`${entity}/${r.id}:${r.version}\n`);
  }
  return digestOfLines(lines);
}

async function digestOfLines(lines) {
  lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { count: lines.length, hash: await sha256Hex(lines.join('')) };
}
