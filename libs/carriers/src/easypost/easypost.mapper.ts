import { createHash } from 'node:crypto';
import { CarrierError } from '../carrier.error';
import type { CarrierCode, ExceptionReason, PostalAddress, TrackingEvent, TrackingSnapshot, TrackingStatus } from '../carrier.model';
import type {
  AddressVerdict,
  Claim,
  ClaimRequest,
  ClaimStatus,
  ClaimType,
  Pickup,
  PickupRequest,
  PickupStatus,
  ReturnLabel,
  ReturnLabelRequest,
  TrackRequest,
} from '../carrier.port';
import { addressChanges } from '../shared/address-diff';
import type { CarrierWebhookEvent } from '../shared/carrier-webhook-event';
import { classifyHttpStatus, type ErrorClass } from '../shared/http-error';
import { decimalToMoney, moneyToDecimal } from '../shared/money';
import { warnUnmappedCode, type UnmappedCodeReporter } from '../shared/unmapped-code';
import type {
  EpAddress,
  EpAddressParams,
  EpClaim,
  EpClaimParams,
  EpErrorBody,
  EpEvent,
  EpPickup,
  EpPickupParams,
  EpPickupRate,
  EpRate,
  EpShipment,
  EpShipmentParams,
  EpTracker,
  EpTrackingDetail,
} from './easypost.types';

const CARRIER: CarrierCode = 'easypost';

type AddressReason = Extract<AddressVerdict, { verdict: 'invalid' }>['reasons'][number];

/** Tracker `status` → our status. Values from the client's `ITrackerStatus` and docs.easypost.com/docs/trackers. */
export const EASYPOST_TRACKER_STATUS_MAP: Readonly<Record<string, TrackingStatus>> = {
  unknown: 'unknown',
  pre_transit: 'pre_transit',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
  available_for_pickup: 'available_for_pickup',
  return_to_sender: 'return_to_sender',
  failure: 'exception',
  cancelled: 'cancelled',
  // EasyPost could not track the code at all (in test mode: not an EZ code); nothing is known of the parcel.
  error: 'unknown',
};

/**
 * `status_detail` → exception reason (`null` = a normal progress step). Every value of the client's
 * `ITrackerStatusDetail` is listed, so anything else is new and gets reported.
 */
export const EASYPOST_STATUS_DETAIL_MAP: Readonly<Record<string, ExceptionReason | null>> = {
  address_correction: 'address_problem',
  arrived_at_destination: null,
  arrived_at_facility: null,
  arrived_at_pickup_location: null,
  awaiting_information: 'other',
  cancelled: null,
  damaged: 'damaged',
  delayed: 'delayed',
  delivery_exception: 'other',
  departed_facility: null,
  departed_origin_facility: null,
  expired: 'other',
  failure: 'other',
  held: 'other',
  in_transit: null,
  label_created: null,
  lost: 'lost',
  // A missort costs days but the parcel is not in trouble otherwise.
  missorted: 'delayed',
  out_for_delivery: null,
  received_at_destination_facility: null,
  received_at_origin_facility: null,
  refused: 'refused',
  return: null,
  status_update: null,
  transferred_to_destination_carrier: null,
  transit_exception: 'other',
  unknown: null,
  weather_delay: 'delayed',
};

/** Pickup `status`. EasyPost spells the pickup one "canceled"; the two-L spelling is accepted as the same word. */
export const EASYPOST_PICKUP_STATUS_MAP: Readonly<Record<string, PickupStatus>> = {
  unknown: 'unknown',
  scheduled: 'scheduled',
  canceled: 'canceled',
  cancelled: 'canceled',
};

/** Claim `status` (docs.easypost.com/docs/insurance/claims); a partial approval is an approval with a smaller `approvedAmount`. */
export const EASYPOST_CLAIM_STATUS_MAP: Readonly<Record<string, ClaimStatus>> = {
  submitted: 'submitted',
  in_review: 'in_review',
  needs_action: 'needs_action',
  approved: 'approved',
  approved_partial: 'approved',
  rejected: 'rejected',
  cancelled: 'cancelled',
};

