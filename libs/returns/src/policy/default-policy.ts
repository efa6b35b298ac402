import type { MerchantPolicy } from './merchant-policy';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * A sensible starting policy for a US merchant: 30-day returns from delivery with the
 * Nov–Dec → Jan 31 holiday extension, merchant pays for its own errors, 48 h not-received wait,
 * 7 days without a scan = lost, signature above $500, reship preferred.
 */
export const DEFAULT_POLICY: MerchantPolicy = deepFreeze({
  version: 'default-2026.1',
  returnWindow: {
    days: 30,
    countsFrom: 'delivery',
    holidayExtension: { enabled: true, from: '11-01', to: '12-31', returnBy: '01-31' },
  },
  cancellation: { allowBeforeShipment: true },
  nonReturnable: {
    categories: ['gift_card', 'digital', 'intimates', 'food', 'plants', 'seeds'],
    flags: ['perishable', 'alcohol', 'personalized', 'finalSale'],
  },
  restockingFee: { kind: 'none' },
  returnShipping: {
    paidBy: { change_of_mind: 'customer', damaged: 'merchant', defective: 'merchant', wrong_item: 'merchant', missing_item: 'merchant' },
    labelCostMinor: 795,
  },
  reportWindows: { damagedDays: 30, defectiveDays: 30, wrongItemDays: 30, missingItemDays: 30, perishableHours: 48 },
  evidence: {
    damaged: ['photo_item', 'photo_packaging', 'photo_label'],
    defective: ['photo_item'],
    perishable: ['photo_item', 'photo_packaging', 'photo_label'],
    wrongItem: ['photo_item'],
    missingItem: [],
  },
  keepItem: { thresholdMinor: 2_500 },
  pickupWindowDays: 30,
  damagedGoods: 'keep_until_claim_closed',
  defectiveReturn: { mode: 'above_threshold', thresholdMinor: 5_000 },
  notReceived: {
    waitHours: 48,
    review: { repeatClaims: 2, periodDays: 365, orderValueAboveMinor: 50_000, whenSignatureCaptured: true },
  },
  lost: { daysWithoutScan: 7 },
  signature: { requiredAboveMinor: 50_000 },
  returnToSender: { customerCaused: 'customer_choice' },
  carrierFees: { intercept: 'by_cause', addressCorrection: 'by_cause' },
  international: { acceptReturns: true, returnShippingPaidBy: 'customer', refundOriginalShipping: false, refundDdpDuties: true },
  disputes: { holdRemediesWhileOpen: true },
  refundTiming: { returns: 'first_scan', withinWorkingDays: 5 },
  approval: { autoApproveUpToMinor: 0, agentUpToMinor: 25_000 },
  storeCredit: { offer: true, bonusBasisPoints: 1_000 },
  preferredRemedy: 'reship',
  shippingRefund: { merchantFault: 'whole_order_only', changeOfMind: 'never' },
  salesTax: { refundTaxOnRestockedAmount: true },
  jurisdiction: { hawaiiGetLicense: false },
  impliedTransitWorkingDays: 3,
  defaultBillingCycleDays: 30,
  ruleSettings: {},
} satisfies MerchantPolicy);
