import { randomBytes } from 'node:crypto';
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
import { IdempotencyCache } from '../shared/idempotency-cache';
import { warnUnmappedCode, type UnmappedCodeReporter } from '../shared/unmapped-code';
import { UpsClient, silentUpsLogger, type UpsClientConfig, type UpsLogger } from './ups.client';
import {
  mapUpsInterceptResponse,
  mapUpsPickupCancelled,
  mapUpsPickupCreated,
  mapUpsReturnShipment,
  mapUpsTrackResponse,
  mapUpsXavResponse,
  toUpsInterceptRequest,
  toUpsPickupRequest,
  toUpsReturnShipmentRequest,
  toUpsTrackAlertSubscription,
  toUpsXavRequest,
  UPS_INTERCEPT_PATH,
  type UpsInterceptKind,
} from './ups.mapper';
import type { UpsInterceptContact, UpsTrackAlertSubscriptionResponse } from './ups.types';

/** API versions in the paths; UPS versions each API separately. */
export const UPS_API_VERSIONS = { pickup: 'v2409', shipping: 'v2409', addressValidation: 'v2', intercept: 'v2', track: 'v1' } as const;

export interface UpsAdapterOptions {
  /** A ready client, or the settings to build one (base URL, OAuth client id/secret, timeouts, retry). */
  client: UpsClient | UpsClientConfig;
  /** The merchant's 6-character UPS shipper number: pays for pickups and return labels. */
  accountNumber: string;
  accountCountryCode?: string;
  /** Who asks UPS for an intercept (`requesterContactInfo`, required by Delivery Intercept). */
  interceptRequester: UpsInterceptContact;
  /** `clientIP` UPS requires on every intercept: the service's public egress address. */
  clientIp: string;
  /** Return-to-sender reason code; `KV` "OTHER NON-DELIVERY" by default. */
  returnReason?: string;
  /** UPS pickup service code, default '003' (UPS Ground). */
  pickupServiceCode?: string;
  /** UPS service for return labels, default '03' (UPS Ground). */
  returnServiceCode?: string;
  /** Where unmapped UPS status codes are reported (default: a process warning). */
  onUnmappedCode?: UnmappedCodeReporter;
  /** Retry notices and reschedule trouble; no personal data is logged. */
  logger?: UpsLogger;
  /** How long a write's result stays replayable for the same idempotency key. Default 24 h. */
  idempotencyTtlMs?: number;
}

/**
 * UPS direct adapter. Tracking (Track API), Track Alert webhooks, pickups (book, cancel, reschedule as
 * book-then-cancel), street-level address validation (XAV), Delivery Intercept (redirect, return to sender,
 * reschedule delivery, will-call hold) and return labels (Shipping API with ReturnService). UPS publishes
 * no claims API, so `claim` is false and the claim methods throw `unsupported`.
 *
 * UPS honours no idempotency key. Writes with `CallOptions.idempotencyKey` are de-duplicated in process
 * (a repeat returns the first result), and writes are retried inline only when UPS provably did not act
 * (429, refused connection, token trouble); after a timeout or 5xx they surface as a retryable
 * `CarrierError`, because UPS may have booked the pickup or label already.
 *
 * @example
 * ```ts
 * const ups = new UpsAdapter({
 *   client: { baseUrl: 'https://wwwcie.ups.com', clientId, clientSecret },
 *   accountNumber: 'A1B2C3',
 *   interceptRequester: { name: 'Acme Support', telephone: '+12125550100' },
 *   clientIp: '203.0.113.10',
 * });
 * const result = await ups.intercept({ trackingCode: '1Z...', kind: 'return_to_sender' });
 * if (result.outcome === 'refused') console.log(result.reason);
 * ```
 */
export class UpsAdapter implements CarrierAdapter {
  readonly code = 'ups' as const;
  readonly capabilities: CarrierCapabilities = {
    track: true,
    webhook: true,
    returnLabel: true,
    pickup: true,
    addressVerify: true,
    claim: false,
    intercept: true,
    hold: true,
  };

  private readonly client: UpsClient;
  private readonly logger: UpsLogger;
  private readonly onUnmappedCode: UnmappedCodeReporter;
  private readonly idempotency: IdempotencyCache;

  constructor(private readonly options: UpsAdapterOptions) {
    this.logger = options.logger ?? silentUpsLogger;
    this.client = options.client instanceof UpsClient ? options.client : new UpsClient({ logger: this.logger, ...options.client });
    this.onUnmappedCode = options.onUnmappedCode ?? warnUnmappedCode;
    this.idempotency = new IdempotencyCache('ups', { ttlMs: options.idempotencyTtlMs });
  }