export const EASYPOST_CLAIM_TYPE_MAP: Readonly<Record<string, ClaimType>> = {
  damage: 'damage',
  loss: 'loss',
  theft: 'theft',
};

/** Event descriptions EasyPost documents; only tracker and claim ones carry data we map. */
const KNOWN_EVENT_PREFIXES = ['tracker.', 'claim.', 'claims.', 'batch.', 'insurance.', 'payment.', 'refund.', 'report.', 'scan_form.', 'shipment.'];

/** Error codes where EasyPost knows better than the HTTP status. */
export const EASYPOST_ERROR_CODE_MAP: Readonly<Record<string, ErrorClass>> = {
  'ADDRESS.VERIFY.FAILURE': { code: 'address_invalid', retryable: false },
  'ADDRESS.VERIFY.MISSING_STREET': { code: 'address_invalid', retryable: false },
  'ADDRESS.VERIFY.MISSING_CITY_STATE_ZIP': { code: 'address_invalid', retryable: false },
  'ADDRESS.VERIFICATION.FAILURE': { code: 'address_invalid', retryable: false },
  'ADDRESS.VERIFICATION.INVALID': { code: 'address_invalid', retryable: false },
  'ADDRESS.VERIFICATION.NOT_FOUND': { code: 'address_invalid', retryable: false },
  'PICKUP.ADDRESS.INVALID': { code: 'address_invalid', retryable: false },
  // The verifier behind EasyPost was down: the address may be fine.
  'ADDRESS.VERIFY.UNAVAILABLE': { code: 'server_error', retryable: true },
  'ADDRESS.VERIFY.UPSTREAM_UNAVAILABLE': { code: 'server_error', retryable: true },
  'ADDRESS.VERIFY.ONLY_US': { code: 'unsupported', retryable: false },
  'ADDRESS.VERIFY.INTL_NOT_ENABLED': { code: 'unsupported', retryable: false },
  'APIKEY.INACTIVE': { code: 'unauthorized', retryable: false },
  'APIKEY.REQUIRED': { code: 'unauthorized', retryable: false },
};

/** Address-verification failures that are a verdict about the address, not a failed call. */
const ADDRESS_VERDICT_ERROR_CODES = new Set([
  'ADDRESS.VERIFY.FAILURE',
  'ADDRESS.VERIFY.MISSING_STREET',
  'ADDRESS.VERIFY.MISSING_CITY_STATE_ZIP',
  'ADDRESS.VERIFICATION.FAILURE',
  'ADDRESS.VERIFICATION.INVALID',
  'ADDRESS.VERIFICATION.NOT_FOUND',
]);

/** EasyPost amounts are US dollars; the API has no currency field on claims or insurance. */
const EASYPOST_CURRENCY = 'USD';

function malformed(what: string): CarrierError {
  return new CarrierError(CARRIER, 'malformed_response', `EasyPost sent an unexpected ${what}`, true);
}

function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectObject<T>(value: unknown, object: string, required: string[]): T {
  if (!isRecord(value)) throw malformed(`${object} (not an object)`);
  if (value.object !== undefined && value.object !== object) throw malformed(`${object} (got object "${String(value.object)}")`);
  for (const key of required) {
    if (value[key] === undefined) throw malformed(`${object} (no "${key}")`);
  }
  return value as T;
}

const NAIVE_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses every timestamp form EasyPost sends: `Z`, `+00:00`, milliseconds, a bare date, and the
 * zone-less claim timestamps of 2024 (`2024-07-30T16:10:57`), which are UTC.
 */
/**
 * @example
 * ```ts
 * parseEasyPostTime('2024-07-30T16:10:57', 'claim.created_at'); // '2024-07-30T16:10:57.000Z'
 * ```
 */
export function parseEasyPostTime(value: string, field: string): string {
  const text = value.trim();
  const normalised = NAIVE_DATETIME.test(text) ? `${text}Z` : DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text;
  const ms = Date.parse(normalised);
  if (Number.isNaN(ms)) throw malformed(`timestamp in ${field}: "${value}"`);
  return new Date(ms).toISOString();
}

