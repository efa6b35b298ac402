/**
 * What `decide` returns. Plain JSON throughout: the service stores it in jsonb with the policy
 * version, shows it on the desk, and turns deadlines into timed jobs.
 */
import type { LocalDate } from '../calendar/local-date';
import type { Instant, LineQuantity } from '../facts/facts';
import type { RuleStatus } from '../rules/rule';
import type { Carrier, EvidenceKind, Payer, ProblemKind, SignatureOption } from '../vocabulary';

/** The action vocabulary. */
export const ACTION_KINDS = [
  'CANCEL_ORDER',
  'DELAY_NOTICE',
  'REFUND_FULL',
  'REFUND_PARTIAL',
  'RESHIP',
  'KEEP_ITEM',
  'RETURN_LABEL',
  'CARRIER_PICKUP',
  'STORE_CREDIT',
  'CARRIER_TRACE',
  'CARRIER_CLAIM',
  'CARRIER_INTERCEPT',
  'CARRIER_HOLD',
  'UPDATE_SHIP_TO',
  'WAIT',
  'ESCALATE',
  'DENY',
  'DISPUTE_RESPONSE',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** Approval needed before an action that moves money or goods. */
export type ApprovalLevel = 'none' | 'agent' | 'supervisor';

interface ActionBase {
  /** Rules that justify the action (at least one). */
  ruleIds: string[];
}

/** Cancel the order, or only the listed lines. */
export interface CancelOrderAction extends ActionBase {
  kind: 'CANCEL_ORDER';
  /** Lines to cancel; absent = every unshipped line. */
  lines?: LineQuantity[];
  /** The refund the cancellation brings, and when it is due. */
  refundMinor: number;
  refundDueBy: LocalDate | null;
}

/** Send an FTC delay option notice. */
export interface DelayNoticeAction extends ActionBase {
  kind: 'DELAY_NOTICE';
  dueBy: LocalDate;
  /** `renewed` = a later notice, which needs the buyer's express consent. */
  notice: 'first' | 'renewed';
  /** The notice must give a definite revised date, or say none can be given and why. */
  revisedShipDate: LocalDate | null;
  /** Cancel at the seller's expense must be offered. */
  offerCancel: true;
  /** Any method likely to reach the buyer in time; an order-status page alone does not count. */
  channels: Array<'email' | 'phone' | 'mail' | 'sms'>;
}

interface RefundBase extends ActionBase {
  amountMinor: number;
  currency: string;
  lines: LineQuantity[];
  dueBy: LocalDate | null;
  /** Back to the payment used; `check_or_cash` when that is impossible (FTC 435.1(b)(1)). */
  method: 'original_payment' | 'check_or_cash' | 'seller_credit_account';
  /** What the amount includes besides the items. */
  includesShipping: boolean;
  approval: ApprovalLevel;
}

/** Refund everything the buyer paid that is still refundable. */
export interface RefundFullAction extends RefundBase {
  kind: 'REFUND_FULL';
}

/** Refund part of the order (lines, or a deduction applies). */
export interface RefundPartialAction extends RefundBase {
  kind: 'REFUND_PARTIAL';
}

/** Send the lines again. */
export interface ReshipAction extends ActionBase {
  kind: 'RESHIP';
  lines: LineQuantity[];
  /** Who pays the new shipment's postage. */
  paidBy: Payer;
  /** Charged to the customer when `paidBy` is `customer`. */
  customerChargeMinor: number;
  /** Value of the goods sent again (for approvals). */
  valueMinor: number;
  signatureOption: SignatureOption;
  approval: ApprovalLevel;
}

/** The customer keeps (or disposes of) the item; nothing comes back. */
export interface KeepItemAction extends ActionBase {
  kind: 'KEEP_ITEM';
  lines: LineQuantity[];
  /** `dispose` for perishables and hazards; `until_claim_closed` keeps item and packaging for the carrier. */
  mode: 'keep' | 'dispose' | 'until_claim_closed';
  retainPackaging: boolean;
}

/** A return label. */
export interface ReturnLabelAction extends ActionBase {
  kind: 'RETURN_LABEL';
  lines: LineQuantity[];
  paidBy: Payer;
  /** Deducted from the refund when the customer pays and the merchant issues the label. */
  labelCostMinor: number;
  /** Lithium devices: surface transport only, no air, no international. */
  surfaceOnly: boolean;
  /** Inbound to the US from abroad: customs entry needed (de minimis suspended). */
  customsEntry: 'none' | 'formal_entry' | 'htsus_9801';
}

/** A carrier pickup of the item at the customer's address. */
export interface CarrierPickupAction extends ActionBase {
  kind: 'CARRIER_PICKUP';
  lines: LineQuantity[];
  paidBy: Payer;
  windowFrom: LocalDate;
  windowTo: LocalDate;
  surfaceOnly: boolean;
}

/** Store credit instead of a refund, only at the buyer's choice. */
export interface StoreCreditAction extends ActionBase {
  kind: 'STORE_CREDIT';
  amountMinor: number;
  bonusMinor: number;
  currency: string;
  /** Never satisfies a legally required refund on its own: only when the buyer chooses it. */
  buyerMustChoose: true;
  approval: ApprovalLevel;
}

/** Ask the carrier where the parcel is. */
export interface CarrierTraceAction extends ActionBase {
  kind: 'CARRIER_TRACE';
  shipmentId: string;
  carrier: Carrier;
  step: 'investigation' | 'help_request' | 'missing_mail_search' | 'delivery_scan_check';
  earliest: LocalDate;
}

/** File a carrier claim. */
export interface CarrierClaimAction extends ActionBase {
  kind: 'CARRIER_CLAIM';
  shipmentId: string;
  carrier: Carrier;
  claimType: 'loss' | 'damage' | 'missing_contents';
  /** Value claimed: affected goods (plus postage on USPS losses), capped by coverage. */
  amountMinor: number;
  coverageMinor: number;
  opensOn: LocalDate;
  lastDay: LocalDate;
  fileBy: LocalDate;
  evidence: EvidenceKind[];
  filer: 'merchant' | 'customer' | 'either';
  /** Third-party coverage is claimed from the insurer, not the carrier. */
  claimWith: 'carrier' | 'third_party_insurer';
}

/** Stop a parcel in transit. */
export interface CarrierInterceptAction extends ActionBase {
  kind: 'CARRIER_INTERCEPT';
  shipmentId: string;
  carrier: Carrier;
  mode: 'return_to_sender' | 'hold' | 'redirect';
  feeMinor: number;
  feePaidBy: Payer;
  /** Fee is charged only if the intercept succeeds (USPS). */
  feeOnlyOnSuccess: boolean;
}

/** Keep a parcel at (or move it to) a hold location. */
export interface CarrierHoldAction extends ActionBase {
  kind: 'CARRIER_HOLD';
  shipmentId: string;
  carrier: Carrier;
  until: LocalDate | null;
}

/** Change the ship-to address (correction or redirect). */
export interface UpdateShipToAction extends ActionBase {
  kind: 'UPDATE_SHIP_TO';
  shipmentId: string;
  /** The corrected address is known; otherwise the customer must confirm it first. */
  addressKnown: boolean;
  feeMinor: number;
  feePaidBy: Payer;
}

/** Do nothing yet. */
export interface WaitAction extends ActionBase {
  kind: 'WAIT';
  until: Instant | LocalDate | null;
  reason:
    | 'on_time'
    | 'dnr_window'
    | 'awaiting_evidence'
    | 'line_in_other_shipment'
    | 'buyer_consents_to_delay'
    | 'carrier_trace'
    | 'hold_pickup'
    | 'return_in_transit'
    | 'revised_ship_date';
  /** Evidence still needed (for `awaiting_evidence`). */
  evidenceNeeded?: EvidenceKind[];
}

/** Hand the case to a person. */
export interface EscalateAction extends ActionBase {
  kind: 'ESCALATE';
  to: 'supervisor' | 'compliance' | 'review';
  reason:
    | 'repeat_claims'
    | 'high_value'
    | 'signature_captured'
    | 'goodwill_exception'
    | 'compliance_check'
    | 'battery_hazard'
    | 'return_inspection'
    | 'carrier_claim_repay'
    | 'no_carrier_rules';
}

/** Refuse the request. */
export interface DenyAction extends ActionBase {
  kind: 'DENY';
  reason: BlockReason;
}

/** Answer an open card dispute. */
export interface DisputeResponseAction extends ActionBase {
  kind: 'DISPUTE_RESPONSE';
  stance: 'accept' | 'contest';
  evidence: EvidenceKind[];
  respondBy: LocalDate | null;
}

/** Any action, with its parameters. */
export type Action =
  | CancelOrderAction
  | DelayNoticeAction
  | RefundFullAction
  | RefundPartialAction
  | ReshipAction
  | KeepItemAction
  | ReturnLabelAction
  | CarrierPickupAction
  | StoreCreditAction
  | CarrierTraceAction
  | CarrierClaimAction
  | CarrierInterceptAction
  | CarrierHoldAction
  | UpdateShipToAction
  | WaitAction
  | EscalateAction
  | DenyAction
  | DisputeResponseAction;

/** Why an action is blocked. */
export type BlockReason =
  | 'dispute_open'
  | 'dnr_wait_window'
  | 'awaiting_evidence'
  | 'report_window_closed'
  | 'return_window_closed'
  | 'non_returnable'
  | 'line_in_other_shipment'
  | 'notice_too_late'
  | 'already_shipped'
  | 'not_shipped'
  | 'not_covered_after_delivery'
  | 'claim_not_open_yet'
  | 'claim_window_closed'
  | 'claim_already_filed'
  | 'trace_required_first'
  | 'carrier_cannot'
  | 'out_for_delivery'
  | 'alcohol_no_consumer_shipping'
  | 'alcohol_dtc_prohibited'
  | 'perishable_no_return'
  | 'battery_not_mailable'
  | 'lithium_no_international'
  | 'customer_caused'
  | 'under_review'
  | 'already_compensated'
  | 'international_returns_not_accepted'
  | 'fee_not_disclosed'
  | 'restocking_fee_prohibited'
  | 'ftc_requires_refund'
  | 'not_lost_yet'
  | 'not_available';

/** An action that may not be taken now. */
export interface BlockedAction {
  kind: ActionKind;
  reason: BlockReason;
  /** When the block lifts (date or instant); null = until `untilEvent`, or indefinitely. */
  until: Instant | LocalDate | null;
  untilEvent?: 'dispute_closed' | 'evidence_received' | 'review_approved' | 'carrier_claim_closed' | 'trace_completed' | 'shipment' | null;
  /** Lines concerned; absent = the whole order. */
  lines?: LineQuantity[];
  ruleIds: string[];
}

/** What starts a scheduled action, besides its date. */
export type ScheduleTrigger =
  | 'date'
  | 'no_express_consent'
  | 'return_first_scan'
  | 'return_received'
  | 'carrier_claim_closed'
  | 'pickup_window_ended'
  | 'hold_expired'
  | 'dnr_window_ended'
  | 'returned_to_sender';

/** An action to take later. */
export interface ScheduledAction {
  action: Action;
  /** Earliest date (or instant); null when only `trigger` decides. */
  from: Instant | LocalDate | null;
  /** Latest date, if any. */
  to: LocalDate | null;
  trigger: ScheduleTrigger;
}

/** A deadline: a civil date in the ship-to zone and the instant it passes. */
export interface Deadline {
  date: LocalDate;
  /** End of that day in the ship-to zone (or the exact instant for hour-based windows), ISO UTC. */
  at: Instant;
  ruleIds: string[];
}

/** Carrier claim timing for the problem's shipment. */
export interface CarrierClaimDeadlines {
  shipmentId: string;
  carrier: Carrier;
  claimType: 'loss' | 'damage' | 'missing_contents';
  opensOn: Deadline;
  lastDay: Deadline;
  /** Last business day on or before `lastDay`. */
  fileBy: Deadline;
  /** UPS: the earlier notice-of-claim deadline. */
  noticeLastDay?: Deadline;
}

/** Every clock the decision starts. */
export interface Deadlines {
  refundDueBy?: Deadline;
  delayNoticeDueBy?: Deadline;
  /** FTC: order cancels itself on this date unless shipped or expressly consented. */
  autoCancelOn?: Deadline;
  carrierClaim?: CarrierClaimDeadlines;
  carrierTraceFrom?: Deadline;
  holdExpiresOn?: Deadline;
  returnWindowEndsOn?: Deadline;
  reportWindowEndsOn?: Deadline;
  dnrWaitUntil?: Deadline;
  pickupWindowEndsOn?: Deadline;
  disputeResponseDueBy?: Deadline;
  /** Last day the buyer can raise a card dispute on this order (exposure), when computable. */
  cardDisputeWindowEndsOn?: Deadline;
  /** Last day to move goods into a bonded area for a duty refund (Japan) or similar. */
  customsRefundLastDay?: Deadline;
}

/** One line's share of the refund. */
export interface LineAmount {
  lineId: string;
  sku: string;
  quantity: number;
  itemsMinor: number;
  taxMinor: number;
  /** Restocking fee on this line. */
  feesMinor: number;
  /** `itemsMinor + taxMinor - feesMinor`. */
  refundMinor: number;
}

/** A deduction from the refund. */
export interface FeeAmount {
  kind: 'restocking' | 'return_label' | 'intercept' | 'address_correction';
  amountMinor: number;
  ruleIds: string[];
}

/**
 * The refund the decision's main money remedy would pay, broken down. Invariants:
 * `refundTotalMinor = itemsMinor + shippingMinor + taxMinor + dutiesMinor - feesMinor - capAdjustmentMinor`,
 * `0 ≤ refundTotalMinor ≤ paidMinor - alreadyRefundedMinor`.
 */
export interface Amounts {
  currency: string;
  lines: LineAmount[];
  itemsMinor: number;
  shippingMinor: number;
  /** Line taxes plus shipping tax refunded. */
  taxMinor: number;
  /** Import duties the merchant paid (DDP) and refunds. */
  dutiesMinor: number;
  /** All deductions: line restocking fees plus order-level fees. */
  feesMinor: number;
  fees: FeeAmount[];
  /** Taken off so the refund never exceeds what is left of the payment. */
  capAdjustmentMinor: number;
  refundTotalMinor: number;
  paidMinor: number;
  alreadyRefundedMinor: number;
  /** Store credit alternative (refund total plus bonus), when offered. */
  storeCreditMinor: number;
  storeCreditBonusMinor: number;
  /** Merchandise value sent again when a reship is on offer. */
  reshipValueMinor: number;
}

/** A rule the decision relied on, with its citation. */
export interface CitedRule {
  id: string;
  title: string;
  citation: string;
  status: RuleStatus;
  statusNote?: string;
  /** V2 / UNVERIFIED (in whole or in part): the merchant may change it, and the explanation says so. */
  configurable: boolean;
  /** Numbers used, after merchant overrides. */
  params?: Record<string, number>;
}

/** The decision. */
export interface Decision {
  /** Version of the engine that decided (stored with the ticket for replay). */
  engineVersion: string;
  policyVersion: string;
  problemKind: ProblemKind;
  evaluatedAt: Instant;
  /** Ship-to zone every date was counted in. */
  timeZone: string;
  /** The desk must do these. */
  required: Action[];
  /** The customer picks one of these (ordered: preferred first). */
  customerChoice: Action[];
  /** The agent may do these. */
  allowed: Action[];
  blocked: BlockedAction[];
  scheduled: ScheduledAction[];
  amounts: Amounts;
  deadlines: Deadlines;
  /** Every rule cited anywhere in the decision. */
  rules: CitedRule[];
  /** Highest approval needed by the required, customer-choice and scheduled actions. */
  approval: ApprovalLevel;
  explanation: { en: string[]; ja: string[] };
}
