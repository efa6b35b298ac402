/**
 * Offering the customer's remedy for lines that did not arrive as they should: reship or
 * refund (the merchant's preferred one first), and store credit at the buyer's choice.
 */
import type { LineQuantity } from '../facts/facts';
import type { Amounts, FeeAmount } from './decision';
import type { DecisionBuilder } from './decision-builder';
import type { DecisionContext } from './decision-context';
import { computeAmounts, isWholeOrder, normaliseLines, policyRefundDueBy, refundAction, reshipAction, storeCreditAction, withAlternatives } from './remedy';

export interface RemedyOptions {
  /** Rules that make the customer whole (the problem's own rules). */
  ruleIds: string[];
  /** `choice`: the customer picks; `allowed`: only after review; `none`: refund only. */
  placement: 'choice' | 'allowed';
  /** Offer a reship at all (false when the goods cannot be sent again). */
  reship?: boolean;
  /** Who pays the reship and what the customer is charged. */
  reshipPaidBy?: 'merchant' | 'customer';
  reshipChargeMinor?: number;
  /** Original shipping in the refund; default from the merchant-fault policy. */
  shipping?: 'all' | 'proportional' | 'none';
  orderFees?: FeeAmount[];
  /** Refund due date; default: the merchant's refund timing from today. */
  dueBy?: string | null;
  refundRuleIds?: string[];
  /** Approval forced on every remedy (e.g. supervisor review). */
  approval?: 'supervisor';
}

/** Shipping refunded on a merchant-side loss, per policy. */
export function merchantFaultShipping(ctx: DecisionContext, lines: readonly LineQuantity[]): 'all' | 'proportional' | 'none' {
  switch (ctx.policy.shippingRefund.merchantFault) {
    case 'proportional':
      return isWholeOrder(ctx, lines) ? 'all' : 'proportional';
    case 'never':
      return 'none';
    default:
      return isWholeOrder(ctx, lines) ? 'all' : 'none';
  }
}

/** Puts reship / refund / store credit on offer; returns the refund amounts. */
export function offerRemedies(ctx: DecisionContext, out: DecisionBuilder, rawLines: readonly LineQuantity[], opts: RemedyOptions): Amounts {
  const lines = normaliseLines(rawLines);
  const amounts = computeAmounts(ctx, {
    lines,
    shipping: opts.shipping ?? merchantFaultShipping(ctx, lines),
    orderFees: opts.orderFees ?? [],
    fullTax: true,
    includeDuties: true,
  });
  const dueBy = opts.dueBy === undefined ? policyRefundDueBy(ctx, ctx.today) : opts.dueBy;
  const refund = refundAction(ctx, amounts, {
    lines,
    dueBy,
    ruleIds: [...opts.ruleIds, ...(opts.refundRuleIds ?? ['POLICY-REFUND-TIMING'])],
  });
  const reshipOk = opts.reship !== false;
  const reship = reshipOk
    ? reshipAction(ctx, lines, {
        ruleIds: [...opts.ruleIds, 'POLICY-PREFERRED-REMEDY'],
        paidBy: opts.reshipPaidBy ?? 'merchant',
        customerChargeMinor: opts.reshipChargeMinor ?? 0,
      })
    : undefined;
  const put = (a: Parameters<DecisionBuilder['offer']>[0]) => {
    const action = opts.approval && 'approval' in a ? { ...a, approval: opts.approval } : a;
    return opts.placement === 'choice' ? out.offer(action) : out.allow(action);
  };
  const ordered = ctx.policy.preferredRemedy === 'reship' ? [reship, refund] : [refund, reship];
  for (const a of ordered) if (a) put(a);
  if (ctx.policy.storeCredit.offer && amounts.refundTotalMinor > 0) put(storeCreditAction(ctx, amounts.refundTotalMinor, opts.ruleIds));
  if (dueBy) out.setDeadline('refundDueBy', ctx.deadline(dueBy, ['POLICY-REFUND-TIMING']));
  return withAlternatives(ctx, amounts, { storeCredit: ctx.policy.storeCredit.offer, ...(reshipOk ? { reshipLines: lines } : {}) });
}
