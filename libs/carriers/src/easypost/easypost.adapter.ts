import { CarrierError } from '../carrier.error';
import type { PostalAddress, TrackingSnapshot } from '../carrier.model';
import type {
  AddressVerdict,
  CallOptions,
  CarrierActionResult,
  CarrierAdapter,
  CarrierCapabilities,
  Claim,
  ClaimRequest,
  HoldRequest,
  InterceptRequest,
  Pickup,
  PickupRequest,
  ReturnLabel,
  ReturnLabelRequest,
  TrackRequest,
} from '../carrier.port';
import type { CarrierWebhookEvent } from '../shared/carrier-webhook-event';
import { IdempotencyCache } from '../shared/idempotency-cache';
import { withRetry, type RetryOptions } from '../shared/retry';
import type { UnmappedCodeReporter } from '../shared/unmapped-code';
import { EasyPostApiClient, type EasyPostClientOptions } from './easypost.client';
import { EasyPostMapper, parseEasyPostTime } from './easypost.mapper';
import type { EpClaim, EpPickup, EpShipment } from './easypost.types';
import { verifyEasyPostWebhook, type EasyPostWebhookHeaders } from './easypost.webhook';

export interface EasyPostAdapterOptions {
  /** A ready client, or the options to build one. */
  client: EasyPostApiClient | EasyPostClientOptions;
  /** Where unmapped EasyPost codes are reported (default: a process warning). */
  onUnmappedCode?: UnmappedCodeReporter;
  /**
   * In-call retries for retryable failures (429, 5xx, timeouts, network, unreadable bodies).
   * `false` turns them off, e.g. when the service's job queue does all retrying.
   */
  retry?: Partial<RetryOptions> | false;
  /** How long a successful result stays replayable for the same idempotency key. Default 24 h. */
  idempotencyTtlMs?: number;
}

const DEFAULT_RETRY: RetryOptions = { retries: 3, baseMs: 250, maxMs: 5_000, jitter: 'full' };

/** A claim found by listing is ours when it was created this close to our first attempt (clock skew). */
const CLAIM_RECONCILE_SKEW_MS = 5 * 60 * 1000;

/**
 * `CarrierAdapter` for EasyPost, composing {@link EasyPostApiClient} (I/O) and {@link EasyPostMapper}
 * (meaning). EasyPost has no intercept or hold API: those capabilities are `false` and the methods
 * throw `CarrierError('unsupported')`.
 *
 * Idempotency: EasyPost takes no idempotency key, so it is handled on our side.
 * - Calls with `idempotencyKey` are de-duplicated in process ({@link IdempotencyCache}): a repeat
 *   returns the first result. The key is also sent as the shipment / pickup `reference`.
 * - Tracker creation is idempotent at EasyPost (a duplicate returns the original tracker).
 * - Buying (label, pickup), cancelling and filing a claim are never blindly repeated after an
 *   ambiguous failure (timeout, 5xx, unreadable answer): the adapter first asks EasyPost whether the
 *   first attempt went through (shipment has a label, pickup is scheduled / canceled, a matching claim
 *   exists) and only repeats when it did not. A 429 was not processed, so it is simply repeated.
 *
 * @example
 * ```ts
 * const easypost = new EasyPostAdapter({
 *   client: { apiKey: process.env.EASYPOST_API_KEY!, responseTimeoutMs: 5_000 },
 *   onUnmappedCode: (u) => logger.warn(u, 'unmapped EasyPost code'),
 * });
 * const snapshot = await easypost.track({ trackingCode: 'EZ4000000004' });
 * snapshot.status; // 'delivered'
 * ```
 */
export class EasyPostAdapter implements CarrierAdapter {
  readonly code = 'easypost' as const;
  readonly capabilities: CarrierCapabilities = {
    track: true,
    webhook: true,
    returnLabel: true,
    pickup: true,
    addressVerify: true,
    claim: true,
    intercept: false,
    hold: false,
  };

  readonly mapper: EasyPostMapper;
  private readonly client: EasyPostApiClient;
  private readonly retry: RetryOptions;
  private readonly idempotency: IdempotencyCache;