  async track(req: TrackRequest, opts?: CallOptions): Promise<TrackingSnapshot> {
    const code = req.trackingCode.trim().toUpperCase();
    const { body } = await this.client.request({
      method: 'GET',
      path: `/api/track/${UPS_API_VERSIONS.track}/details/${encodeURIComponent(code)}`,
      // The docs gate signature images and the POD document behind flags, not the delivery photo.
      query: { locale: 'en_US', returnSignature: 'false', returnMilestones: 'false', returnPOD: 'false' },
      timeoutMs: opts?.timeoutMs,
      idempotent: true,
      operation: 'track',
    });
    return mapUpsTrackResponse(body, code, this.onUnmappedCode);
  }

  /**
   * Subscribes numbers to Track Alert (v1, enhanced: events carry the delivery photo and `receivedBy`).
   * UPS signs nothing; it echoes `credential` in a header on every push, so pass the merchant's secret
   * webhook token here and check it with `verifyUpsTrackAlertCredential`. Subscriptions last 14 days.
   */
  async subscribeTrackAlert(
    trackingCodes: string[],
    destination: { url: string; credential: string },
    opts?: CallOptions,
  ): Promise<{ subscribed: string[]; rejected: string[] }> {
    const subscribed: string[] = [];
    const rejected: string[] = [];
    // UPS rejects the whole request above 100 numbers (VSS220).
    for (let i = 0; i < trackingCodes.length; i += 100) {
      const chunk = trackingCodes.slice(i, i + 100).map((c) => c.trim().toUpperCase());
      const { body } = await this.client.request<UpsTrackAlertSubscriptionResponse>({
        method: 'POST',
        path: `/api/track/${UPS_API_VERSIONS.track}/subscription/enhanced/package`,
        body: toUpsTrackAlertSubscription(chunk, destination),
        timeoutMs: opts?.timeoutMs,
        idempotent: true, // subscribing twice renews the same 14-day subscription
        operation: 'track_alert_subscribe',
      });
      subscribed.push(...(body.validTrackingNumbers ?? []));
      rejected.push(...(body.invalidTrackingNumbers ?? []));
    }
    return { subscribed, rejected };
  }

  async createReturnLabel(req: ReturnLabelRequest, opts?: CallOptions): Promise<ReturnLabel> {
    return this.idempotency.run('returnLabel', opts?.idempotencyKey, req, () => this.buyReturnLabel(req, opts));
  }

  private async buyReturnLabel(req: ReturnLabelRequest, opts?: CallOptions): Promise<ReturnLabel> {
    const serviceCode = req.service ?? this.options.returnServiceCode ?? '03';
    const payload = toUpsReturnShipmentRequest(req, {
      accountNumber: this.options.accountNumber,
      serviceCode,
      returnServiceCode: '9',
      labelFormat: 'GIF',
    });
    const { body } = await this.client.request({
      method: 'POST',
      path: `/api/shipments/${UPS_API_VERSIONS.shipping}/ship`,
      body: payload,
      timeoutMs: opts?.timeoutMs,
      idempotent: false,
      operation: 'return_label',
    });
    return mapUpsReturnShipment(body, serviceCode);
  }

  async bookPickup(req: PickupRequest, opts?: CallOptions): Promise<Pickup> {
    return this.idempotency.run('bookPickup', opts?.idempotencyKey, req, () => this.createPickup(req, opts));
  }

  private async createPickup(req: PickupRequest, opts?: CallOptions): Promise<Pickup> {
    const payload = toUpsPickupRequest(req, {
      accountNumber: this.options.accountNumber,
      accountCountryCode: this.options.accountCountryCode ?? 'US',
      serviceCode: this.options.pickupServiceCode ?? '003',
    });
    const { body } = await this.client.request({
      method: 'POST',
      path: `/api/pickupcreation/${UPS_API_VERSIONS.pickup}/pickup`,
      body: payload,
      timeoutMs: opts?.timeoutMs,
      idempotent: false,
      operation: 'pickup_create',
    });
    return mapUpsPickupCreated(body, req);
  }

  async cancelPickup(pickupId: string, opts?: CallOptions): Promise<Pickup> {
    const { body } = await this.client.request({
      method: 'DELETE',
      // CancelBy 02 = by PRN, carried in the `Prn` header.
      path: `/api/shipments/${UPS_API_VERSIONS.pickup}/pickup/02`,
      headers: { Prn: pickupId },
      timeoutMs: opts?.timeoutMs,
      idempotent: true,
      operation: 'pickup_cancel',
    });
    return mapUpsPickupCancelled(body, pickupId);
  }

