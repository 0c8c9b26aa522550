// The one error type the client throws for answers the server refused, so
// callers can branch on `code` (the server's stable problem code) instead of
// parsing messages.

/**
 * @typedef {object} Problem
 * @property {string} [type]
 * @property {string} [title]
 * @property {number} status
 * @property {string} [detail]
 * @property {string} [code]
 * @property {{field: string, message: string}[]} [errors]
 * @property {object} [current] the record as it is now (412 version_mismatch)
 * @property {{index: number, field: string, expected: unknown, actual: unknown}[]} [corrections]
 */

export class ShelfsyncError extends Error {
  /**
   * @param {Problem} problem the problem+json body (or one made up for a
   *   network failure / non-JSON answer)
   * @param {{method?: string, path?: string, cause?: unknown}} [info]
   */
  constructor(problem, info = {}) {
    const where = info.method && info.path ? ` (${info.method} ${info.path})` : '';
    super(`${problem.status} ${problem.code ?? 'error'}: ${problem.detail ?? problem.title ?? 'request failed'}${where}`,
      info.cause !== undefined ? { cause: info.cause } : undefined);
    this.name = 'ShelfsyncError';
    /** @type {Problem} */
    this.problem = problem;
    /** HTTP status; 0 when the server could not be reached. */
    this.status = problem.status;
    /** The server's problem code, e.g. `version_mismatch`; `network_error` when unreachable. */
    this.code = problem.code ?? 'error';
    this.errors = problem.errors ?? [];
    /** The current record on a 412 `version_mismatch`. */
    this.current = problem.current;
    /** Checkout corrections on a 409 `checkout_corrections`. */
    this.corrections = problem.corrections;
    this.method = info.method;
    this.path = info.path;
  }
}
