import type { CarrierCode, Money, PostalAddress, TrackingSnapshot } from './carrier.model';

/** What an adapter can do. Playbooks only offer actions whose capability is `true`. */
export interface CarrierCapabilities {
  track: boolean;
  webhook: boolean;
  returnLabel: boolean;
  pickup: boolean;
  addressVerify: boolean;
  claim: boolean;
  intercept: boolean;
  hold: boolean;
}

/** Every call can carry an idempotency key; adapters pass it to carriers that honour one. */
export interface CallOptions {
  idempotencyKey?: string;
  /** Per-call timeout in ms; the adapter default applies otherwise. */
  timeoutMs?: number;
}

export interface TrackRequest {
  trackingCode: string;
  /** The underlying carrier name when known (EasyPost needs it for real codes, e.g. "USPS"). */
  carrierHint?: string | null;
  /** An existing tracker id, so the adapter can refresh instead of create. */
  trackerId?: string | null;
}

export interface ReturnLabelRequest {
  /** Where the parcel is picked up (the customer). */
  from: PostalAddress;
  /** Where it goes back to (the merchant's ship-from / returns address). */
  to: PostalAddress;
  parcel: { weightOz: number; lengthIn?: number; widthIn?: number; heightIn?: number };
  /** Original outbound shipment at the carrier, when the carrier links returns to it. */
  originalShipmentId?: string | null;
  service?: string | null;
  reference?: string | null;
}

export interface ReturnLabel {
  shipmentId: string;
  trackingCode: string;
  labelUrl: string;
  carrier: string;
  service: string;
  cost: Money;
}

export interface PickupRequest {
  address: PostalAddress;
  /** Shipment the pickup is for (e.g. the return shipment). */
  shipmentId?: string | null;
  trackingCodes?: string[];
  /** Earliest and latest pickup time, ISO 8601. */
  windowStart: string;
  windowEnd: string;
  instructions?: string | null;
  reference?: string | null;
}

export type PickupStatus = 'unknown' | 'scheduled' | 'canceled';

export interface Pickup {
  pickupId: string;
  status: PickupStatus;
  confirmation?: string | null;
  windowStart: string;
  windowEnd: string;
  cost?: Money | null;
  carrier?: string | null;
  service?: string | null;
}

export type AddressVerdict =
  | { verdict: 'valid'; address: PostalAddress }
  | { verdict: 'corrected'; address: PostalAddress; suggestions: PostalAddress[]; changes: string[] }
  | { verdict: 'invalid'; reasons: { code: string; message: string; field?: string | null }[] };

export type ClaimType = 'loss' | 'damage' | 'theft';
export type ClaimStatus =
  | 'submitted'
  | 'in_review'
  | 'needs_action'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'paid'
  | 'unknown';

export interface ClaimRequest {
  type: ClaimType;
  trackingCode: string;
  /** The carrier-side shipment id (EasyPost `shp_...`) when the claim API wants it. */
  shipmentId?: string | null;
  amount: Money;
  description: string;
  contactEmail?: string | null;
  /** URLs or data URIs of photos, invoices and other evidence. */
  evidence?: { kind: 'photo' | 'invoice' | 'supporting'; url: string }[];
}

export interface Claim {
  claimId: string;
  type: ClaimType;
  status: ClaimStatus;
  statusDetail?: string | null;
  requestedAmount: Money;
  approvedAmount?: Money | null;
  submittedAt?: string | null;
  updatedAt?: string | null;
}

export interface InterceptRequest {
  trackingCode: string;
  /** What to do with the parcel. */
  kind: 'redirect' | 'return_to_sender' | 'reschedule';
  newAddress?: PostalAddress | null;
  /** For reschedule: the new delivery date (YYYY-MM-DD). */
  deliveryDate?: string | null;
}

export interface HoldRequest {
  trackingCode: string;
  /** A carrier location id (UPS Access Point, FedEx location) when the caller chose one. */
  locationId?: string | null;
}

/** Result of an intercept or hold: the carrier may accept (maybe with a fee) or refuse with a reason. */
export type CarrierActionResult =
  | { outcome: 'accepted'; reference?: string | null; fee?: Money | null; holdUntil?: string | null; location?: string | null }
  | { outcome: 'refused'; reason: string; code?: string | null };

/**
 * The carrier port. Methods take and return Delivery Desk's own types; failures surface as
 * {@link CarrierError}. A method whose capability is `false` throws `CarrierError` with code
 * `unsupported` and `retryable: false`.
 *
 * @example
 * ```ts
 * const adapter: CarrierAdapter = new SandboxAdapter({ clock: () => new Date() });
 * if (adapter.capabilities.track) {
 *   const snap = await adapter.track({ trackingCode: 'EZ4000000004' });
 *   console.log(snap.status); // 'delivered'
 * }
 * ```
 */
export interface CarrierAdapter {
  readonly code: CarrierCode;
  readonly capabilities: CarrierCapabilities;

  track(req: TrackRequest, opts?: CallOptions): Promise<TrackingSnapshot>;
  createReturnLabel(req: ReturnLabelRequest, opts?: CallOptions): Promise<ReturnLabel>;
  bookPickup(req: PickupRequest, opts?: CallOptions): Promise<Pickup>;
  cancelPickup(pickupId: string, opts?: CallOptions): Promise<Pickup>;
  reschedulePickup(pickupId: string, req: PickupRequest, opts?: CallOptions): Promise<Pickup>;
  verifyAddress(address: PostalAddress, opts?: CallOptions): Promise<AddressVerdict>;
  fileClaim(req: ClaimRequest, opts?: CallOptions): Promise<Claim>;
  getClaim(claimId: string, opts?: CallOptions): Promise<Claim>;
  intercept(req: InterceptRequest, opts?: CallOptions): Promise<CarrierActionResult>;
  holdAtLocation(req: HoldRequest, opts?: CallOptions): Promise<CarrierActionResult>;
}
