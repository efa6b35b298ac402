import { CarrierError, type CarrierErrorCode } from '../carrier.error';
import type { CarrierCode } from '../carrier.model';

/** What an HTTP status or a transport failure means for us: a stable code and whether to try again. */
export interface ErrorClass {
  code: CarrierErrorCode;
  retryable: boolean;
}

/**
 * Classifies an HTTP status from any carrier API.
 *
 * @example
 * ```ts
 * classifyHttpStatus(429); // { code: 'rate_limited', retryable: true }
 * classifyHttpStatus(422); // { code: 'invalid_request', retryable: false }
 * ```
 */
export function classifyHttpStatus(status: number): ErrorClass {
  if (status === 408) return { code: 'timeout', retryable: true };
  if (status === 429) return { code: 'rate_limited', retryable: true };
  // 501 says the carrier will never do this; retrying cannot help.
  if (status === 501) return { code: 'unsupported', retryable: false };
  if (status >= 500 && status <= 599) return { code: 'server_error', retryable: true };
  if (status === 401 || status === 403) return { code: 'unauthorized', retryable: false };
  if (status === 404 || status === 410) return { code: 'not_found', retryable: false };
  // 402 is the carrier declining to act (billing, account state): a person must step in.
  if (status === 402) return { code: 'refused', retryable: false };
  if (status >= 400 && status <= 499) return { code: 'invalid_request', retryable: false };
  return { code: 'unknown', retryable: false };
}

/** Node, superagent, axios and undici codes for a request that never got a usable answer. */
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ETIME', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
]);

/**
 * Classifies a transport-level failure (no HTTP status) by its `code`, or returns `null` when the
 * error is not one we recognise. Both kinds are retryable: the request may never have arrived.
 *
 * @example
 * ```ts
 * classifyTransportError(Object.assign(new Error('x'), { code: 'ECONNRESET' })); // { code: 'network', retryable: true }
 * ```
 */
export function classifyTransportError(err: unknown): ErrorClass | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (TIMEOUT_CODES.has(code)) return { code: 'timeout', retryable: true };
  if (NETWORK_CODES.has(code)) return { code: 'network', retryable: true };
  return null;
}

/**
 * Parses a `Retry-After` header (delta-seconds or an HTTP-date) into milliseconds from `now`.
 * Returns `null` when absent or unreadable, so callers fall back to their own backoff.
 *
 * @example
 * ```ts
 * parseRetryAfter('2'); // 2000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', new Date('2026-10-21T07:27:30Z')); // 30000
 * ```
 */
export function parseRetryAfter(value: string | string[] | number | null | undefined, now: Date = new Date()): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? Math.round(raw * 1000) : null;
  const trimmed = raw.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

/**
 * Builds the `CarrierError` for an HTTP error answer, classified by status alone. Adapters refine
 * the code with the carrier's own error code where they know better (e.g. address failures).
 *
 * @example
 * ```ts
 * throw carrierErrorFromHttp('ups', 503, 'UPS is unavailable', { retryAfterMs: 2000 }); // server_error, retryable
 * ```
 */
export function carrierErrorFromHttp(
  carrier: CarrierCode,
  httpStatus: number,
  message: string,
  details: Omit<CarrierError['details'], 'httpStatus'> = {},
): CarrierError {
  const { code, retryable } = classifyHttpStatus(httpStatus);
  return new CarrierError(carrier, code, message, retryable, { ...details, httpStatus });
}
