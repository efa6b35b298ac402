import { createHash } from 'node:crypto';
import { CarrierError } from '../carrier.error';
import type { ExceptionReason, Money, PostalAddress, ProofOfDelivery, TrackingEvent, TrackingSnapshot, TrackingStatus } from '../carrier.model';
import type {
  AddressVerdict,
  CarrierActionResult,
  InterceptRequest,
  Pickup,
  PickupRequest,
  ReturnLabel,
  ReturnLabelRequest,
} from '../carrier.port';
import { carrierErrorFromHttp, parseRetryAfter } from '../shared/http-error';
import { decimalToMoney } from '../shared/money';
import { warnUnmappedCode, type UnmappedCodeReporter } from '../shared/unmapped-code';
import { resolveUpsStatus, type UpsUnmappedStatus } from './ups.status-map';
import type {
  OneOrMany,
  UpsAddressKeyFormat,
  UpsErrorEnvelope,
  UpsInterceptContact,
  UpsInterceptRequest,
  UpsInterceptResponse,
  UpsPickupCancelResponse,
  UpsPickupCreationRequest,
  UpsPickupCreationResponse,
  UpsShipAddress,
  UpsShipmentRequest,
  UpsShipmentResponse,
  UpsTrackActivity,
  UpsTrackAlertEvent,
  UpsTrackAlertSubscriptionRequest,
  UpsTrackPackage,
  UpsTrackResponse,
  UpsXavRequest,
  UpsXavResponse,
} from './ups.types';

/**
 * Pure UPS ⇄ Delivery Desk mapping: no I/O, no clock, no logger. What the status tables cannot map is
 * reported through an `UnmappedCodeReporter` (the service wires it to its logger); the value itself becomes
 * `unknown`, never a guess.
 */

const CARRIER = 'ups';

/**
 * Reports the codes behind an unmapped status: the description code whenever UPS sent one we lack, and
 * the type and activity code too when nothing mapped. Only enum-like codes, never tracking numbers.
 */
function reportUnmapped(report: UnmappedCodeReporter, unmapped: UpsUnmappedStatus, prefix: 'status' | 'activityStatus'): void {
  const descriptionField = prefix === 'status' ? 'status.statusCode' : 'activityStatus.descriptionCode';
  if (unmapped.descriptionCode !== null) report({ carrier: CARRIER, field: descriptionField, value: unmapped.descriptionCode });
  if (unmapped.fellBackTo === 'none') {
    report({ carrier: CARRIER, field: `${prefix}.type`, value: unmapped.type ?? '' });
    if (unmapped.code !== null) report({ carrier: CARRIER, field: `${prefix}.code`, value: unmapped.code });
  }
}