function optionalTime(value: string | null | undefined, field: string): string | null {
  return value === null || value === undefined || value === '' ? null : parseEasyPostTime(value, field);
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Pure EasyPost JSON ⇄ Delivery Desk types. No I/O; unknown enum values go to `unknown` / `other`
 * and are reported through `onUnmappedCode`, never guessed.
 *
 * @example
 * ```ts
 * const mapper = new EasyPostMapper((u) => logger.warn(u, 'unmapped EasyPost code'));
 * const snapshot = mapper.toTrackingSnapshot(trackerJson);
 * ```
 */
export class EasyPostMapper {
  constructor(private readonly onUnmappedCode: UnmappedCodeReporter = warnUnmappedCode) {}

  // ---------------------------------------------------------------- tracking

  toTrackerParams(req: TrackRequest): { tracking_code: string; carrier?: string } {
    return req.carrierHint ? { tracking_code: req.trackingCode, carrier: req.carrierHint } : { tracking_code: req.trackingCode };
  }

  toTrackingSnapshot(json: unknown): TrackingSnapshot {
    const tracker = expectObject<EpTracker>(json, 'Tracker', ['id', 'tracking_code', 'status']);
    const status = this.trackingStatus(tracker.status, 'tracker.status');
    const details = tracker.tracking_details ?? [];
    if (!Array.isArray(details)) throw malformed('Tracker (tracking_details is not a list)');
    const fallbackTime = tracker.created_at ?? tracker.updated_at ?? null;
    const events = this.toTrackingEvents(details, fallbackTime);

    const trackerReason = this.reasonFor(tracker.status_detail, 'tracker.status_detail');
    const latest = events.at(-1);
    const latestReason = latest !== undefined && latest.status === status ? (latest.exceptionReason ?? null) : null;
    const troubled = status === 'exception' || status === 'return_to_sender';
    const exceptionReason: ExceptionReason | null = trackerReason ?? latestReason ?? (troubled ? 'other' : null);

    const delivered = status === 'delivered' ? events.filter((e) => e.status === 'delivered').at(-1) : undefined;
    const signedBy = nonEmpty(tracker.signed_by) ?? null;
    return {
      carrier: CARRIER,
      underlyingCarrier: tracker.carrier ?? null,
      trackingCode: tracker.tracking_code,
      trackerId: tracker.id,
      status,
      exceptionReason,
      events,
      estimatedDeliveryAt:
        optionalTime(tracker.est_delivery_date, 'tracker.est_delivery_date') ?? this.lenientTime(tracker.carrier_detail?.guaranteed_delivery_date),
      deliveredAt: delivered?.occurredAt ?? null,
      signedBy,
      // EasyPost gives no photo or drop location; a signature is all the proof it carries.
      proofOfDelivery: signedBy ? { signedBy } : null,
      publicUrl: tracker.public_url ?? null,
      updatedAt: optionalTime(tracker.updated_at, 'tracker.updated_at'),
    };
  }

  /**
   * Tracking details have no id at EasyPost, so the id is a hash of what identifies a scan (time,
   * codes, message, place); an identical repeat gets a `~n` suffix. `description` is left out on
   * purpose: EasyPost sends it as `""` or `null` for the same scan.
   */
  toTrackingEvents(details: EpTrackingDetail[], fallbackTime: string | null): TrackingEvent[] {
    const seen = new Map<string, number>();
    return details.map((raw) => {
      const detail = expectObject<EpTrackingDetail>(raw, 'TrackingDetail', ['status']);
      const loc = detail.tracking_location ?? null;
      const key = [
        detail.datetime ?? '',
        detail.status ?? '',
        detail.status_detail ?? '',
        detail.carrier_code ?? '',
        detail.message ?? '',
        loc?.city ?? '',
        loc?.state ?? '',
        loc?.zip ?? '',
        loc?.country ?? '',
      ].join('|');
      const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
      const repeat = seen.get(hash) ?? 0;
      seen.set(hash, repeat + 1);

      // A detail without a time (EZ7000000007) is placed when EasyPost first learnt of the tracker.
      const when = detail.datetime ?? fallbackTime;
      if (!when) throw malformed('TrackingDetail (no datetime and no tracker timestamps)');
      const status = this.trackingStatus(detail.status ?? 'unknown', 'tracking_detail.status');
      const reason = this.reasonFor(detail.status_detail, 'tracking_detail.status_detail');
      const hasPlace = loc && (loc.city || loc.state || loc.zip || loc.country);
      return {
        sourceEventId: `ep_${hash}${repeat ? `~${repeat}` : ''}`,
        occurredAt: parseEasyPostTime(when, 'tracking_detail.datetime'),
        status,
        carrierStatus: detail.status ?? 'unknown',
        carrierStatusDetail: detail.status_detail ?? null,
        exceptionReason: reason ?? (status === 'exception' || status === 'return_to_sender' ? 'other' : null),
        message: detail.message ?? detail.description ?? '',
        location: hasPlace ? { city: loc.city, state: loc.state, zip: loc.zip, country: loc.country } : null,
      };
    });
  }

  /**
   * Maps a verified webhook Event. Tracker events carry a snapshot, claim events a claim; anything
   * else comes back with both `null` so the caller can acknowledge and drop it.
   */
  toWebhookEvent(json: unknown): CarrierWebhookEvent {
    const event = expectObject<EpEvent>(json, 'Event', ['id', 'description', 'created_at']);
    const description = String(event.description);
    if (!KNOWN_EVENT_PREFIXES.some((p) => description.startsWith(p))) {
      this.onUnmappedCode({ carrier: CARRIER, field: 'event.description', value: description });
    }
    const result = isRecord(event.result) ? event.result : null;
    const isTracker = result?.object === 'Tracker';
    const isClaim = result?.object === 'Claim';
    return {
      carrier: CARRIER,
      eventId: event.id,
      description,
      occurredAt: parseEasyPostTime(event.created_at, 'event.created_at'),
      snapshot: isTracker ? this.toTrackingSnapshot(result) : null,
      claim: isClaim ? this.toClaim(result) : null,
    };
  }

  // ---------------------------------------------------------------- return labels

  /**
   * EasyPost wants the *outbound* addresses on a return and swaps them itself
   * (docs.easypost.com/docs/shipments/returns): `to_address` is the customer, `from_address` the merchant.
   */
  toReturnShipmentParams(req: ReturnLabelRequest, reference?: string | null): EpShipmentParams {
    const params: EpShipmentParams = {
      to_address: this.toEpAddress(req.from),
      from_address: this.toEpAddress(req.to),
      parcel: {
        weight: req.parcel.weightOz,
        ...(req.parcel.lengthIn !== undefined && { length: req.parcel.lengthIn }),
        ...(req.parcel.widthIn !== undefined && { width: req.parcel.widthIn }),
        ...(req.parcel.heightIn !== undefined && { height: req.parcel.heightIn }),
      },
      is_return: true,
    };
    const ref = reference ?? req.reference;
    if (ref) params.reference = ref;
    return params;
  }

  /** The requested service, or else the cheapest rate. No rates at all means the carriers said no. */
  chooseRate(json: unknown, service?: string | null): EpRate {
    const shipment = expectObject<EpShipment>(json, 'Shipment', ['id', 'rates']);
    if (!Array.isArray(shipment.rates)) throw malformed('Shipment (rates is not a list)');
    if (shipment.rates.length === 0) {
      const why = (shipment.messages ?? []).map((m) => m.message).filter(Boolean).join('; ');
      throw new CarrierError(CARRIER, 'refused', `EasyPost returned no rates${why ? `: ${why}` : ''}`, false);
    }
    const candidates = service ? shipment.rates.filter((r) => r.service.toLowerCase() === service.toLowerCase()) : shipment.rates;
    if (candidates.length === 0) {
      const offered = shipment.rates.map((r) => `${r.carrier} ${r.service}`).join(', ');
      throw new CarrierError(CARRIER, 'invalid_request', `Service "${service}" is not offered for this return; offered: ${offered}`, false);
    }
    return candidates.reduce((best, r) => (this.rateMinor(r) < this.rateMinor(best) ? r : best));
  }

  toReturnLabel(json: unknown): ReturnLabel {
    const shipment = expectObject<EpShipment>(json, 'Shipment', ['id']);
    const rate = shipment.selected_rate;
    const labelUrl = shipment.postage_label?.label_url ?? shipment.postage_label?.label_pdf_url ?? null;
    if (!shipment.tracking_code || !rate || !labelUrl) throw malformed('Shipment (not bought: no tracking code, rate or label)');
    return {
      shipmentId: shipment.id,
      trackingCode: shipment.tracking_code,
      labelUrl,
      carrier: rate.carrier,
      service: rate.service,
      cost: this.money(rate.rate, rate.currency, 'rate.rate'),
    };
  }

  // ---------------------------------------------------------------- pickups

  toPickupParams(req: PickupRequest, reference?: string | null): EpPickupParams {
    if (!req.shipmentId) {
      throw new CarrierError(CARRIER, 'invalid_request', 'EasyPost books a pickup for a shipment: shipmentId is required', false);
    }
    const params: EpPickupParams = {
      address: this.toEpAddress(req.address),
      shipment: { id: req.shipmentId },
      min_datetime: req.windowStart,
      max_datetime: req.windowEnd,
      is_account_address: false,
    };
    if (req.instructions) params.instructions = req.instructions;
    const ref = reference ?? req.reference;
    if (ref) params.reference = ref;
    return params;
  }

  /** The cheapest pickup rate; none means no carrier will come (EasyPost lists why in `messages`). */
  choosePickupRate(json: unknown): EpPickupRate {
    const pickup = expectObject<EpPickup>(json, 'Pickup', ['id', 'pickup_rates']);
    if (!Array.isArray(pickup.pickup_rates)) throw malformed('Pickup (pickup_rates is not a list)');
    if (pickup.pickup_rates.length === 0) {
      const why = (pickup.messages ?? []).map((m) => m.message).filter(Boolean).join('; ');
      throw new CarrierError(CARRIER, 'refused', `No carrier offered this pickup${why ? `: ${why}` : ''}`, false);
    }
    return pickup.pickup_rates.reduce((best, r) => (this.rateMinor(r) < this.rateMinor(best) ? r : best));
  }

  /** `bought` names the rate we bought: the Pickup object itself does not say which one it was. */
  toPickup(json: unknown, bought?: { carrier: string; service: string } | null): Pickup {
    const pickup = expectObject<EpPickup>(json, 'Pickup', ['id', 'status', 'min_datetime', 'max_datetime']);
    const status = lookup(EASYPOST_PICKUP_STATUS_MAP, pickup.status);
    if (status === undefined) this.onUnmappedCode({ carrier: CARRIER, field: 'pickup.status', value: pickup.status });
    const rates = Array.isArray(pickup.pickup_rates) ? pickup.pickup_rates : [];
    const rate = bought
      ? rates.find((r) => r.carrier === bought.carrier && r.service === bought.service)
      : status !== 'unknown' && rates.length === 1
        ? rates[0]
        : undefined;
    return {
      pickupId: pickup.id,
      status: status ?? 'unknown',
      confirmation: pickup.confirmation ?? null,
      windowStart: parseEasyPostTime(pickup.min_datetime, 'pickup.min_datetime'),
      windowEnd: parseEasyPostTime(pickup.max_datetime, 'pickup.max_datetime'),
      cost: rate ? this.money(rate.rate, rate.currency, 'pickup_rate.rate') : null,
      carrier: rate?.carrier ?? bought?.carrier ?? null,
      service: rate?.service ?? bought?.service ?? null,
    };
  }

  // ---------------------------------------------------------------- addresses

  toEpAddress(address: PostalAddress): EpAddressParams {
    const out: EpAddressParams = {
      street1: address.street1,
      city: address.city,
      state: address.state,
      zip: address.zip,
      country: address.country,
    };
    if (address.name) out.name = address.name;
    if (address.company) out.company = address.company;
    if (address.street2) out.street2 = address.street2;
    if (address.phone) out.phone = address.phone;
    if (address.email) out.email = address.email;
    if (address.residential !== undefined) out.residential = address.residential;
    return out;
  }

  /**
   * Reads a verified Address. Contact fields (name, phone, email) are kept from the input: EasyPost
   * upper-cases names and its recordings redact phone and email, and neither is something it verifies.
   */
  toAddressVerdict(input: PostalAddress, json: unknown): AddressVerdict {
    const address = expectObject<EpAddress>(json, 'Address', []);
    const verifications = isRecord(address.verifications) ? address.verifications : {};
    const delivery = 'delivery' in verifications ? verifications.delivery : undefined;
    if (!delivery || typeof delivery.success !== 'boolean') throw malformed('Address (no delivery verification)');
    if (!delivery.success) {
      const zip4 = 'zip4' in verifications ? verifications.zip4 : undefined;
      return { verdict: 'invalid', reasons: this.verificationReasons([...(delivery.errors ?? []), ...(zip4?.errors ?? [])]) };
    }
    const verified: PostalAddress = {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.company !== undefined && { company: input.company }),
      street1: address.street1 ?? input.street1,
      ...(nonEmpty(address.street2) !== undefined && { street2: address.street2 as string }),
      city: address.city ?? input.city,
      state: address.state ?? input.state,
      zip: address.zip ?? input.zip,
      country: address.country ?? input.country,
      ...(input.phone !== undefined && { phone: input.phone }),
      ...(input.email !== undefined && { email: input.email }),
      ...(typeof address.residential === 'boolean' && { residential: address.residential }),
    };
    const changes = addressChanges(input, verified);
    if (changes.length === 0) return { verdict: 'valid', address: verified };
    return { verdict: 'corrected', address: verified, suggestions: [verified], changes };
  }

  /** A 422 from `create_and_verify` is a verdict, not a failure; `null` when the error is something else. */
  addressVerdictFromError(body: EpErrorBody): AddressVerdict | null {
    if (!ADDRESS_VERDICT_ERROR_CODES.has(body.code)) return null;
    const items = (body.errors ?? []).map((e) => (typeof e === 'string' ? { code: body.code, message: e, field: null } : e));
    const reasons = this.verificationReasons(items as { code?: string | null; field?: string | null; message?: string }[]);
    return { verdict: 'invalid', reasons: reasons.length > 0 ? reasons : [{ code: body.code, message: body.message, field: null }] };
  }

  isAddressVerdictError(code: string | null | undefined): boolean {
    return !!code && ADDRESS_VERDICT_ERROR_CODES.has(code);
  }

  // ---------------------------------------------------------------- claims

  toClaimParams(req: ClaimRequest): EpClaimParams {
    if (req.amount.currency !== EASYPOST_CURRENCY) {
      throw new CarrierError(CARRIER, 'invalid_request', `EasyPost claims are in USD, not ${req.amount.currency}`, false);
    }
    const evidence = req.evidence ?? [];
    const of = (kind: 'photo' | 'invoice' | 'supporting') => evidence.filter((e) => e.kind === kind).map((e) => e.url);
    const params: EpClaimParams = {
      type: req.type,
      tracking_code: req.trackingCode,
      amount: moneyToDecimal(req.amount),
      description: req.description,
    };
    if (req.contactEmail) params.contact_email = req.contactEmail;
    const invoices = of('invoice');
    // Photos are supporting documentation to EasyPost, which requires some for damage and theft.
    const supporting = [...of('photo'), ...of('supporting')];
    if (invoices.length) params.invoice_attachments = invoices;
    if (supporting.length) params.supporting_documentation_attachments = supporting;
    return params;
  }

  toClaim(json: unknown): Claim {
    const claim = expectObject<EpClaim>(json, 'Claim', ['id', 'type', 'status', 'created_at']);
    const type = lookup(EASYPOST_CLAIM_TYPE_MAP, claim.type);
    if (type === undefined) {
      // Our ClaimType has no "other": a claim we cannot classify must not be shown as something it is not.
      this.onUnmappedCode({ carrier: CARRIER, field: 'claim.type', value: claim.type });
      // Not retryable: asking again returns the same type.
      throw new CarrierError(CARRIER, 'malformed_response', `EasyPost sent a claim type we do not know: "${claim.type}"`, false);
    }
    const status = lookup(EASYPOST_CLAIM_STATUS_MAP, claim.status);
    if (status === undefined) this.onUnmappedCode({ carrier: CARRIER, field: 'claim.status', value: claim.status });
    const submitted = (claim.history ?? []).filter((h) => h.status === 'submitted').at(-1);
    return {
      claimId: claim.id,
      type,
      status: status ?? 'unknown',
      statusDetail: claim.status_detail ?? null,
      requestedAmount: this.money(claim.requested_amount ?? '0', EASYPOST_CURRENCY, 'claim.requested_amount'),
      approvedAmount: claim.approved_amount === null || claim.approved_amount === undefined ? null : this.money(claim.approved_amount, EASYPOST_CURRENCY, 'claim.approved_amount'),
      submittedAt: parseEasyPostTime(submitted?.timestamp ?? claim.created_at, 'claim.created_at'),
      updatedAt: optionalTime(claim.status_timestamp ?? claim.updated_at, 'claim.updated_at'),
    };
  }

  // ---------------------------------------------------------------- errors

  /**
   * The error envelope `{"error":{"code","message","errors"}}` → one `CarrierError`. The HTTP status
   * decides first; a known EasyPost code refines it.
   */
  toCarrierError(httpStatus: number, body: EpErrorBody, retryAfterMs: number | null = null): CarrierError {
    const byCode = lookup(EASYPOST_ERROR_CODE_MAP, body.code);
    const byStatus = classifyHttpStatus(httpStatus);
    // A 5xx or 429 stays retryable whatever the code says: the code cannot make a busy server idle.
    const cls = byCode && !byStatus.retryable ? byCode : byStatus;
    const items = Array.isArray(body.errors) ? body.errors : [];
    const fieldErrors = items.map((e) =>
      typeof e === 'string' ? { field: '', message: e } : { field: e.field ?? '', message: e.message ?? '' },
    );
    const strings = items.filter((e): e is string => typeof e === 'string');
    const message = strings.length ? `${body.message} (${strings.join('; ')})` : body.message;
    return new CarrierError(CARRIER, cls.code, message, cls.retryable, {
      httpStatus,
      carrierCode: body.code,
      retryAfterMs,
      ...(fieldErrors.length > 0 && { fieldErrors }),
    });
  }

  // ---------------------------------------------------------------- helpers

  private trackingStatus(value: string, field: string): TrackingStatus {
    const status = lookup(EASYPOST_TRACKER_STATUS_MAP, value);
    if (status !== undefined) return status;
    this.onUnmappedCode({ carrier: CARRIER, field, value });
    return 'unknown';
  }

  private reasonFor(detail: string | null | undefined, field: string): ExceptionReason | null {
    if (detail === null || detail === undefined) return null;
    const reason = lookup(EASYPOST_STATUS_DETAIL_MAP, detail);
    if (reason !== undefined) return reason;
    this.onUnmappedCode({ carrier: CARRIER, field, value: detail });
    return null;
  }

  private verificationReasons(errors: { code?: string | null; field?: string | null; message?: string }[]): AddressReason[] {
    const seen = new Set<string>();
    const reasons: AddressReason[] = [];
    for (const e of errors) {
      const reason = { code: e.code ?? 'unknown', message: e.message ?? '', field: e.field ?? null };
      const key = `${reason.code}|${reason.field}|${reason.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      reasons.push(reason);
    }
    return reasons;
  }

  private money(value: string, currency: string, field: string) {
    try {
      return decimalToMoney(value, currency);
    } catch {
      throw malformed(`amount in ${field}: "${value}"`);
    }
  }

  private rateMinor(rate: { rate: string; currency: string }): number {
    return this.money(rate.rate, rate.currency, 'rate').amountMinor;
  }

  private lenientTime(value: string | null | undefined): string | null {
    if (!value) return null;
    const ms = Date.parse(NAIVE_DATETIME.test(value) ? `${value}Z` : value);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  }
}
