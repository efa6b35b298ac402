/**
 * What the engine is told about a case. The service gathers these from its stored order,
 * shipments, tracking and customer history; every field is plain JSON (dates are ISO strings,
 * money is integer minor units) so facts can be stored with the decision and replayed.
 *
 * Instants are ISO 8601 strings with a time (`2026-03-02T15:04:00Z`); civil dates are
 * `YYYY-MM-DD` in the ship-to time zone.
 */
import type { LocalDate } from '../calendar/local-date';
import type {
  CardNetwork,
  Carrier,
  CoverageKind,
  EvidenceKind,
  ExceptionReason,
  HoldLocationKind,
  Incoterm,
  LineFlags,
  OrderChannel,
  PaymentMethodKind,
  ProblemKind,
  ReturnReason,
  ShipmentEventKind,
  SignatureOption,
  TrackingStatus,
} from '../vocabulary';

/** An ISO 8601 instant with a time and an offset or `Z`. */
export type Instant = string;

/** A quantity of one order line. */
export interface LineQuantity {
  lineId: string;
  quantity: number;
}

/** The state an item was sold in; "as is" goods are outside several state refund defaults. */
export type LineCondition = 'new' | 'refurbished' | 'used' | 'as_is';

/** One order line. Amounts are totals for the line (all units), in the order's currency. */
export interface OrderLine {
  id: string;
  sku: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  /** Tax charged on this line (all units). */
  taxMinor: number;
  /** Line-level discount (all units); order-level discounts are in `charges.discountMinor`. */
  discountMinor?: number;
  /** Merchant category (matched against `nonReturnable.categories`); e.g. `food`, `plants`, `seeds`. */
  category: string;
  flags: LineFlags;
  condition?: LineCondition;
  /** The line is a lithium-battery device or battery (a kind of hazmat with its own mailing rules). */
  lithium?: 'device' | 'battery' | null;
  /** Hawaii: the buyer acknowledged in writing a custom-order restocking deduction. */
  customOrderAcknowledged?: boolean;
}

/** How shipping was charged; a flat per-order fee need not be refunded once something shipped. */
export type ShippingChargeMode = 'flat_per_order' | 'per_item' | 'calculated' | 'free';

/** What the buyer was charged. `totalMinor` is what was paid. */
export interface OrderCharges {
  subtotalMinor: number;
  shippingMinor: number;
  shippingChargeMode: ShippingChargeMode;
  /** Handling and insurance charges (refundable with shipping under the FTC Rule). */
  handlingMinor?: number;
  /** Total tax, lines plus shipping. */
  taxMinor: number;
  /** Part of `taxMinor` charged on shipping (taxable delivery charges). */
  shippingTaxMinor?: number;
  /** Order-level discount, shared across lines by value. */
  discountMinor: number;
  /** Import duties and taxes charged to the buyer by the merchant (DDP orders). */
  dutiesMinor?: number;
  totalMinor: number;
}

/** A shipping time stated or implied at listing or checkout (FTC 435.2(a)). */
export type ShippingPromise =
  | { kind: 'none' }
  | { kind: 'ships_within'; amount: number; unit: 'business_days' | 'calendar_days' | 'hours' }
  | { kind: 'ship_by'; date: LocalDate }
  | { kind: 'deliver_by'; date: LocalDate };

/** A restocking fee as disclosed. */
export type RestockingFee = { kind: 'none' } | { kind: 'percent'; basisPoints: number } | { kind: 'flat'; amountMinor: number };

/** The refund policy as it was shown to this buyer, at purchase. */
export interface DisclosedRefundPolicy {
  /** A policy was shown before purchase. */
  disclosed: boolean;
  /** Where: checkout or product page count as before purchase; `receipt_only` does not (Ohio). */
  placement?: 'checkout' | 'product_page' | 'site_footer' | 'receipt_only' | null;
  text?: string | null;
  /** What the disclosed policy offered. */
  offers?: 'refund' | 'refund_or_credit' | 'exchange_or_credit' | 'none' | null;
  /** Return window stated, in days. */
  windowDays?: number | null;
  /** Fee stated, with its amount ($ or %). */
  restockingFee?: RestockingFee | null;
  /** "As is" / "no returns" / "all sales final" was marked. */
  finalSaleNotice?: boolean;
}

