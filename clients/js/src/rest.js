// REST helpers over fetch: collections, images, checkout, orders, stock,
// sync and digest. Every non-2xx answer becomes a ShelfsyncError carrying the
// problem+json body.

import { ShelfsyncError } from './errors.js';
import { randomKey, resolveUrl } from './util.js';

/**
 * @typedef {object} RestOptions
 * @property {string | (() => string)} url base URL of the server, e.g. `https://shop.example`
 * @property {string} [token] bearer token
 * @property {typeof fetch} [fetch] fetch implementation (default: global fetch)
 * @property {string} [clientId] sent as X-Client-Id on mutations; change events carry it as `origin`
 * @property {Record<string, string>} [headers] extra headers on every request
 */

const enc = encodeURIComponent;

/** Builds `?a=1&b=2` from an object, skipping null/undefined. */
function query(params) {
  const parts = [];
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v === undefined || v === null) continue;
    parts.push(`${enc(k)}=${enc(Array.isArray(v) ? v.join(',') : String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** `"7"` for version 7: If-Match / If-None-Match want a quoted entity tag. */
const etag = (v) => (typeof v === 'string' && v.startsWith('"') ? v : `"${v}"`);

export class RestClient {
  /** @param {RestOptions} opts */
  constructor(opts) {
    if (!opts?.url) throw new TypeError('RestClient: url is required');
    this.url = opts.url;
    this.token = opts.token;
    this.clientId = opts.clientId;
    this.headers = opts.headers ?? {};
    this.fetchImpl = opts.fetch ?? globalThis.fetch?.bind(globalThis);
    if (!this.fetchImpl) throw new TypeError('RestClient: no fetch available; pass opts.fetch');
  }

  /** The current base URL (the option may be a function). */
  baseUrl() { return resolveUrl(this.url); }

  /**
   * One request. Resolves {status, headers, body} for 2xx and 304; throws
   * ShelfsyncError otherwise.
   * @param {string} method
   * @param {string} path path with query, starting with /
   * @param {{json?: unknown, body?: BodyInit, contentType?: string, headers?: Record<string,string>, signal?: AbortSignal}} [o]
   */
  async request(method, path, o = {}) {
    const headers = { Accept: 'application/json', ...this.headers, ...(o.headers ?? {}) };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (method !== 'GET' && this.clientId) headers['X-Client-Id'] = this.clientId;
    let body = o.body;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers['Content-Type'] = o.contentType ?? 'application/json';
    } else if (o.contentType) headers['Content-Type'] = o.contentType;
    let res;
    try {
      res = await this.fetchImpl(this.baseUrl() + path, { method, headers, body, signal: o.signal });
    } catch (cause) {
      if (o.signal?.aborted) throw cause;
      throw new ShelfsyncError({ status: 0, code: 'network_error', title: 'Network error', detail: String(cause?.message ?? cause) },
        { method, path, cause });
    }
    const text = res.status === 204 || res.status === 304 ? '' : await res.text();
    const ctype = res.headers.get('content-type') ?? '';
    let parsed = text;
    if (text && /json/i.test(ctype)) {
      try { parsed = JSON.parse(text); } catch { /* keep text */ }
    }
    if (res.ok || res.status === 304) return { status: res.status, headers: res.headers, body: parsed };
    const problem = parsed && typeof parsed === 'object'
      ? { ...parsed, status: parsed.status ?? res.status }
      : { status: res.status, code: `http_${res.status}`, title: res.statusText, detail: text.slice(0, 500) };
    throw new ShelfsyncError(problem, { method, path });
  }

  // ------------------------------------------------------- collections --

  /**
   * The token's shop: `{tenant, name, currency, time_zone}` (any role, a
   * public key too; admin, staff and service also read `large_order_total`).
   * @returns {Promise<{tenant: string, name: string, currency: string, time_zone: string, large_order_total?: number | null}>}
   */
  async shop({ signal } = {}) {
    return (await this.request('GET', '/api/shop', { signal })).body;
  }

  /** Changes the shop (admin): a merge patch of `{name?, time_zone?, large_order_total?}`. */
  async patchShop(patch, { signal } = {}) {
    return (await this.request('PATCH', '/api/shop', { json: patch, contentType: 'application/merge-patch+json', signal })).body;
  }

  /**
   * One record. With `ifNoneMatch` (a version) resolves null on 304.
   * @returns {Promise<object | null>}
   */
  async get(collection, id, { ifNoneMatch, signal } = {}) {
    const headers = ifNoneMatch !== undefined ? { 'If-None-Match': etag(ifNoneMatch) } : {};
    const r = await this.request('GET', `/api/${enc(collection)}/${enc(id)}`, { headers, signal });
    return r.status === 304 ? null : r.body;
  }

  /**
   * One page: `{data, next}`. `params` are filters (`status`, `tag`, `q`, …)
   * plus `limit` and `after`.
   */
  async listPage(collection, params = {}, { signal } = {}) {
    const r = await this.request('GET', `/api/${enc(collection)}${query(params)}`, { signal });
    return r.body;
  }

  /**
   * Every record, page by page: `for await (const p of client.list('products', {status: 'active'}))`.
   * @returns {AsyncGenerator<object>}
   */
  async *list(collection, params = {}, { signal } = {}) {
    let after = params.after;
    for (;;) {
      const page = await this.listPage(collection, { ...params, after }, { signal });
      yield* page.data;
      if (page.next === null || page.next === undefined) return;
      after = page.next;
    }
  }

  /** Every record as one array (follows `next`). */
  async listAll(collection, params = {}, opts = {}) {
    const out = [];
    for await (const r of this.list(collection, { limit: 1000, ...params }, opts)) out.push(r);
    return out;
  }

  /** Creates a record; resolves with it (201). */
  async create(collection, doc, { signal } = {}) {
    return (await this.request('POST', `/api/${enc(collection)}`, { json: doc, signal })).body;
  }

  /**
   * JSON merge patch. `ifMatch`: the version you edited; a mismatch throws
   * ShelfsyncError 412 `version_mismatch` with `.current`.
   */
  async patch(collection, id, patch, { ifMatch, signal } = {}) {
    const headers = ifMatch !== undefined ? { 'If-Match': etag(ifMatch) } : {};
    return (await this.request('PATCH', `/api/${enc(collection)}/${enc(id)}`,
      { json: patch, contentType: 'application/merge-patch+json', headers, signal })).body;
  }

  /** Soft delete (204). Honours `ifMatch`. */
  async delete(collection, id, { ifMatch, signal } = {}) {
    const headers = ifMatch !== undefined ? { 'If-Match': etag(ifMatch) } : {};
    await this.request('DELETE', `/api/${enc(collection)}/${enc(id)}`, { headers, signal });
  }

  // ------------------------------------------------------------ images --

  /**
   * Adds an image: bytes (Blob / ArrayBuffer / Uint8Array with
   * `contentType` image/png|jpeg|gif|webp) or `{url, alt?, width?, height?}`.
   * Resolves with the product; the new image is last.
   */
  async addImage(productId, image, { contentType, alt, signal } = {}) {
    const path = `/api/products/${enc(productId)}/images`;
    const isBytes = image instanceof ArrayBuffer || ArrayBuffer.isView(image)
      || (typeof Blob !== 'undefined' && image instanceof Blob);
    if (!isBytes) return (await this.request('POST', path, { json: image, signal })).body;
    const type = contentType ?? (typeof Blob !== 'undefined' && image instanceof Blob ? image.type : undefined);
    if (!type) throw new TypeError('addImage: contentType is required for bytes');
    return (await this.request('POST', path + query({ alt }), { body: image, contentType: type, signal })).body;
  }

  /** Resolves with the product without that image. */
  async deleteImage(productId, imageId, { signal } = {}) {
    return (await this.request('DELETE', `/api/products/${enc(productId)}/images/${enc(imageId)}`, { signal })).body;
  }

  /** `imageIds`: every image id of the product, in the new order. */
  async reorderImages(productId, imageIds, { signal } = {}) {
    return (await this.request('PUT', `/api/products/${enc(productId)}/images/order`, { json: imageIds, signal })).body;
  }

  // ---------------------------------------------------------- commerce --

  /**
   * `items: [{product_id, variant_id, qty, unit_price}]` → `{ok: true, total, currency}`;
   * a mismatch throws 409 `checkout_corrections` with `.corrections`.
   */
  async validateCheckout(items, { signal } = {}) {
    return (await this.request('POST', '/api/checkout/validate', { json: { items }, signal })).body;
  }

  /**
   * Places an order. An Idempotency-Key is generated unless given; pass the
   * same key when retrying the same order so it is placed once.
   * @param {{items: object[], customer_id?: string, channel?: string}} order
   */
  async placeOrder(order, { idempotencyKey, signal } = {}) {
    const key = idempotencyKey ?? await randomKey();
    return (await this.request('POST', '/api/orders', { json: order, headers: { 'Idempotency-Key': key }, signal })).body;
  }

  async #orderAction(id, action, { ifMatch, signal } = {}) {
    const headers = ifMatch !== undefined ? { 'If-Match': etag(ifMatch) } : {};
    return (await this.request('POST', `/api/orders/${enc(id)}/${action}`, { headers, signal })).body;
  }

  /** placed → confirmed; a wrong transition throws 409 `invalid_transition`. */
  confirmOrder(id, opts) { return this.#orderAction(id, 'confirm', opts); }
  /** confirmed → fulfilled. */
  fulfillOrder(id, opts) { return this.#orderAction(id, 'fulfill', opts); }
  /** placed|confirmed → cancelled; the server puts the stock back. */
  cancelOrder(id, opts) { return this.#orderAction(id, 'cancel', opts); }

  /**
   * `{variant_id, delta | set, reason?, note?}` → `{product_id, variant_id, stock, movement}`.
   * An Idempotency-Key is generated unless given.
   */
  async adjustStock(adjustment, { idempotencyKey, signal } = {}) {
    const key = idempotencyKey ?? await randomKey();
    return (await this.request('POST', '/api/stock/adjust', { json: adjustment, headers: { 'Idempotency-Key': key }, signal })).body;
  }

  // ------------------------------------------------------------- bills --

  /**
   * A manual bill `{customer_id, amount, due_at?, note?}` (admin, staff).
   * An Idempotency-Key is generated unless given.
   */
  async createBill(bill, { idempotencyKey, signal } = {}) {
    const key = idempotencyKey ?? await randomKey();
    return (await this.request('POST', '/api/bills', { json: bill, headers: { 'Idempotency-Key': key }, signal })).body;
  }

  /**
   * Records a payment `{amount, method, reference?}` (admin, staff, service):
   * the bill turns `partially_paid` or `paid`; more than is open throws 409
   * `overpayment` (with `open_amount`), a void bill 409 `bill_void`. Keep the
   * key for a retry of the same payment: the server then pays once.
   */
  async payBill(id, payment, { idempotencyKey, ifMatch, signal } = {}) {
    const headers = { 'Idempotency-Key': idempotencyKey ?? await randomKey() };
    if (ifMatch !== undefined) headers['If-Match'] = etag(ifMatch);
    return (await this.request('POST', `/api/bills/${enc(id)}/pay`, { json: payment, headers, signal })).body;
  }

  /** Voids a bill (admin); its payments stay and show as `refund_due`. */
  async voidBill(id, { ifMatch, signal } = {}) {
    const headers = ifMatch !== undefined ? { 'If-Match': etag(ifMatch) } : {};
    return (await this.request('POST', `/api/bills/${enc(id)}/void`, { headers, signal })).body;
  }

  /** The shop's figures `GET /api/stats` (default: today in the shop's time zone). */
  async stats({ from, to, tz, signal } = {}) {
    return (await this.request('GET', `/api/stats${query({ from, to, tz })}`, { signal })).body;
  }

  /** Bulk levels `[{sku, stock}]` (admin, service). */
  async syncStock(levels, { signal } = {}) {
    return (await this.request('POST', '/api/stock/sync', { json: { levels }, signal })).body;
  }

  // -------------------------------------------------------------- sync --

  /**
   * One /api/sync answer. `entities`: array or comma list.
   * @returns {Promise<{cursor: string, has_more: boolean, has_changes: boolean, data: Record<string, {added: object[], updated: object[], deleted: string[]}>}>}
   */
  async sync({ since, entities, limit, wait, signal } = {}) {
    return (await this.request('GET', `/api/sync${query({ since, entities, limit, wait })}`, { signal })).body;
  }

  /**
   * `{cursor, count, hash}` over the reader's visible (id, version) pairs;
   * with `ids` (≤ 1,000) or `filter` (as a live subscription's) over that
   * scope of one entity.
   */
  async digest(entities, { ids, filter, signal } = {}) {
    const scope = { entities, ids, filter: filter ? JSON.stringify(filter) : undefined };
    return (await this.request('GET', `/api/sync/digest${query(scope)}`, { signal })).body;
  }
}
