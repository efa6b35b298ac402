/**
 * A merchant's return and resolution policy. Stored versioned (JSON); the decision records the
 * version it was made under. Every money field is in minor units of the order currency.
 */
import type { RestockingFee } from '../facts/facts';
import type { EvidenceKind, LineFlags, Payer, ReturnReason } from '../vocabulary';

/** `MM-DD`, a day of the year (holiday-extension bounds). */
export type MonthDay = string;

/** Who pays a carrier fee: a fixed party, or whoever caused it (customer-supplied address, customer request). */
export type FeePayer = Payer | 'by_cause';

/** Per-rule settings for V2 / UNVERIFIED rules: switch off, or change their V2/UNVERIFIED numbers. */
export interface RuleSetting {
  enabled?: boolean;
  params?: Record<string, number>;
}

export interface MerchantPolicy {
  /** Version label, e.g. `2026-03-01`. */
  version: string;
  returnWindow: {
    /** Change-of-mind window length in calendar days. */
    days: number;
    countsFrom: 'delivery' | 'order' | 'shipment';
    holidayExtension: {
      enabled: boolean;
      /** Purchases (order date) from / to, inclusive, `MM-DD`. */
      from: MonthDay;
      to: MonthDay;
      /** Returnable through this day of the following year. */
      returnBy: MonthDay;
    };
  };
  cancellation: { allowBeforeShipment: boolean };
  nonReturnable: {
    categories: string[];
    flags: Array<keyof LineFlags>;
  };
  /** Change-of-mind restocking fee (applied only where disclosed and lawful). */
  restockingFee: RestockingFee;
  returnShipping: {
    paidBy: Record<ReturnReason, Payer>;
    /** What a merchant-issued label costs the customer when the customer pays. */
    labelCostMinor: number;
  };
  reportWindows: {
    damagedDays: number;
    defectiveDays: number;
    wrongItemDays: number;
    missingItemDays: number;
    perishableHours: number;
  };
  evidence: {
    damaged: EvidenceKind[];
    defective: EvidenceKind[];
    perishable: EvidenceKind[];
    wrongItem: EvidenceKind[];
    missingItem: EvidenceKind[];
  };
  /** Merchant errors: items worth at most this stay with the customer (no return asked). */
  keepItem: { thresholdMinor: number };
  /** Days the customer holds an item asked back before it is written off. */
  pickupWindowDays: number;
  damagedGoods: 'return' | 'keep_until_claim_closed';
  defectiveReturn: { mode: 'before_remedy' | 'after_remedy' | 'not_required' | 'above_threshold'; thresholdMinor: number };
  notReceived: {
    waitHours: number;
    review: {
      /** Earlier not-received / lost claims (this one excluded) at or above which a claim goes to review. */
      repeatClaims: number;
      periodDays: number;
      /** Order total above which a claim goes to review. */
      orderValueAboveMinor: number;
      /** A captured signature sends the claim to review. */
      whenSignatureCaptured: boolean;
    };
  };
  lost: { daysWithoutScan: number };
  signature: { requiredAboveMinor: number };
  returnToSender: { customerCaused: 'refund_without_shipping' | 'reship_at_customer_cost' | 'customer_choice' };
  carrierFees: { intercept: FeePayer; addressCorrection: FeePayer };
  international: {
    acceptReturns: boolean;
    returnShippingPaidBy: Payer;
    refundOriginalShipping: boolean;
    /** Refund the duties the buyer paid us on a DDP order. */
    refundDdpDuties: boolean;
  };
  disputes: { holdRemediesWhileOpen: boolean };
  refundTiming: {
    /** Return refunds start on the first carrier scan or on receipt. */
    returns: 'first_scan' | 'receipt';
    withinWorkingDays: number;
  };
  approval: {
    /** Up to this value no approval is needed. */
    autoApproveUpToMinor: number;
    /** Up to this value an agent approves; above it a supervisor. */
    agentUpToMinor: number;
  };
  storeCredit: { offer: boolean; bonusBasisPoints: number };
  preferredRemedy: 'reship' | 'refund';
  shippingRefund: {
    /** Merchant fault: refund shipping when every line is affected, pro rata, or never. */
    merchantFault: 'whole_order_only' | 'proportional' | 'never';
    changeOfMind: 'never' | 'proportional';
  };
  salesTax: {
    /** Outside California (which requires full tax): refund tax on the restocking fee too. */
    refundTaxOnRestockedAmount: boolean;
  };
  jurisdiction: {
    /** The merchant holds a Hawaii GET license (applies HRS 481B-5.5 per US-HI-481B55-SCOPE). */
    hawaiiGetLicense: boolean;
  };
  /** A promised delivery date implies shipping this many working days earlier. */
  impliedTransitWorkingDays: number;
  /** Billing cycle for seller-credit accounts when the facts do not say. */
  defaultBillingCycleDays: number;
  /** Overrides for V2 / UNVERIFIED rules, keyed by rule id. */
  ruleSettings: Record<string, RuleSetting>;
}