/** An earlier remedy on this order; keeps one loss from being compensated twice. */
export interface PriorRemedy {
  kind: 'refund' | 'reship' | 'store_credit' | 'carrier_payout' | 'chargeback';
  at: Instant;
  amountMinor: number;
  lines?: LineQuantity[];
}

/** The order as the service stores it. */
export interface OrderFacts {
  id: string;
  channel: OrderChannel;
  /** ISO 4217, e.g. `USD`. */
  currency: string;
  /** Order (payment) date: the "purchase date" of state refund statutes. */
  placedAt: Instant;
  /** When payment and all shipping information were in hand (FTC clock); defaults to `placedAt`. */
  properlyCompletedAt?: Instant | null;
  lines: OrderLine[];
  charges: OrderCharges;
  shipTo: { state: string; zip: string; country: string; poBox?: boolean };
  giftOrder?: boolean;
  shippingPromise: ShippingPromise;
  refundPolicy: DisclosedRefundPolicy;
  /** Total already refunded on this order. */
  alreadyRefundedMinor?: number;
  priorRemedies?: PriorRemedy[];
  /** Goods not covered by the FTC Rule as a class (magazine after first issue, negative option, photofinishing). */
  ftcExemptReason?: 'magazine_subscription' | 'negative_option' | 'photofinishing' | null;
}

/** An open or closed card dispute (chargeback). */
export interface CardDispute {
  network: CardNetwork;
  reasonCode: string;
  category: 'not_received' | 'not_as_described' | 'credit_not_processed' | 'cancelled' | 'fraud' | 'other';
  noticeAt: Instant;
  status: 'open' | 'won' | 'lost' | 'accepted';
  amountMinor: number;
  /** Response deadline given by the processor, if known. */
  respondBy?: LocalDate | null;
}

/** How the buyer paid. */
export interface PaymentFacts {
  methodKind: PaymentMethodKind;
  cardNetwork?: CardNetwork | null;
  /** The seller itself extends the credit (private-label account): refunds within one billing cycle. */
  sellerIsCreditor?: boolean;
  billingCycleDays?: number | null;
  /** The buyer applied to the seller for credit to pay for this order (FTC 50-day limit). */
  appliedForSellerCredit?: boolean;
  /** For seller-credit orders: the account was charged before shipment (else the FTC Rule does not apply). */
  chargedBeforeShipment?: boolean;
  /** Payment was dishonored, and when good payment arrived (restarts the FTC clock). */
  dishonoredAt?: Instant | null;
  goodPaymentAt?: Instant | null;
  /** The original method can no longer take a refund (closed card, expired wallet). */
  originalMethodUnavailable?: boolean;
  dispute?: CardDispute | null;
}

/** An FTC delay option notice sent to the buyer. */
export interface DelayNotice {
  sentAt: Instant;
  /** Definite revised ship date, or null for "we cannot give a date" (indefinite delay). */
  revisedShipDate: LocalDate | null;
  channel: 'email' | 'phone' | 'mail' | 'sms' | 'order_status_page';
  /** Reason given for an indefinite delay. */
  reason?: string | null;
}

/** Facts before shipment. */
export interface PreShipmentFacts {
  delayNotices: DelayNotice[];
  /** When the seller learned it would miss the ship date. */
  delayKnownAt?: Instant | null;
  /** Date the seller now expects to ship, if later than promised. */
  expectedShipDate?: LocalDate | null;
  /** The buyer expressly consented to the (latest) delay. */
  expressConsentAt?: Instant | null;
  /** The buyer's consent covers an indefinite delay. */
  expressConsentIndefinite?: boolean;
  /** The buyer asked to cancel (whole order unless `cancelledLineIds`). */
  cancellationRequestedAt?: Instant | null;
  cancelledLineIds?: string[] | null;
  /** Lines the seller learned it cannot ship at all. */
  cannotShip: Array<{ lineId: string; learnedAt: Instant; reason: 'discontinued' | 'out_of_stock' | 'restricted_destination' | 'other' }>;
}