function asArray<T>(value: OneOrMany<T> | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function blankToNull(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(what: string): CarrierError {
  return new CarrierError(CARRIER, 'malformed_response', `UPS returned an unexpected ${what} body`, true);
}

// ---------------------------------------------------------------------------------------------- money, time

/**
 * UPS sends money as decimal strings ("15.00", "6.5"); we keep integer minor units and never go through a float.
 *
 * @example
 * ```ts
 * upsDecimalToMoney('6.5', 'USD'); // { amountMinor: 650, currency: 'USD' }
 * ```
 */
export function upsDecimalToMoney(value: string | number | null | undefined, currency: string | null | undefined): Money | null {
  if (value === undefined || value === null || !currency) return null;
  try {
    return decimalToMoney(typeof value === 'string' ? value.trim() : value, currency.trim().toUpperCase());
  } catch {
    return null;
  }
}

const DATE_RE = /^(\d{4})(\d{2})(\d{2})$/;

function isoDate(yyyymmdd: string | null | undefined): string | null {
  const match = DATE_RE.exec((yyyymmdd ?? '').trim());
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

function hhmmss(time: string | null | undefined): string | null {
  const digits = (time ?? '').trim();
  // UPS's own Track API example writes 07:47:00 as '74700'.
  if (!/^\d{1,6}$/.test(digits)) return null;
  const padded = digits.padStart(6, '0');
  return `${padded.slice(0, 2)}:${padded.slice(2, 4)}:${padded.slice(4, 6)}`;
}

/**
 * UTC ISO timestamp of a UPS activity. GMT date/time when UPS sends them; else the local time shifted by
 * `gmtOffset`; else the local time read as UTC, because UPS gave no zone and inventing one is worse.
 */
export function upsActivityTimestamp(parts: {
  gmtDate?: string | null;
  gmtTime?: string | null;
  date?: string | null;
  time?: string | null;
  gmtOffset?: string | null;
}): string | null {
  const gmtDay = isoDate(parts.gmtDate);
  const gmtClock = hhmmss(parts.gmtTime);
  if (gmtDay && gmtClock) return new Date(`${gmtDay}T${gmtClock}Z`).toISOString();
  const day = isoDate(parts.date);
  if (!day) return null;
  const clock = hhmmss(parts.time) ?? '00:00:00';
  // Track API writes the offset '-05:00', Track Alert v2 writes '-04.00'.
  const offset = /^([+-])(\d{2})[:.](\d{2})$/.exec((parts.gmtOffset ?? '').trim());
  const suffix = offset ? `${offset[1]}${offset[2]}:${offset[3]}` : 'Z';
  const parsed = new Date(`${day}T${clock}${suffix}`);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

// ---------------------------------------------------------------------------------------------- errors

/** The first `{code, message}` of any UPS error envelope, or null. */
export function readUpsError(body: unknown): { code: string | null; message: string | null } | null {
  if (!isRecord(body)) return null;
  const envelope = body as UpsErrorEnvelope;
  const first = envelope.response?.errors?.[0] ?? envelope.errors?.[0];
  if (!first) return null;
  return { code: blankToNull(first.code ?? null), message: blankToNull(first.message ?? null) };
}

/**
 * Turns a non-2xx UPS answer into the one `CarrierError` (status classes from `shared/http-error`: 408/429/5xx
 * retryable, other 4xx not), keeping UPS's own error code.
 *
 * @example
 * ```ts
 * mapUpsHttpError(400, { response: { errors: [{ code: 'TV1002', message: 'Invalid inquiry number' }] } }, null, Date.now());
 * // CarrierError { code: 'invalid_request', retryable: false, details: { httpStatus: 400, carrierCode: 'TV1002' } }
 * ```
 */
export function mapUpsHttpError(httpStatus: number, body: unknown, retryAfterHeader: string | null | undefined, nowMs: number): CarrierError {
  const upsError = readUpsError(body);
  const detail = upsError ? `${upsError.code ?? '?'} ${upsError.message ?? ''}`.trim() : 'no UPS error envelope';
  return carrierErrorFromHttp(CARRIER, httpStatus, `UPS HTTP ${httpStatus}: ${detail}`, {
    carrierCode: upsError?.code ?? null,
    retryAfterMs: parseRetryAfter(retryAfterHeader, new Date(nowMs)),
  });
}

// ---------------------------------------------------------------------------------------------- tracking

/** UPS's public tracking page for a 1Z number. */
export function upsPublicTrackingUrl(trackingCode: string): string {
  return `https://www.ups.com/track?loc=en_US&tracknum=${encodeURIComponent(trackingCode)}`;
}

/**
 * Delivery photos arrive as base64 with no declared format; we sniff the magic bytes so the data URI is usable.
 * The port's `photoUrl` is a URL, and UPS offers none, so a data URI is the honest carrier of the image.
 */
export function upsPhotoDataUri(base64: string | null | undefined): string | null {
  const data = blankToNull(base64);
  // UPS's own schema example fills the field with the placeholder "encoding Base64".
  if (!data || data.toLowerCase().startsWith('encoding')) return null;
  const mime = data.startsWith('/9j/')
    ? 'image/jpeg'
    : data.startsWith('iVBOR')
      ? 'image/png'
      : data.startsWith('R0lGOD')
        ? 'image/gif'
        : 'application/octet-stream';
  return `data:${mime};base64,${data}`;
}

/**
 * UPS has no event ids. The id hashes what both the Track API and Track Alert send for the same scan
 * (number, UTC time, type, code) and not the description text, which UPS words differently in each.
 */
export function upsEventId(trackingCode: string, occurredAt: string, type: string | null, code: string | null): string {
  const digest = createHash('sha256')
    .update([trackingCode.toUpperCase(), occurredAt, type ?? '', code ?? ''].join('|'))
    .digest('hex');
  return `ups_${digest.slice(0, 32)}`;
}

function mapActivity(activity: UpsTrackActivity, trackingCode: string, report: UnmappedCodeReporter): TrackingEvent | null {
  const occurredAt = upsActivityTimestamp(activity);
  if (!occurredAt) return null;
  const status = activity.status ?? {};
  const resolved = resolveUpsStatus({ type: status.type, code: status.code, descriptionCode: status.statusCode });
  if (resolved.unmapped) reportUnmapped(report, resolved.unmapped, 'status');
  const address = activity.location?.address;
  return {
    sourceEventId: upsEventId(trackingCode, occurredAt, blankToNull(status.type), blankToNull(status.code)),
    occurredAt,
    status: resolved.status,
    carrierStatus: [blankToNull(status.type), blankToNull(status.code)].filter(Boolean).join(':') || 'unknown',
    carrierStatusDetail: blankToNull(status.statusCode),
    exceptionReason: resolved.exceptionReason,
    message: blankToNull(status.description) ?? blankToNull(status.simplifiedTextDescription) ?? '',
    location: address
      ? {
          city: blankToNull(address.city),
          state: blankToNull(address.stateProvince),
          zip: blankToNull(address.postalCode),
          country: blankToNull(address.countryCode) ?? blankToNull(address.country),
        }
      : null,
  };
}

function pickDeliveryDate(pkg: UpsTrackPackage, types: string[]): string | null {
  const dates = asArray(pkg.deliveryDate);
  for (const type of types) {
    const hit = dates.find((d) => (d.type ?? '').toUpperCase() === type);
    const day = isoDate(hit?.date);
    if (day) return day;
  }
  return null;
}

function proofOfDelivery(pkg: UpsTrackPackage): ProofOfDelivery | null {
  const info = pkg.deliveryInformation;
  if (!info) return null;
  const proof: ProofOfDelivery = {
    signedBy: blankToNull(info.receivedBy),
    photoUrl: upsPhotoDataUri(info.deliveryPhoto?.photo),
    leftAt: blankToNull(info.location),
    coordinates: null,
  };
  return proof.signedBy || proof.photoUrl || proof.leftAt ? proof : null;
}

/**
 * Maps a Track API response to a snapshot. UPS answers an unknown number with HTTP 200 and warning
 * `TW0001` (UPS-API/api-documentation issues #102 and #166), not the documented 404: both become `not_found`.
 *
 * @example
 * ```ts
 * const snap = mapUpsTrackResponse(body, '1Z023E2X0214323462', (u) => logger.warn(u, 'unmapped UPS code'));
 * snap.status; // 'delivered'
 * ```
 */
export function mapUpsTrackResponse(body: unknown, requestedCode: string, report: UnmappedCodeReporter = warnUnmappedCode): TrackingSnapshot {
  if (!isRecord(body) || !isRecord((body as UpsTrackResponse).trackResponse)) throw malformed('tracking');
  const shipments = asArray((body as UpsTrackResponse).trackResponse!.shipment);
  const shipment = shipments[0];
  if (!shipment) throw malformed('tracking');
  const pkg = asArray(shipment.package)[0];
  if (!pkg) {
    const warning = shipment.warnings?.[0];
    throw new CarrierError(
      CARRIER,
      'not_found',
      `UPS has no tracking for ${requestedCode}: ${warning?.code ?? ''} ${warning?.message ?? ''}`.trim(),
      false,
      { httpStatus: 200, carrierCode: warning?.code ?? null },
    );
  }

  const trackingCode = blankToNull(pkg.trackingNumber) ?? requestedCode;
  // currentStatus usually repeats the latest scan: one report per distinct code is enough.
  const seen = new Set<string>();
  const reportOnce: UnmappedCodeReporter = (u) => {
    const key = `${u.field}=${u.value}`;
    if (!seen.has(key)) {
      seen.add(key);
      report(u);
    }
  };
  const events = asArray(pkg.activity)
    .map((a) => mapActivity(a, trackingCode, reportOnce))
    .filter((e): e is TrackingEvent => e !== null)
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  const latest = events.at(-1) ?? null;

  let status: TrackingStatus = latest?.status ?? 'unknown';
  let exceptionReason: ExceptionReason | null = latest?.exceptionReason ?? null;
  const current = pkg.currentStatus;
  if (current && (blankToNull(current.type) || blankToNull(current.statusCode) || blankToNull(current.code))) {
    const resolved = resolveUpsStatus({ type: current.type, code: current.code, descriptionCode: current.statusCode });
    if (resolved.unmapped) reportUnmapped(reportOnce, resolved.unmapped, 'status');
    status = resolved.status;
    exceptionReason = resolved.exceptionReason;
  }

  const deliveredEvent = [...events].reverse().find((e) => e.status === 'delivered');
  const proof = proofOfDelivery(pkg);
  return {
    carrier: 'ups',
    underlyingCarrier: null,
    trackingCode,
    trackerId: null,
    status,
    exceptionReason: status === 'exception' || status === 'return_to_sender' ? exceptionReason : null,
    events,
    // UPS gives the scheduled (SDD) or rescheduled (RDD) date in the ship-to's local calendar, without a
    // zone; a date-only ISO value keeps exactly what UPS said.
    estimatedDeliveryAt: pickDeliveryDate(pkg, ['RDD', 'SDD']),
    deliveredAt: status === 'delivered' ? (deliveredEvent?.occurredAt ?? pickDeliveryDate(pkg, ['DEL'])) : null,
    signedBy: proof?.signedBy ?? null,
    proofOfDelivery: proof,
    publicUrl: upsPublicTrackingUrl(trackingCode),
    updatedAt: latest?.occurredAt ?? null,
  };
}

// ---------------------------------------------------------------------------------------------- Track Alert

/** One Track Alert push, in our types. */
export interface UpsTrackAlertUpdate {
  trackingCode: string;
  event: TrackingEvent;
  status: TrackingStatus;
  exceptionReason: ExceptionReason | null;
  /** Scheduled delivery date (local calendar date, YYYY-MM-DD) when UPS sent one. */
  estimatedDeliveryAt: string | null;
  deliveredAt: string | null;
  proofOfDelivery: ProofOfDelivery | null;
}

/**
 * Maps a Track Alert webhook body (`TrackingEventRequest`). Throws `invalid_request` when the two fields
 * UPS marks required (`trackingNumber`, `activityStatus`) are missing or no timestamp can be read.
 *
 * @example
 * ```ts
 * const update = mapUpsTrackAlertEvent(JSON.parse(rawBody), (u) => logger.warn(u, 'unmapped UPS code'));
 * update.status; // 'out_for_delivery'
 * ```
 */
export function mapUpsTrackAlertEvent(body: unknown, report: UnmappedCodeReporter = warnUnmappedCode): UpsTrackAlertUpdate {
  if (!isRecord(body)) throw new CarrierError(CARRIER, 'invalid_request', 'Track Alert body is not a JSON object', false);
  const payload = body as UpsTrackAlertEvent;
  // UPS's own manifest example carries " 1ZABCXYZ0112346789" with a leading space.
  const trackingCode = blankToNull(payload.trackingNumber)?.toUpperCase() ?? null;
  const activity = payload.activityStatus;
  if (!trackingCode || !isRecord(activity)) {
    throw new CarrierError(CARRIER, 'invalid_request', 'Track Alert body lacks trackingNumber or activityStatus', false);
  }
  const occurredAt = upsActivityTimestamp({
    gmtDate: payload.gmtActivityDate,
    gmtTime: payload.gmtActivityTime,
    date: payload.localActivityDate,
    time: payload.localActivityTime,
    gmtOffset: payload.gmtOffset,
  });
  if (!occurredAt) throw new CarrierError(CARRIER, 'invalid_request', 'Track Alert body has no readable activity date', false);

  const descriptionCode = activity.descriptionCode === undefined ? null : String(activity.descriptionCode);
  const resolved = resolveUpsStatus({ type: activity.type, code: activity.code, descriptionCode });
  if (resolved.unmapped) reportUnmapped(report, resolved.unmapped, 'activityStatus');
  const location = payload.activityLocation;
  const event: TrackingEvent = {
    sourceEventId: upsEventId(trackingCode, occurredAt, blankToNull(activity.type), blankToNull(activity.code)),
    occurredAt,
    status: resolved.status,
    carrierStatus: [blankToNull(activity.type), blankToNull(activity.code)].filter(Boolean).join(':') || 'unknown',
    carrierStatusDetail: blankToNull(descriptionCode),
    exceptionReason: resolved.exceptionReason,
    message: blankToNull(activity.description) ?? '',
    location: location
      ? {
          city: blankToNull(location.city),
          state: blankToNull(location.stateProvince),
          zip: blankToNull(location.postalCode),
          country: blankToNull(location.country),
        }
      : null,
  };
  const photoUrl = upsPhotoDataUri(payload.deliveryPhoto);
  const signedBy = blankToNull(payload.receivedBy);
  const deliveredAt =
    resolved.status === 'delivered'
      ? (upsActivityTimestamp({ date: payload.actualDeliveryDate, time: payload.actualDeliveryTime, gmtOffset: payload.gmtOffset }) ?? occurredAt)
      : null;
  return {
    trackingCode,
    event,
    status: resolved.status,
    exceptionReason: resolved.exceptionReason,
    estimatedDeliveryAt: isoDate(payload.scheduledDeliveryDate),
    deliveredAt,
    proofOfDelivery: photoUrl || signedBy ? { signedBy, photoUrl, leftAt: null, coordinates: null } : null,
  };
}

/** Body of `POST /api/track/v1/subscription/{standard|enhanced}/package` (Track Alert v1, with destination). */
export function toUpsTrackAlertSubscription(trackingCodes: string[], destination: { url: string; credential: string }): UpsTrackAlertSubscriptionRequest {
  return {
    locale: 'en_US',
    countryCode: 'US',
    trackingNumberList: trackingCodes,
    // UPS calls `credentialType` "an open-entry field"; it echoes only `credential` back, in a header.
    destination: { url: destination.url, credentialType: 'Bearer', credential: destination.credential },
  };
}

// ---------------------------------------------------------------------------------------------- shared request bits

function invalid(message: string, field?: string): CarrierError {
  return new CarrierError(CARRIER, 'invalid_request', message, false, field ? { fieldErrors: [{ field, message }] } : {});
}

/** E.164-ish phone as the Delivery Intercept schema wants (`^(\+)[0-9]{1,13}$`); US 10-digit numbers get +1. */
export function upsInterceptPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/[^\d]/g, '');
  if (phone.trim().startsWith('+') && digits.length >= 1 && digits.length <= 13) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return null;
}

function truncate(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}

function splitZip(zip: string): { primary: string; extended: string | null } {
  const [primary, extended] = zip.trim().split('-');
  return { primary: primary ?? '', extended: blankToNull(extended ?? null) };
}

// ---------------------------------------------------------------------------------------------- pickup

/** Wall-clock parts of an ISO 8601 time as written (UPS wants the pickup location's local date and time). */
function wallClock(iso: string, field: string): { date: string; hhmm: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!match) throw invalid(`${field} must be ISO 8601 local time at the pickup address`, field);
  return { date: `${match[1]}${match[2]}${match[3]}`, hhmm: `${match[4]}${match[5]}` };
}

export interface UpsPickupContext {
  accountNumber: string;
  accountCountryCode: string;
  /** UPS pickup service code (3 digits). '003' is UPS Ground, karrio's US domestic default. */
  serviceCode: string;
}

/**
 * Builds a `PickupCreationRequest`. The window's wall-clock digits are sent as written, so callers pass the
 * pickup address's local time (`2025-06-03T09:00:00-04:00`), as UPS documents ReadyTime/CloseTime.
 *
 * @example
 * ```ts
 * toUpsPickupRequest({ address, windowStart: '2030-06-03T09:00:00-07:00', windowEnd: '2030-06-03T17:00:00-07:00' },
 *   { accountNumber: 'A1B2C3', accountCountryCode: 'US', serviceCode: '003' }).PickupCreationRequest.PickupDateInfo;
 * // { PickupDate: '20300603', ReadyTime: '0900', CloseTime: '1700' }
 * ```
 */
export function toUpsPickupRequest(req: PickupRequest, ctx: UpsPickupContext): UpsPickupCreationRequest {
  const start = wallClock(req.windowStart, 'windowStart');
  const end = wallClock(req.windowEnd, 'windowEnd');
  if (start.date !== end.date) throw invalid('UPS books a pickup within one day: windowStart and windowEnd must share a date', 'windowEnd');
  const address = req.address;
  if (!address.phone) throw invalid('UPS requires a phone number at the pickup address', 'address.phone');
  const company = address.company ?? address.name;
  const contact = address.name ?? address.company;
  if (!company || !contact) throw invalid('UPS requires a company or contact name at the pickup address', 'address.name');
  const trackingCodes = req.trackingCodes ?? [];
  return {
    PickupCreationRequest: {
      Request: { TransactionReference: req.reference ? { CustomerContext: truncate(req.reference, 512) } : undefined },
      RatePickupIndicator: 'Y',
      Shipper: { Account: { AccountNumber: ctx.accountNumber, AccountCountryCode: ctx.accountCountryCode } },
      PickupDateInfo: { PickupDate: start.date, ReadyTime: start.hhmm, CloseTime: end.hhmm },
      PickupAddress: {
        CompanyName: truncate(company, 27),
        ContactName: truncate(contact, 22),
        // "For Jan. 2010 release, only one AddressLine is allowed."
        AddressLine: [truncate([address.street1, address.street2].filter(Boolean).join(' '), 73)],
        City: address.city,
        StateProvince: address.state,
        PostalCode: address.zip,
        CountryCode: address.country,
        // Return pickups are mostly from homes; UPS's own default (N) would misprice them.
        ResidentialIndicator: address.residential === false ? 'N' : 'Y',
        Phone: { Number: address.phone },
      },
      AlternateAddressIndicator: 'Y',
      PickupPiece: [
        {
          ServiceCode: ctx.serviceCode,
          Quantity: String(Math.max(1, trackingCodes.length)),
          DestinationCountryCode: address.country,
          ContainerCode: '01',
        },
      ],
      OverweightIndicator: 'N',
      TrackingData: trackingCodes.length > 0 ? trackingCodes.slice(0, 30).map((n) => ({ TrackingNumber: n })) : undefined,
      PaymentMethod: '01',
      SpecialInstruction: req.instructions ? truncate(req.instructions, 57) : undefined,
      ReferenceNumber: req.reference ? truncate(req.reference, 35) : undefined,
    },
  };
}

/** Maps a `PickupCreationResponse`: the PRN is the pickup id UPS cancels by. */
export function mapUpsPickupCreated(body: unknown, req: PickupRequest): Pickup {
  const response = isRecord(body) ? (body as UpsPickupCreationResponse).PickupCreationResponse : undefined;
  const prn = blankToNull(response?.PRN ?? null);
  if (!response || !prn) throw malformed('pickup creation');
  const rate = response.RateResult;
  return {
    pickupId: prn,
    status: 'scheduled',
    confirmation: prn,
    windowStart: req.windowStart,
    windowEnd: req.windowEnd,
    cost: upsDecimalToMoney(rate?.GrandTotalOfAllCharge, rate?.CurrencyCode),
    carrier: 'UPS',
    service: null,
  };
}

/**
 * Maps a `PickupCancelResponse`. UPS echoes no pickup window on cancel, so the window fields are empty
 * strings: the caller still holds the window it booked.
 */
export function mapUpsPickupCancelled(body: unknown, pickupId: string): Pickup {
  const response = isRecord(body) ? (body as UpsPickupCancelResponse).PickupCancelResponse : undefined;
  if (response?.Response?.ResponseStatus?.Code !== '1') throw malformed('pickup cancel');
  return { pickupId, status: 'canceled', confirmation: pickupId, windowStart: '', windowEnd: '', cost: null, carrier: 'UPS', service: null };
}

// ---------------------------------------------------------------------------------------------- address validation

/** Builds an XAV request (request option 3: validation plus residential/commercial classification). */
export function toUpsXavRequest(address: PostalAddress): UpsXavRequest {
  const zip = splitZip(address.zip);
  return {
    XAVRequest: {
      Request: { RequestOption: '3' },
      AddressKeyFormat: {
        ConsigneeName: address.company ?? address.name,
        AddressLine: [address.street1, address.street2].filter((l): l is string => Boolean(l)),
        PoliticalDivision2: address.city,
        PoliticalDivision1: address.state,
        PostcodePrimaryLow: zip.primary,
        PostcodeExtendedLow: zip.extended ?? undefined,
        CountryCode: address.country,
      },
    },
  };
}

function candidateToAddress(candidate: UpsAddressKeyFormat, classification: string | undefined, input: PostalAddress): PostalAddress {
  const lines = asArray(candidate.AddressLine).map((l) => l.trim()).filter(Boolean);
  const primary = blankToNull(candidate.PostcodePrimaryLow ?? null);
  const extended = blankToNull(candidate.PostcodeExtendedLow ?? null);
  const residential = classification === '2' ? true : classification === '1' ? false : input.residential;
  return {
    ...input,
    street1: lines[0] ?? input.street1,
    street2: lines.length > 1 ? lines.slice(1).join(' ') : undefined,
    city: blankToNull(candidate.PoliticalDivision2 ?? null) ?? input.city,
    state: blankToNull(candidate.PoliticalDivision1 ?? null) ?? input.state,
    zip: primary ? (extended ? `${primary}-${extended}` : primary) : input.zip,
    country: blankToNull(candidate.CountryCode ?? null) ?? input.country,
    ...(residential === undefined ? {} : { residential }),
  };
}

const COMPARED_FIELDS = ['street1', 'street2', 'city', 'state', 'zip', 'country'] as const;

function changedFields(input: PostalAddress, suggestion: PostalAddress): string[] {
  const norm = (v: string | undefined) => (v ?? '').trim().toUpperCase();
  return COMPARED_FIELDS.filter((f) => norm(input[f]) !== norm(suggestion[f]));
}

/**
 * Maps an XAV response: `ValidAddressIndicator` → valid (standardised by UPS), `AmbiguousAddressIndicator` →
 * corrected with every candidate, `NoCandidatesIndicator` → invalid. The indicators are empty strings whose
 * presence is the signal.
 *
 * @example
 * ```ts
 * mapUpsXavResponse({ XAVResponse: { NoCandidatesIndicator: '' } }, address);
 * // { verdict: 'invalid', reasons: [{ code: 'no_candidates', ... }] }
 * ```
 */
export function mapUpsXavResponse(body: unknown, input: PostalAddress): AddressVerdict {
  const xav = isRecord(body) ? (body as UpsXavResponse).XAVResponse : undefined;
  if (!xav) throw malformed('address validation');
  const candidates = asArray(xav.Candidate)
    .filter((c) => c.AddressKeyFormat)
    .map((c) => candidateToAddress(c.AddressKeyFormat!, c.AddressClassification?.Code ?? xav.AddressClassification?.Code, input));

  if ('NoCandidatesIndicator' in xav) {
    return { verdict: 'invalid', reasons: [{ code: 'no_candidates', message: 'UPS found no address matching the input', field: null }] };
  }
  if ('ValidAddressIndicator' in xav) {
    return { verdict: 'valid', address: candidates[0] ?? input };
  }
  if ('AmbiguousAddressIndicator' in xav) {
    if (candidates.length === 0) {
      return { verdict: 'invalid', reasons: [{ code: 'ambiguous_without_candidates', message: 'UPS found the address ambiguous and offered no candidate', field: null }] };
    }
    return { verdict: 'corrected', address: candidates[0]!, suggestions: candidates, changes: changedFields(input, candidates[0]!) };
  }
  throw malformed('address validation');
}

// ---------------------------------------------------------------------------------------------- delivery intercept

export type UpsInterceptKind = InterceptRequest['kind'] | 'will_call';

export interface UpsInterceptContext {
  /** `transactionId` in the body; UPS caps it at 14 characters. */
  transactionId: string;
  /** Required by `MyChoiceCommonRequest`: the IP of the remote client (our service's egress IP). */
  clientIp: string;
  requester: UpsInterceptContact;
  /** Return-to-sender reason; `KV` "OTHER NON-DELIVERY" unless the merchant configures another. */
  returnReason: string;
  locale: string;
}

/** The request type UPS lists for each intercept (`MyChoiceCommonRequest.requestType`). */
const REQUEST_TYPE: Record<UpsInterceptKind, string> = {
  redirect: 'AA', // ALTERNATE_ADDRESS
  return_to_sender: 'RS', // RETURN_TO_SENDER
  reschedule: 'FD', // FUTURE_DELIVERY
  will_call: 'WC', // WILL_CALL
};

/** Path segment under `/api/deliveryintercept/v2/` for each intercept. */
export const UPS_INTERCEPT_PATH: Record<UpsInterceptKind, string> = {
  redirect: 'redirect/address',
  return_to_sender: 'return',
  reschedule: 'reschedule',
  will_call: 'willcall',
};

/** Builds the Delivery Intercept body for redirect, return to sender, reschedule or will-call. */
export function toUpsInterceptRequest(
  kind: UpsInterceptKind,
  req: { trackingCode: string; newAddress?: PostalAddress | null; deliveryDate?: string | null },
  ctx: UpsInterceptContext,
): UpsInterceptRequest {
  const telephone = upsInterceptPhone(ctx.requester.telephone);
  if (!telephone) throw invalid('UPS Delivery Intercept needs the requester telephone as +<digits>', 'requester.telephone');
  const body: UpsInterceptRequest = {
    transactionId: ctx.transactionId,
    loc: ctx.locale,
    clientIP: ctx.clientIp,
    trackingNumber: req.trackingCode.trim().toUpperCase(),
    requestType: REQUEST_TYPE[kind],
    requesterContactInfo: { ...ctx.requester, telephone },
  };
  if (kind === 'redirect') {
    const address = req.newAddress;
    if (!address) throw invalid('A redirect needs the new address', 'newAddress');
    const phone = upsInterceptPhone(address.phone);
    body.newDeliveryAddress = {
      addressInfo: {
        addressLine1: truncate(address.street1, 50),
        addressLine2: address.street2 ? truncate(address.street2, 35) : undefined,
        city: truncate(address.city, 30),
        state: address.state,
        postalCode: address.zip,
        countryCode: address.country,
        fullName: address.name,
        phoneNumber: phone ?? undefined,
      },
      nameOrCompanyName: address.company ?? address.name ?? '',
      contactName: address.name,
      phoneNumber: phone ?? undefined,
      emailAddress: address.email,
    };
  }
  if (kind === 'reschedule') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(req.deliveryDate ?? '');
    if (!match) throw invalid('A reschedule needs deliveryDate as YYYY-MM-DD', 'deliveryDate');
    body.deliveryDate = `${match[1]}${match[2]}${match[3]}`;
  }
  if (kind === 'return_to_sender') body.reasonForReturn = ctx.returnReason;
  return body;
}

