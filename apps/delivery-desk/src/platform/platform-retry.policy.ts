/** What one delivery attempt came to, as the retry policy sees it. */
export type AttemptOutcome = 'success' | 'transient' | 'permanent';

/**
 * Sorts an HTTP answer: 2xx is success; 408, 429 and 5xx may go away on their own (retry); any
 * other status will not (a 400 or 401 repeated is still a 400 or 401). Redirects are not followed
 * for a signed POST, so a 3xx is a misconfigured URL: permanent.
 *
 * @example
 * classifyStatus(503) // 'transient'
 * classifyStatus(404) // 'permanent'
 */
export function classifyStatus(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) return 'success';
  if (status === 408 || status === 429 || status >= 500) return 'transient';
  return 'permanent';
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Null when absent or unreadable; a date in the past is 0.
 *
 * @example
 * parseRetryAfter('120', new Date()) // 120000
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) return Number(v) * 1000;
  // Only a date with a month or day name: Date.parse also takes "-5" or "12" as years.
  if (!/[A-Za-z]{3}/.test(v)) return null;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseDelayMs: number;
  /** Longest delay between two attempts. */
  maxDelayMs: number;
}

/**
 * Exponential backoff with "equal jitter": the n-th retry waits between half and all of
 * `base · 2^(n-1)` (capped), so commands that failed together do not all come back together,
 * yet no retry comes sooner than half the nominal delay.
 *
 * @example
 * backoffDelayMs(3, { baseDelayMs: 30_000, maxDelayMs: 7_200_000 }) // between 60 s and 120 s
 */
export function backoffDelayMs(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const nominal = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, Math.min(retry - 1, 30)));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}

export interface RetryDecisionInput {
  outcome: AttemptOutcome;
  /** Attempts made in the current dispatch, this one included. */
  attemptsInDispatch: number;
  maxAttempts: number;
  /** From `Retry-After`, when the platform sent one. */
  retryAfterMs: number | null;
  backoff: BackoffOptions;
  /** The longest `Retry-After` honoured as given; longer ones are cut to this. */
  maxRetryAfterMs: number;
}

export type RetryDecision = { kind: 'done' } | { kind: 'retry'; delayMs: number } | { kind: 'give_up'; why: 'permanent' | 'exhausted' };

/**
 * After an attempt: stop, retry after a delay, or give up. A platform's `Retry-After` wins over
 * our backoff (it knows when it will be back), within `maxRetryAfterMs`.
 *
 * @example
 * decideRetry({ outcome: 'transient', attemptsInDispatch: 1, maxAttempts: 15, retryAfterMs: 5000, backoff, maxRetryAfterMs: 21_600_000 })
 * // { kind: 'retry', delayMs: 5000 }
 */
export function decideRetry(input: RetryDecisionInput, random: () => number = Math.random): RetryDecision {
  if (input.outcome === 'success') return { kind: 'done' };
  if (input.outcome === 'permanent') return { kind: 'give_up', why: 'permanent' };
  if (input.attemptsInDispatch >= input.maxAttempts) return { kind: 'give_up', why: 'exhausted' };
  if (input.retryAfterMs !== null) return { kind: 'retry', delayMs: Math.min(input.retryAfterMs, input.maxRetryAfterMs) };
  return { kind: 'retry', delayMs: backoffDelayMs(input.attemptsInDispatch, input.backoff, random) };
}