/** One carrier scan, mapped to the kinds the rules care about. */
export interface ShipmentEvent {
  at: Instant;
  kind: ShipmentEventKind;
  /** Where a held parcel waits (for `ready_for_pickup` / `attempted_notice_left`). */
  holdLocation?: HoldLocationKind | null;
}

/** A carrier surcharge billed on the shipment. */
export interface CarrierSurcharge {
  kind: 'address_correction' | 'intercept' | 'redirect' | 'return_to_sender' | 'other';
  amountMinor: number;
}

/** A carrier claim already opened for this shipment. */
export interface ShipmentClaim {
  kind: 'loss' | 'damage' | 'missing_contents';
  filedAt: Instant;
  status: 'open' | 'paid' | 'denied';
  paidMinor?: number;
}

/** One parcel. */
export interface ShipmentFacts {
  id: string;
  carrier: Carrier;
  /** Carrier service, e.g. `priority_mail`, `priority_mail_express`, `ground_advantage`, `ground`, `express`. */
  service: string;
  /** Sent across a border (FedEx international notice period, DHL Express). */
  international?: boolean;
  trackingCode?: string | null;
  lines: LineQuantity[];
  /** When the carrier took the parcel (tender / mailing / acceptance scan); null before that. */
  tenderedAt: Instant | null;
  coverage: { kind: CoverageKind; amountMinor: number };
  signatureOption: SignatureOption;
  signatureCaptured?: boolean;
  signedBy?: string | null;
  photoProofOfDelivery?: boolean;
  status: TrackingStatus;
  exceptionReason?: ExceptionReason | null;
  events: ShipmentEvent[];
  lastEventAt?: Instant | null;
  estimatedDeliveryAt?: Instant | LocalDate | null;
  deliveredAt?: Instant | null;
  surcharges?: CarrierSurcharge[];
  /** What the label cost the merchant (USPS refunds postage on a paid loss claim). */
  postageMinor?: number | null;
  /** Label bought under a commercial account (USPS redirect-by-intercept needs one). */
  commercialAccount?: boolean;
  /** Length plus girth, inches (USPS intercept limit 108). */
  lengthPlusGirthInches?: number | null;
  /** Merchant restricted recipient delivery changes (UPS My Choice, FedEx Delivery Manager). */
  deliveryChangesRestricted?: boolean;
  claim?: ShipmentClaim | null;
}

/** A return in progress. */
export interface ReturnFacts {
  id: string;
  reason: ReturnReason;
  lines: LineQuantity[];
  requestedAt: Instant;
  labelIssuedAt?: Instant | null;
  labelPaidBy?: 'merchant' | 'customer' | null;
  labelCostMinor?: number | null;
  shippedAt?: Instant | null;
  /** First carrier scan of the return parcel. */
  acceptanceScanAt?: Instant | null;
  receivedAt?: Instant | null;
  /** What came back. */
  received?: Array<LineQuantity & { condition: 'as_sent' | 'used' | 'damaged' | 'missing_parts' | 'different_item' }> | null;
}

/** A postal address as the customer wrote it, or as corrected. */
export interface AddressFacts {
  street1: string;
  street2?: string | null;
  city: string;
  state: string;
  zip: string;
  country: string;
  poBox?: boolean;
}

interface ProblemBase {
  reportedAt: Instant;
  /** Evidence already given. */
  evidence: EvidenceKind[];
  /** Other remedies the customer asked for, by action kind (e.g. `REFUND_FULL`). */
  customerRequests?: string[];
}