function formatLocation(location: UpsInterceptResponse['upsLocation']): string | null {
  if (!location) return null;
  const a = location.storeAddress;
  const parts = [
    blankToNull(location.name ?? null),
    blankToNull(a?.addressLine1 ?? null),
    blankToNull(a?.addressLine2 ?? null),
    blankToNull(a?.city ?? null),
    [blankToNull(a?.state ?? null), blankToNull(a?.postalCode ?? null)].filter(Boolean).join(' ') || null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : null;
}

/**
 * Maps an intercept answer. HTTP 200 with `success: true` is accepted, with the fee UPS quotes in
 * `chargeInfo` (total, else the flat intercept charge); HTTP 200 with `success: false` is UPS refusing,
 * with its `errors[].errorCode/errorMessage` as the reason. UPS charges only if it completes the intercept.
 * A non-200 answer never reaches this function: the client turns it into a `CarrierError`.
 *
 * @example
 * ```ts
 * mapUpsInterceptResponse({ success: true, transactionId: 'ASR1212', chargeInfo: [{ chargeCurrency: 'USD', totalCharge: '5.00' }] });
 * // { outcome: 'accepted', reference: 'ASR1212', fee: { amountMinor: 500, currency: 'USD' }, holdUntil: null, location: null }
 * ```
 */
export function mapUpsInterceptResponse(body: unknown): CarrierActionResult {
  if (!isRecord(body) || typeof (body as UpsInterceptResponse).success !== 'boolean') throw malformed('delivery intercept');
  const response = body as UpsInterceptResponse;
  if (!response.success) {
    const first = response.errors?.[0];
    return {
      outcome: 'refused',
      reason: blankToNull(first?.errorMessage ?? null) ?? blankToNull(response.statusMsg ?? null) ?? 'UPS refused the intercept',
      code: blankToNull(first?.errorCode ?? null) ?? blankToNull(response.subStatusCode ?? null) ?? blankToNull(response.statusCode ?? null),
    };
  }
  const charge = asArray(response.chargeInfo).find((c) => c.totalCharge ?? c.interceptCharge);
  return {
    outcome: 'accepted',
    reference: blankToNull(response.transactionId ?? null),
    fee: charge ? upsDecimalToMoney(charge.totalCharge ?? charge.interceptCharge, charge.chargeCurrency) : null,
    // UPS returns no hold-until date; its exception text for will-call says "within 5 business days".
    holdUntil: null,
    location: formatLocation(response.upsLocation),
  };
}

// ---------------------------------------------------------------------------------------------- return label

export interface UpsReturnLabelContext {
  accountNumber: string;
  /** UPS service code, '03' Ground by default. */
  serviceCode: string;
  /** ReturnService code: '9' UPS Print Return Label (PRL), the label comes back in the response. */
  returnServiceCode: string;
  labelFormat: 'GIF' | 'PNG';
}

function shipAddress(address: PostalAddress): UpsShipAddress {
  return {
    AddressLine: [address.street1, address.street2].filter((l): l is string => Boolean(l)),
    City: address.city,
    StateProvinceCode: address.state,
    PostalCode: address.zip,
    CountryCode: address.country,
    ...(address.residential ? { ResidentialAddressIndicator: '' } : {}),
  };
}

function party(address: PostalAddress) {
  const name = address.company ?? address.name;
  if (!name) throw invalid('UPS needs a name or company on every shipment party', 'address.name');
  return {
    Name: truncate(name, 35),
    AttentionName: address.name ? truncate(address.name, 35) : undefined,
    Phone: address.phone ? { Number: address.phone } : undefined,
    EMailAddress: address.email,
    Address: shipAddress(address),
  };
}

/**
 * Builds a `ShipmentRequest` with `ReturnService`: the merchant's account is Shipper and bill-to, the
 * customer is ShipFrom, the merchant's returns address is ShipTo.
 */
export function toUpsReturnShipmentRequest(req: ReturnLabelRequest, ctx: UpsReturnLabelContext): UpsShipmentRequest {
  // One decimal place of pounds is what UPS accepts; round up so the label is never under-declared.
  const pounds = Math.max(0.1, Math.ceil((req.parcel.weightOz / 16) * 10) / 10);
  const { lengthIn, widthIn, heightIn } = req.parcel;
  const description = truncate(req.reference ? `Return ${req.reference}` : 'Customer return', 35);
  return {
    ShipmentRequest: {
      Request: { RequestOption: 'nonvalidate', TransactionReference: req.reference ? { CustomerContext: truncate(req.reference, 512) } : undefined },
      Shipment: {
        Description: description,
        ReturnService: { Code: ctx.returnServiceCode },
        Shipper: { ...party(req.to), ShipperNumber: ctx.accountNumber },
        ShipTo: party(req.to),
        ShipFrom: party(req.from),
        PaymentInformation: { ShipmentCharge: [{ Type: '01', BillShipper: { AccountNumber: ctx.accountNumber } }] },
        Service: { Code: req.service ?? ctx.serviceCode },
        Package: {
          // UPS requires a merchandise description on every return package.
          Description: description,
          Packaging: { Code: '02' },
          ...(lengthIn && widthIn && heightIn
            ? { Dimensions: { UnitOfMeasurement: { Code: 'IN' }, Length: String(Math.ceil(lengthIn)), Width: String(Math.ceil(widthIn)), Height: String(Math.ceil(heightIn)) } }
            : {}),
          PackageWeight: { UnitOfMeasurement: { Code: 'LBS' }, Weight: pounds.toFixed(1) },
        },
      },
      LabelSpecification: { LabelImageFormat: { Code: ctx.labelFormat } },
    },
  };
}

const LABEL_MIME: Record<string, string> = { GIF: 'image/gif', PNG: 'image/png' };

/**
 * Maps a `ShipmentResponse`. UPS returns the label as base64 (`GraphicImage`), never a URL, so `labelUrl`
 * is a data URI. Negotiated charges win over published ones: they are what the merchant pays.
 */
export function mapUpsReturnShipment(body: unknown, service: string): ReturnLabel {
  const results = isRecord(body) ? (body as UpsShipmentResponse).ShipmentResponse?.ShipmentResults : undefined;
  const pkg = asArray(results?.PackageResults)[0];
  const trackingCode = blankToNull(pkg?.TrackingNumber ?? null);
  const image = blankToNull(pkg?.ShippingLabel?.GraphicImage ?? null);
  const total = results?.NegotiatedRateCharges?.TotalCharge ?? results?.ShipmentCharges?.TotalCharges;
  const cost = upsDecimalToMoney(total?.MonetaryValue, total?.CurrencyCode);
  if (!results || !trackingCode || !image || !cost) throw malformed('return shipment');
  const format = (pkg?.ShippingLabel?.ImageFormat?.Code ?? 'GIF').toUpperCase();
  return {
    shipmentId: blankToNull(results.ShipmentIdentificationNumber ?? null) ?? trackingCode,
    trackingCode,
    labelUrl: `data:${LABEL_MIME[format] ?? 'application/octet-stream'};base64,${image}`,
    carrier: 'UPS',
    service,
    cost,
  };
}
