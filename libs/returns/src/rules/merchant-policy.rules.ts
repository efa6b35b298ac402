/**
 * Merchant-policy clauses as citable rules. Their numbers live in the merchant's versioned
 * policy (see `MerchantPolicy`), so the citation names the policy field.
 */
import type { RuleDefinition } from './rule';

const policy = (id: string, field: string, title: string) =>
  ({ id, family: 'merchant_policy', title, citation: `merchant policy \`${field}\``, status: 'POLICY', jurisdiction: 'merchant' }) as const;

export const MERCHANT_POLICY_RULES = [
  policy('POLICY-RETURN-WINDOW', 'returnWindow', 'Change-of-mind returns within the policy window, counted from its anchor.'),
  policy('POLICY-HOLIDAY-EXTENSION', 'returnWindow.holidayExtension', 'Holiday-season purchases are returnable until the extended date.'),
  policy('POLICY-NON-RETURNABLE', 'nonReturnable', 'Listed categories and flagged lines are not returnable for change of mind.'),
  policy('POLICY-RESTOCKING-FEE', 'restockingFee', 'Restocking fee on change-of-mind returns, where disclosed and lawful.'),
  policy('POLICY-RETURN-SHIPPING', 'returnShipping', 'Who pays return shipping, per return reason.'),
  policy('POLICY-CANCEL-UNSHIPPED', 'cancellation', 'Buyers may cancel unshipped orders or lines.'),
  policy('POLICY-REPORT-WINDOW', 'reportWindows', 'Damage, defects, wrong and missing items must be reported within the policy window after delivery.'),
  policy('POLICY-PERISHABLE-REPORT', 'reportWindows.perishableHours', 'Perishable spoilage must be reported within hours of delivery, with the required evidence.'),
  policy('POLICY-EVIDENCE', 'evidence', 'Evidence required before a remedy for each problem.'),
  policy('POLICY-KEEP-ITEM', 'keepItem', 'Merchant-error items worth no more than the threshold stay with the customer.'),
  policy('POLICY-PICKUP-WINDOW', 'pickupWindowDays', 'An item asked back is collected within the pickup window, then written off.'),
  policy('POLICY-DAMAGED-GOODS', 'damagedGoods', 'Damaged goods come back, or stay with the customer until the carrier claim closes.'),
  policy('POLICY-DEFECTIVE-RETURN', 'defectiveReturn', 'When a defective item must come back before the remedy.'),
  policy('POLICY-DNR-WAIT', 'notReceived.waitHours', 'Wait this long after a delivered scan before acting on "not received".'),
  policy('POLICY-DNR-REVIEW', 'notReceived.review', 'Not-received claims go to review on repeat claims, high order value or a captured signature.'),
  policy('POLICY-LOST-NO-SCAN', 'lost.daysWithoutScan', 'A parcel without a scan for this many days counts as lost.'),
  policy('POLICY-SIGNATURE-THRESHOLD', 'signature.requiredAboveMinor', 'Orders above this value ship signature-required.'),
  policy('POLICY-RTS-CUSTOMER-CAUSED', 'returnToSender', 'Remedy when the customer caused a return to sender.'),
  policy('POLICY-CARRIER-FEES', 'carrierFees', 'Who pays intercept and address-correction fees.'),
  policy('POLICY-INTL-RETURN', 'international', 'International returns: accepted or not, who pays, what is refunded.'),
  policy('POLICY-DISPUTE-HOLD', 'disputes.holdRemediesWhileOpen', 'No refund or reship while a card dispute is open.'),
  policy('POLICY-REFUND-TIMING', 'refundTiming', 'When a return refund is issued and how fast.'),
  policy('POLICY-APPROVAL', 'approval', 'Agent and supervisor approval limits.'),
  policy('POLICY-STORE-CREDIT', 'storeCredit', 'Store credit instead of a refund, with a bonus, at the buyer\u2019s choice.'),
  policy('POLICY-PREFERRED-REMEDY', 'preferredRemedy', 'Preferred remedy (reship or refund) offered first.'),
  policy('POLICY-SHIPPING-REFUND', 'shippingRefund', 'When the original shipping charge is refunded.'),
  policy('POLICY-IMPLIED-SHIP-DATE', 'impliedTransitWorkingDays', 'A promised delivery date implies a ship date this many working days earlier.'),
] as const satisfies readonly RuleDefinition[];