  /**
   * UPS has no reschedule call. The new pickup is booked first so a failed booking leaves the old one
   * standing; if cancelling the old one then fails, the new one is cancelled again and the error surfaces.
   */
  async reschedulePickup(pickupId: string, req: PickupRequest, opts?: CallOptions): Promise<Pickup> {
    return this.idempotency.run('reschedulePickup', opts?.idempotencyKey, { pickupId, req }, () => this.replacePickup(pickupId, req, opts));
  }

  private async replacePickup(pickupId: string, req: PickupRequest, opts?: CallOptions): Promise<Pickup> {
    const callOpts = { timeoutMs: opts?.timeoutMs };
    const booked = await this.createPickup(req, callOpts);
    try {
      await this.cancelPickup(pickupId, callOpts);
    } catch (error) {
      try {
        await this.cancelPickup(booked.pickupId, callOpts);
      } catch (compensationError) {
        this.logger.warn('UPS reschedule left two pickups booked', {
          oldPickupId: pickupId,
          newPickupId: booked.pickupId,
          error: compensationError instanceof Error ? compensationError.message : String(compensationError),
        });
      }
      throw error;
    }
    return booked;
  }

  async verifyAddress(address: PostalAddress, opts?: CallOptions): Promise<AddressVerdict> {
    const { body } = await this.client.request({
      method: 'POST',
      path: `/api/addressvalidation/${UPS_API_VERSIONS.addressValidation}/3`,
      query: { maximumcandidatelistsize: '5' },
      body: toUpsXavRequest(address),
      timeoutMs: opts?.timeoutMs,
      idempotent: true,
      operation: 'address_validation',
    });
    return mapUpsXavResponse(body, address);
  }

  async fileClaim(_req: ClaimRequest, _opts?: CallOptions): Promise<Claim> {
    throw this.noClaims();
  }

  async getClaim(_claimId: string, _opts?: CallOptions): Promise<Claim> {
    throw this.noClaims();
  }

  async intercept(req: InterceptRequest, opts?: CallOptions): Promise<CarrierActionResult> {
    return this.idempotency.run('intercept', opts?.idempotencyKey, req, () =>
      this.sendIntercept(req.kind, { trackingCode: req.trackingCode, newAddress: req.newAddress, deliveryDate: req.deliveryDate }, opts),
    );
  }

  /**
   * Will-call: UPS holds the parcel at a UPS customer center of its choosing for the receiver to collect.
   * The documented will-call request has no field for a chosen location, so a `locationId` is refused
   * rather than silently dropped.
   */
  async holdAtLocation(req: HoldRequest, opts?: CallOptions): Promise<CarrierActionResult> {
    if (req.locationId) {
      throw new CarrierError('ups', 'unsupported', 'UPS will-call holds at the customer center UPS picks; a chosen location is not supported', false);
    }
    return this.idempotency.run('holdAtLocation', opts?.idempotencyKey, req, () => this.sendIntercept('will_call', { trackingCode: req.trackingCode }, opts));
  }

  private async sendIntercept(
    kind: UpsInterceptKind,
    req: { trackingCode: string; newAddress?: PostalAddress | null; deliveryDate?: string | null },
    opts?: CallOptions,
  ): Promise<CarrierActionResult> {
    const code = req.trackingCode.trim().toUpperCase();
    const payload = toUpsInterceptRequest(kind, { ...req, trackingCode: code }, {
      transactionId: randomBytes(7).toString('hex'),
      clientIp: this.options.clientIp,
      requester: this.options.interceptRequester,
      returnReason: this.options.returnReason ?? 'KV',
      locale: 'en_US',
    });
    const { body } = await this.client.request({
      method: 'POST',
      path: `/api/deliveryintercept/${UPS_API_VERSIONS.intercept}/${UPS_INTERCEPT_PATH[kind]}/${encodeURIComponent(code)}`,
      query: { loc: 'en_US' },
      body: payload,
      timeoutMs: opts?.timeoutMs,
      // An intercept reroutes a parcel: a write, resent only when UPS provably did not act on it.
      idempotent: false,
      operation: `intercept_${kind}`,
    });
    return mapUpsInterceptResponse(body);
  }

  private noClaims(): CarrierError {
    return new CarrierError('ups', 'unsupported', 'UPS has no public claims API; file UPS claims on ups.com', false);
  }
}
