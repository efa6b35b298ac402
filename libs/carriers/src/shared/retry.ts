import { CarrierError } from '../carrier.error';

/** How {@link withRetry} spreads attempts out. */
export interface RetryOptions {
  /** Extra attempts after the first one (0 = try once). */
  retries: number;
  /** Delay before the first retry; doubles each time. */
  baseMs: number;
  /** Ceiling for one delay. Also the longest `Retry-After` we wait for in-process (see `maxRetryAfterMs`). */
  maxMs: number;
  /** `full` (default, AWS "full jitter"), `equal`, or `none`; `true`/`false` mean `full`/`none`. */
  jitter?: 'full' | 'equal' | 'none' | boolean;
  /** Which failures are worth another attempt. Default: a `CarrierError` with `retryable: true`. */
  isRetryable?: (err: unknown, attempt: number) => boolean;
  /**
   * When the carrier asks us (via `retryAfterMs`) to wait longer than this, give up now and let the
   * caller's job queue reschedule from `err.details.retryAfterMs`. Default: `maxMs`.
   */
  maxRetryAfterMs?: number;
  /** Called before each wait; handy for logs and for tests that assert the schedule. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable for tests; must return a number in [0, 1). */
  random?: () => number;
}

/** The default test: our own error type says whether trying again may help. */
export function isRetryableCarrierError(err: unknown): boolean {
  return err instanceof CarrierError && err.retryable;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The exponential delay (before jitter) for retry number `retry` (1-based). */
export function backoffDelay(retry: number, opts: Pick<RetryOptions, 'baseMs' | 'maxMs' | 'jitter' | 'random'>): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, retry - 1));
  const random = opts.random ?? Math.random;
  const jitter = opts.jitter === undefined || opts.jitter === true ? 'full' : opts.jitter === false ? 'none' : opts.jitter;
  if (jitter === 'none') return exp;
  if (jitter === 'equal') return Math.round(exp / 2 + random() * (exp / 2));
  return Math.round(random() * exp);
}

function retryAfterOf(err: unknown): number | null {
  if (err instanceof CarrierError) return err.details.retryAfterMs ?? null;
  return null;
}

/**
 * Runs `fn` and retries it with exponential backoff while the failure is retryable, honouring a
 * carrier's `retryAfterMs` (never retrying sooner than asked). The last error is rethrown unchanged.
 *
 * @example
 * ```ts
 * const snapshot = await withRetry(() => adapter.track({ trackingCode }), {
 *   retries: 3, baseMs: 200, maxMs: 5_000, jitter: 'full',
 * });
 * ```
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const isRetryable = opts.isRetryable ?? isRetryableCarrierError;
  const sleep = opts.sleep ?? realSleep;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? opts.maxMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt > opts.retries || !isRetryable(error, attempt)) throw error;
      const retryAfterMs = retryAfterOf(error);
      // Waiting longer than we are prepared to hold a worker is the job queue's business, not ours.
      if (retryAfterMs !== null && retryAfterMs > maxRetryAfterMs) throw error;
      const delayMs = Math.max(backoffDelay(attempt, opts), retryAfterMs ?? 0);
      opts.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}