/** The problem reported. Line-level problems name the affected lines and quantities. */
export type Problem =
  | (ProblemBase & { kind: 'where_is_my_order'; shipmentId?: string | null })
  | (ProblemBase & { kind: 'cancel_request'; lineIds?: string[] | null })
  | (ProblemBase & { kind: 'not_received'; shipmentId: string })
  | (ProblemBase & { kind: 'lost_in_transit'; shipmentId: string })
  | (ProblemBase & { kind: 'damaged'; shipmentId?: string | null; lines: LineQuantity[]; extent: 'whole' | 'partial'; batteryHazard?: boolean })
  | (ProblemBase & { kind: 'defective'; shipmentId?: string | null; lines: LineQuantity[]; batteryHazard?: boolean })
  | (ProblemBase & {
      kind: 'perishable_spoiled';
      shipmentId?: string | null;
      lines: LineQuantity[];
      /** The customer left it unrefrigerated or was absent (spoilage exclusions). */
      customerCause?: 'not_refrigerated' | 'absent' | null;
    })
  | (ProblemBase & {
      kind: 'wrong_item';
      shipmentId?: string | null;
      /** Ordered lines that did not arrive because something else came instead. */
      lines: LineQuantity[];
      /** What arrived. */
      received: { description: string; sku?: string | null; valueMinor: number; quantity: number; perishable?: boolean; hazmat?: boolean; alcohol?: boolean };
    })
  | (ProblemBase & { kind: 'missing_item'; shipmentId?: string | null; lines: LineQuantity[]; packageTampered?: boolean })
  | (ProblemBase & { kind: 'change_of_mind'; lines: LineQuantity[]; returnFrom: 'domestic' | 'international' })
  | (ProblemBase & {
      kind: 'undeliverable_address';
      shipmentId: string;
      entered: AddressFacts;
      correct?: AddressFacts | null;
      suppliedBy: 'customer' | 'merchant' | 'platform';
    })
  | (ProblemBase & { kind: 'not_picked_up'; shipmentId: string })
  | (ProblemBase & {
      kind: 'redirect_request';
      shipmentId: string;
      to: 'new_address' | 'hold_location' | 'return_to_sender';
      newAddress?: AddressFacts | null;
      requestedBy: 'customer' | 'merchant';
    });

/** International order facts. */
export interface InternationalFacts {
  incoterm: Incoterm;
  originCountry: string;
  /** Duties and import taxes paid at import. */
  dutiesAndTaxesMinor: number;
  dutiesCurrency: string;
  /** Who paid them: the customer (DDU) or the merchant (DDP). */
  dutiesPaidBy: 'customer' | 'merchant';
  /** Import permit / clearance date. */
  importedAt?: Instant | null;
  /** The goods are of US origin (HTSUS 9801.00.10 on their way back). */
  usOriginGoods?: boolean;
}

/** Earlier claims by this customer (any order). */
export interface CustomerHistory {
  claims: Array<{ at: Instant; kind: 'not_received' | 'lost' | 'damaged' | 'missing_item' | 'wrong_item' | 'other'; orderId: string }>;
}

/**
 * Everything `decide` needs besides the merchant policy and `now`.
 *
 * @example
 * ```ts
 * const facts: Facts = {
 *   problem: { kind: 'not_received', shipmentId: 's1', reportedAt: '2026-03-10T15:00:00Z', evidence: [] },
 *   order, payment: { methodKind: 'credit_card', cardNetwork: 'visa' },
 *   shipments: [shipment], returns: [], customerHistory: { claims: [] },
 * };
 * ```
 */
export interface Facts {
  problem: Problem;
  order: OrderFacts;
  payment: PaymentFacts;
  preShipment?: PreShipmentFacts | null;
  shipments: ShipmentFacts[];
  returns: ReturnFacts[];
  international?: InternationalFacts | null;
  customerHistory: CustomerHistory;
  /** IANA zone of the ship-to address; derived from state / ZIP when absent. */
  timeZone?: string | null;
}

export type { ProblemKind };
