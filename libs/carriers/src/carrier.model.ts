/**
 * The normalised carrier model: every adapter maps its carrier's JSON into these types,
 * and nothing outside `libs/carriers` ever sees a carrier's own shapes.
 */

/** Unified tracking status. Unmapped carrier codes become `unknown` (and are logged), never a guess. */
export const TRACKING_STATUSES = [
  'pre_transit',
  'in_transit',
  'out_for_delivery',
  'available_for_pickup',
  'delivered',
  'exception',
  'return_to_sender',
  'cancelled',
  'unknown',
] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

/** Why a parcel is in `exception` (or was returned). */
export const EXCEPTION_REASONS = [
  'address_problem',
  'recipient_unavailable',
  'refused',
  'damaged',
  'delayed',
  'customs',
  'lost',
  'other',
] as const;
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];

/** Carriers Delivery Desk can talk to. `sandbox` is the offline, deterministic one. */
export const CARRIER_CODES = ['easypost', 'ups', 'sandbox'] as const;
export type CarrierCode = (typeof CARRIER_CODES)[number];

/** A postal address in our own shape (US first; `country` is ISO 3166-1 alpha-2). */
export interface PostalAddress {
  name?: string;
  company?: string;
  street1: string;
  street2?: string;
  city: string;
  /** Two-letter state or province code. */
  state: string;
  zip: string;
  country: string;
  phone?: string;
  email?: string;
  residential?: boolean;
}

/** Money in integer minor units. */
export interface Money {
  amountMinor: number;
  currency: string;
}

/** One scan or status change reported by the carrier. */
export interface TrackingEvent {
  /** Stable id of the event at the source (carrier event id, or a hash of time+status+message). */
  sourceEventId: string;
  occurredAt: string; // ISO 8601, UTC
  status: TrackingStatus;
  /** The carrier's own status / detail code, kept for audit. */
  carrierStatus: string;
  carrierStatusDetail?: string | null;
  exceptionReason?: ExceptionReason | null;
  message: string;
  location?: { city?: string | null; state?: string | null; zip?: string | null; country?: string | null } | null;
}

/** Proof of delivery as much as the carrier gives. */
export interface ProofOfDelivery {
  signedBy?: string | null;
  photoUrl?: string | null;
  /** Where the carrier says it left the parcel (front door, mailroom, neighbour...). */
  leftAt?: string | null;
  coordinates?: { lat: number; lng: number } | null;
}

/** What the carrier knows about one parcel right now. */
export interface TrackingSnapshot {
  carrier: CarrierCode;
  /** The carrier's own service carrier when going through an aggregator (e.g. "USPS" via EasyPost). */
  underlyingCarrier?: string | null;
  trackingCode: string;
  /** Id of the tracker at the carrier/aggregator (e.g. EasyPost `trk_...`). */
  trackerId?: string | null;
  status: TrackingStatus;
  exceptionReason?: ExceptionReason | null;
  events: TrackingEvent[];
  estimatedDeliveryAt?: string | null;
  deliveredAt?: string | null;
  signedBy?: string | null;
  proofOfDelivery?: ProofOfDelivery | null;
  publicUrl?: string | null;
  /** When the carrier last updated this tracker. */
  updatedAt?: string | null;
}
