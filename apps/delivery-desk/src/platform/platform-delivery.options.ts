import { Inject, Injectable } from '@nestjs/common';
import { SETTINGS, Settings } from '../config/settings';
import type { CircuitBreakerOptions } from './circuit-breaker';

/**
 * How platform commands are delivered. One instance per app; the values are read at every use, so
 * a test (or an operator console, later) can tighten them on a running app.
 *
 * With the defaults a platform that stays down is tried 15 times over 10 to 14 hours (30 s, 1 min,
 * 2 min, ... capped at 2 h, each with jitter) before the command fails as `undeliverable`.
 *
 * @example
 * // in an end-to-end test: give up sooner and time out faster
 * Object.assign(app.get(PlatformDeliveryOptions), { maxAttempts: 3, timeoutMs: 500 });
 */
@Injectable()
export class PlatformDeliveryOptions {
  /** Time allowed for one POST, answer body included. */
  timeoutMs = 10_000;
  /** Attempts per dispatch (the first delivery, or one replay) before giving up. */
  maxAttempts = 15;
  /** Nominal delay before the first retry; doubles on each retry. */
  baseDelayMs: number;
  maxDelayMs = 2 * 3600_000;
  /** A `Retry-After` longer than this is cut to it. */
  maxRetryAfterMs = 6 * 3600_000;
  /** How often a command waiting for the merchant to connect its platform is looked at again. */
  notConnectedRecheckMs = 5 * 60_000;
  /** How long after issue an unsettled command expires. */
  confirmationWindowMs = 7 * 24 * 3600_000;
  /** Bytes of the platform's answer kept with each delivery. */
  responseExcerptBytes = 2000;
  /** How late past its due time an open dispatch must be before the sweep re-queues it. */
  sweepGraceMs = 2 * 60_000;
  breaker: CircuitBreakerOptions = { failureThreshold: 5, openMs: 30_000, maxOpenMs: 10 * 60_000, trialTimeoutMs: 60_000 };

  constructor(@Inject(SETTINGS) settings: Settings) {
    // The deployment's job retry delay (1 s in tests, 30 s by default) sets the pace here too.
    this.baseDelayMs = settings.jobs.retryDelaySeconds * 1000;
  }
}
