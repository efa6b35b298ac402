/**
 * Enumerations shared by the policy engine and the service's stored data. The service's
 * database columns hold exactly these values, so facts can be gathered without translation.
 */

/** How the order was placed (FTC Mail Order Rule covers all remote channels). */
export const ORDER_CHANNELS = ['web', 'phone', 'fax', 'mail'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];

/** How the buyer paid. `seller_credit` means the seller itself is the creditor (FTC one-billing-cycle refunds). */
export const PAYMENT_METHOD_KINDS = [
  'credit_card',
  'debit_card',
  'wallet',
  'bank_transfer',
  'cash_on_delivery',
  'store_credit',
  'seller_credit',
  'gift_card',
  'other',
] as const;
export type PaymentMethodKind = (typeof PAYMENT_METHOD_KINDS)[number];

/** Flags on an order line that change what may be done with it. */
export interface LineFlags {
  perishable: boolean;
  alcohol: boolean;
  /** Hazardous material, including lithium batteries. */
  hazmat: boolean;
  personalized: boolean;
  finalSale: boolean;
}

/** Signature options a shipment can carry. */
export const SIGNATURE_OPTIONS = ['none', 'signature', 'adult_signature'] as const;
export type SignatureOption = (typeof SIGNATURE_OPTIONS)[number];

/** Languages customers and agents use. */
export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * The physical carrier that holds the parcel (not the aggregator): claim windows, holds and
 * intercepts are the carrier's own. `other` gets no carrier-specific rule.
 */
export const CARRIERS = ['usps', 'ups', 'fedex', 'dhl_express', 'other'] as const;
export type Carrier = (typeof CARRIERS)[number];

/** Unified tracking status; same values as `TrackingStatus` in `@app/carriers`. */
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

/** Why a parcel is in `exception`; same values as `ExceptionReason` in `@app/carriers`. */
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

/** Carrier scans the rules care about (the service maps its unified events onto these). */
export const SHIPMENT_EVENT_KINDS = [
  'label_created',
  'accepted',
  'in_transit',
  'out_for_delivery',
  'attempted_notice_left',
  'ready_for_pickup',
  'address_incorrect',
  'exception',
  'returning_to_shipper',
  'delivered_to_shipper',
  'delivered',
  'picked_up_from_hold',
  'intercepted',
] as const;
export type ShipmentEventKind = (typeof SHIPMENT_EVENT_KINDS)[number];

/** Where a held parcel waits; each has its own hold period. */
export const HOLD_LOCATION_KINDS = [
  'post_office',
  'ups_access_point',
  'ups_customer_center',
  'fedex_retail',
  'dhl_service_point',
  'other',
] as const;
export type HoldLocationKind = (typeof HOLD_LOCATION_KINDS)[number];

/** How a shipment's value is covered if the carrier loses or breaks it. */
export const COVERAGE_KINDS = ['none', 'carrier_included', 'carrier_declared_value', 'third_party'] as const;
export type CoverageKind = (typeof COVERAGE_KINDS)[number];

/** The delivery problems the engine decides. */
export const PROBLEM_KINDS = [
  'where_is_my_order',
  'cancel_request',
  'not_received',
  'lost_in_transit',
  'damaged',
  'defective',
  'perishable_spoiled',
  'wrong_item',
  'missing_item',
  'change_of_mind',
  'undeliverable_address',
  'not_picked_up',
  'redirect_request',
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** Reasons a return is made; merchant policy says who pays the return shipping for each. */
export const RETURN_REASONS = ['change_of_mind', 'damaged', 'defective', 'wrong_item', 'missing_item'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** Evidence a customer or the desk can hold. */
export const EVIDENCE_KINDS = [
  'photo_item',
  'photo_packaging',
  'photo_inner_packaging',
  'photo_label',
  'photo_box_all_sides',
  'photo_box_certificate',
  'box_dimensions',
  'photo_ice_packs',
  'video',
  'invoice',
  'proof_of_postage',
  'proof_of_delivery',
  'signature',
  'delivery_photo',
  'gps_scan',
  'tracking_history',
  'customer_statement',
  'communications',
  'police_report',
  'proof_of_refund',
  'repair_estimate',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Card networks whose dispute timing the engine knows. */
export const CARD_NETWORKS = ['visa', 'mastercard', 'amex', 'discover', 'other'] as const;
export type CardNetwork = (typeof CARD_NETWORKS)[number];

/** Incoterms for international orders: who paid import duties and taxes. */
export const INCOTERMS = ['DDU', 'DDP'] as const;
export type Incoterm = (typeof INCOTERMS)[number];

/** Who bears a cost. */
export const PAYERS = ['merchant', 'customer'] as const;
export type Payer = (typeof PAYERS)[number];