  constructor(options: EasyPostAdapterOptions) {
    this.mapper = new EasyPostMapper(options.onUnmappedCode);
    this.client = options.client instanceof EasyPostApiClient ? options.client : new EasyPostApiClient(options.client, this.mapper);
    this.retry = options.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...options.retry };
    this.idempotency = new IdempotencyCache('easypost', { ttlMs: options.idempotencyTtlMs });
  }

  /**
   * With a `trackerId` the tracker is refreshed; otherwise it is created (EasyPost returns the existing
   * one for a known code). A tracker id EasyPost no longer knows falls back to creating by code.
   */
  async track(req: TrackRequest, opts?: CallOptions): Promise<TrackingSnapshot> {
    const create = () => this.retrying(async () => this.mapper.toTrackingSnapshot(await this.client.createTracker(this.mapper.toTrackerParams(req), opts)));
    if (!req.trackerId) return create();
    const trackerId = req.trackerId;
    try {
      return await this.retrying(async () => this.mapper.toTrackingSnapshot(await this.client.retrieveTracker(trackerId, opts)));
    } catch (err) {
      if (err instanceof CarrierError && err.code === 'not_found') return create();
      throw err;
    }
  }

  async createReturnLabel(req: ReturnLabelRequest, opts?: CallOptions): Promise<ReturnLabel> {
    return this.idempotency.run('returnLabel', opts?.idempotencyKey, req, async () => {
      const params = this.mapper.toReturnShipmentParams(req, req.reference ?? opts?.idempotencyKey);
      // An unbought shipment costs nothing, so creating it again after a failure is harmless.
      const shipment = (await this.retrying(() => this.client.createShipment(params, opts))) as EpShipment;
      const rate = this.mapper.chooseRate(shipment, req.service);
      const bought = await this.retryingWithCheck(
        () => this.client.buyShipment(shipment.id, rate.id, opts),
        async () => {
          const current = (await this.client.retrieveShipment(shipment.id, opts)) as EpShipment;
          return current?.postage_label ? current : null;
        },
      );
      return this.mapper.toReturnLabel(bought);
    });
  }

  async bookPickup(req: PickupRequest, opts?: CallOptions): Promise<Pickup> {
    return this.idempotency.run('bookPickup', opts?.idempotencyKey, req, async () => {
      const params = this.mapper.toPickupParams(req, req.reference ?? opts?.idempotencyKey);
      const created = (await this.retrying(() => this.client.createPickup(params, opts))) as EpPickup;
      const rate = this.mapper.choosePickupRate(created);
      const bought = await this.retryingWithCheck(
        () => this.client.buyPickup(created.id, rate.carrier, rate.service, opts),
        async () => {
          const current = (await this.client.retrievePickup(created.id, opts)) as EpPickup;
          return current?.status === 'scheduled' ? current : null;
        },
      );
      return this.mapper.toPickup(bought, rate);
    });
  }

  /** Cancelling twice is not an error for us: if EasyPost refuses because it is already canceled, that is the answer. */
  async cancelPickup(pickupId: string, opts?: CallOptions): Promise<Pickup> {
    const alreadyCanceled = async () => {
      const current = (await this.client.retrievePickup(pickupId, opts)) as EpPickup;
      return current?.status === 'canceled' || current?.status === 'cancelled' ? current : null;
    };
    try {
      return this.mapper.toPickup(await this.retryingWithCheck(() => this.client.cancelPickup(pickupId, opts), alreadyCanceled));
    } catch (err) {
      if (!(err instanceof CarrierError) || err.retryable || err.code === 'not_found') throw err;
      const current = await this.retrying(alreadyCanceled).catch(() => null);
      if (current) return this.mapper.toPickup(current);
      throw err;
    }
  }

  /**
   * EasyPost pickups cannot be changed, so a reschedule books the new window first and then cancels
   * the old pickup: a failure leaves the customer with a pickup, never with none. Pass an
   * `idempotencyKey`, so a retry after a failed cancel reuses the booking instead of making another.
   */
  async reschedulePickup(pickupId: string, req: PickupRequest, opts?: CallOptions): Promise<Pickup> {
    const key = opts?.idempotencyKey;
    const booked = await this.bookPickup(req, { ...opts, idempotencyKey: key ? `${key}:book` : undefined });
    await this.cancelPickup(pickupId, { ...opts, idempotencyKey: key ? `${key}:cancel` : undefined });
    return booked;
  }

  /** Uses `create_and_verify`; its 422 for an unverifiable address becomes an `invalid` verdict. */
  async verifyAddress(address: PostalAddress, opts?: CallOptions): Promise<AddressVerdict> {
    return this.retrying(async () => {
      const outcome = await this.client.createAndVerifyAddress(this.mapper.toEpAddress(address), opts);
      if (!outcome.verified) {
        const verdict = this.mapper.addressVerdictFromError(outcome.error);
        if (verdict) return verdict;
        throw this.mapper.toCarrierError(422, outcome.error);
      }
      return this.mapper.toAddressVerdict(address, outcome.address);
    });
  }

  /**
   * EasyPost requires insurance on the tracking code; without it the answer is a 404
   * ("No eligible insurance found with provided tracking code."), surfaced as `not_found`.
   */
  async fileClaim(req: ClaimRequest, opts?: CallOptions): Promise<Claim> {
    return this.idempotency.run('fileClaim', opts?.idempotencyKey, req, async () => {
      const params = this.mapper.toClaimParams(req);
      const startedAt = Date.now();
      const created = await this.retryingWithCheck(
        () => this.client.createClaim(params, opts),
        async () => {
          const list = (await this.client.listClaims({ page_size: 20 }, opts)) as { claims?: EpClaim[] };
          const mine = (list?.claims ?? []).find(
            (c) =>
              c.tracking_code === req.trackingCode &&
              c.type === req.type &&
              c.status !== 'cancelled' &&
              Date.parse(parseEasyPostTime(c.created_at, 'claim.created_at')) >= startedAt - CLAIM_RECONCILE_SKEW_MS,
          );
          return mine ?? null;
        },
      );
      return this.mapper.toClaim(created);
    });
  }

  /**
   * Verifies and maps an incoming webhook in one step; throws `EasyPostSignatureError` (answer 401).
   *
   * @example
   * ```ts
   * const event = easypost.parseWebhook(req.rawBody, req.headers, config.easypostWebhookSecret);
   * if (event.snapshot) await tracking.ingest(event.snapshot);
   * ```
   */
  parseWebhook(rawBody: Buffer | string, headers: EasyPostWebhookHeaders, secret: string): CarrierWebhookEvent {
    return this.mapper.toWebhookEvent(verifyEasyPostWebhook(rawBody, headers, secret));
  }

  async getClaim(claimId: string, opts?: CallOptions): Promise<Claim> {
    return this.retrying(async () => this.mapper.toClaim(await this.client.retrieveClaim(claimId, opts)));
  }

  async intercept(_req: InterceptRequest): Promise<CarrierActionResult> {
    throw new CarrierError('easypost', 'unsupported', 'EasyPost has no intercept or redirect API', false);
  }

  async holdAtLocation(_req: HoldRequest): Promise<CarrierActionResult> {
    throw new CarrierError('easypost', 'unsupported', 'EasyPost has no hold-at-location API', false);
  }

  private retrying<T>(fn: () => Promise<T>): Promise<T> {
    return withRetry(fn, this.retry);
  }

  /**
   * For calls that must not run twice: before repeating after an ambiguous failure, `check` asks
   * EasyPost whether the earlier attempt took effect and returns its result if so.
   */
  private async retryingWithCheck<T>(attempt: () => Promise<unknown>, check: () => Promise<T | null>): Promise<T> {
    let lastError: unknown = null;
    return withRetry(
      async () => {
        const ambiguous = lastError instanceof CarrierError && lastError.code !== 'rate_limited';
        if (ambiguous) {
          const done = await check();
          if (done) return done;
        }
        try {
          return (await attempt()) as T;
        } catch (err) {
          lastError = err;
          throw err;
        }
      },
      this.retry,
    );
  }
}
