/**
 * Money and remedy building blocks shared by the playbooks: what a set of lines is worth, the
 * refund breakdown (with restocking fee, tax and the ledger cap), and the refund / reship /
 * store-credit actions with their approval level.
 */
import type { LocalDate } from '../calendar/local-date';
import type { LineQuantity, RestockingFee } from '../facts/facts';
import { allocateMinor, percentOfMinor, prorateMinor, sumMinor } from '../money/money';
import type {
  Amounts,
  ApprovalLevel,
  FeeAmount,
  LineAmount,
  RefundFullAction,
  RefundPartialAction,
  ReshipAction,
  StoreCreditAction,
} from './decision';
import type { DecisionContext } from './decision-context';
import type { Payer, SignatureOption } from '../vocabulary';

/** What the refund should contain. */
export interface RefundSpec {
  lines: LineQuantity[];
  /** Original shipping: all of it, the affected lines' share, or none. */
  shipping: 'all' | 'proportional' | 'none';
  restocking?: { fee: RestockingFee; ruleIds: string[] } | null;
  /** Order-level deductions (customer-paid label, fees the customer caused). */
  orderFees?: FeeAmount[];
  /** Refund the DDP duties the buyer paid us, pro rata. */
  includeDuties?: boolean;
  /** Refund the full tax even when a restocking fee is kept (CA Reg. 1655, HI, or policy). */
  fullTax: boolean;
}

const netCache = new WeakMap<DecisionContext, Map<string, number>>();

/** Net paid for all units of each line: price less line discount less its share of the order discount. */
function lineNets(ctx: DecisionContext): Map<string, number> {
  let nets = netCache.get(ctx);
  if (!nets) {
    const lines = ctx.facts.order.lines;
    const gross = lines.map((l) => Math.max(0, l.unitPriceMinor * l.quantity - (l.discountMinor ?? 0)));
    const orderDiscount = allocateMinor(Math.min(ctx.facts.order.charges.discountMinor, sumMinor(gross)), gross);
    nets = new Map(lines.map((l, i) => [l.id, Math.max(0, gross[i]! - orderDiscount[i]!)]));
    netCache.set(ctx, nets);
  }
  return nets;
}

/** Net value of some units of a line. */
export function netValueMinor(ctx: DecisionContext, lq: LineQuantity): number {
  const line = ctx.line(lq.lineId);
  return prorateMinor(lineNets(ctx).get(lq.lineId) ?? 0, lq.quantity, line.quantity);
}

/** Net value of a set of lines. */
export function linesValueMinor(ctx: DecisionContext, lines: readonly LineQuantity[]): number {
  return sumMinor(lines.map((l) => netValueMinor(ctx, l)));
}

/** Merge repeated line ids and drop zero quantities. */
export function normaliseLines(lines: readonly LineQuantity[]): LineQuantity[] {
  const m = new Map<string, number>();
  for (const l of lines) if (l.quantity > 0) m.set(l.lineId, (m.get(l.lineId) ?? 0) + l.quantity);
  return [...m].map(([lineId, quantity]) => ({ lineId, quantity }));
}

/** True when the lines are every unit of the order. */
export function isWholeOrder(ctx: DecisionContext, lines: readonly LineQuantity[]): boolean {
  const m = new Map(normaliseLines(lines).map((l) => [l.lineId, l.quantity]));
  return ctx.facts.order.lines.every((l) => (m.get(l.id) ?? 0) >= l.quantity);
}

/** Amounts with nothing refunded. */
export function emptyAmounts(ctx: DecisionContext): Amounts {
  return {
    currency: ctx.currency,
    lines: [],
    itemsMinor: 0,
    shippingMinor: 0,
    taxMinor: 0,
    dutiesMinor: 0,
    feesMinor: 0,
    fees: [],
    capAdjustmentMinor: 0,
    refundTotalMinor: 0,
    paidMinor: ctx.paidMinor,
    alreadyRefundedMinor: ctx.alreadyRefundedMinor,
    storeCreditMinor: 0,
    storeCreditBonusMinor: 0,
    reshipValueMinor: 0,
  };
}

/** The refund breakdown for a spec; never more than is left of the payment (DESK-LEDGER-CAP). */
export function computeAmounts(ctx: DecisionContext, spec: RefundSpec): Amounts {
  const order = ctx.facts.order;
  const lines = normaliseLines(spec.lines);
  const items = lines.map((l) => netValueMinor(ctx, l));
  const taxes = lines.map((l) => prorateMinor(ctx.line(l.lineId).taxMinor, l.quantity, ctx.line(l.lineId).quantity));

  let restock = lines.map(() => 0);
  const fee = spec.restocking?.fee;
  if (fee?.kind === 'percent') restock = items.map((v) => percentOfMinor(v, fee.basisPoints));
  else if (fee?.kind === 'flat') restock = allocateMinor(Math.min(fee.amountMinor, sumMinor(items)), items);
  restock = restock.map((f, i) => Math.min(f, items[i]!));

  const lineAmounts: LineAmount[] = lines.map((l, i) => {
    const tax = spec.fullTax ? taxes[i]! : taxes[i]! - prorateMinor(taxes[i]!, restock[i]!, Math.max(1, items[i]!));
    return {
      lineId: l.lineId,
      sku: ctx.line(l.lineId).sku,
      quantity: l.quantity,
      itemsMinor: items[i]!,
      taxMinor: tax,
      feesMinor: restock[i]!,
      refundMinor: items[i]! + tax - restock[i]!,
    };
  });

  const allNet = sumMinor(order.lines.map((l) => netValueMinor(ctx, { lineId: l.id, quantity: l.quantity })));
  const share = (amount: number) =>
    spec.shipping === 'all' ? amount : spec.shipping === 'proportional' ? prorateMinor(amount, sumMinor(items), Math.max(1, allNet)) : 0;
  const shippingMinor = share(order.charges.shippingMinor + (order.charges.handlingMinor ?? 0));
  const shippingTaxMinor = share(order.charges.shippingTaxMinor ?? 0);
  const dutiesMinor = spec.includeDuties ? prorateMinor(order.charges.dutiesMinor ?? 0, sumMinor(items), Math.max(1, allNet)) : 0;

  const itemsMinor = sumMinor(lineAmounts.map((l) => l.itemsMinor));
  const taxMinor = sumMinor(lineAmounts.map((l) => l.taxMinor)) + shippingTaxMinor;
  const lineFees = sumMinor(lineAmounts.map((l) => l.feesMinor));
  const gross = itemsMinor + shippingMinor + taxMinor + dutiesMinor - lineFees;

  // Order-level fees can take the refund to zero, never below.
  const fees: FeeAmount[] = [];
  if (spec.restocking && lineFees > 0) fees.push({ kind: 'restocking', amountMinor: lineFees, ruleIds: spec.restocking.ruleIds });
  let room = gross;
  for (const f of spec.orderFees ?? []) {
    const take = Math.min(f.amountMinor, room);
    if (take > 0) fees.push({ ...f, amountMinor: take });
    room -= take;
  }
  const feesMinor = lineFees + (gross - room);
  const beforeCap = itemsMinor + shippingMinor + taxMinor + dutiesMinor - feesMinor;
  const capAdjustmentMinor = Math.max(0, beforeCap - ctx.refundableMinor);
  return {
    ...emptyAmounts(ctx),
    lines: lineAmounts,
    itemsMinor,
    shippingMinor,
    taxMinor,
    dutiesMinor,
    feesMinor,
    fees,
    capAdjustmentMinor,
    refundTotalMinor: beforeCap - capAdjustmentMinor,
  };
}

/** Approval level for a value under the merchant's limits. */
export function approvalFor(ctx: DecisionContext, valueMinor: number): ApprovalLevel {
  const { autoApproveUpToMinor, agentUpToMinor } = ctx.policy.approval;
  if (valueMinor <= autoApproveUpToMinor) return 'none';
  return valueMinor <= agentUpToMinor ? 'agent' : 'supervisor';
}

/** Refund action for computed amounts; `REFUND_FULL` when it returns everything still refundable. */
export function refundAction(
  ctx: DecisionContext,
  amounts: Amounts,
  opts: { lines: LineQuantity[]; ruleIds: string[]; dueBy: LocalDate | null },
): RefundFullAction | RefundPartialAction {
  const pay = ctx.facts.payment;
  const method = pay.originalMethodUnavailable
    ? 'check_or_cash'
    : pay.sellerIsCreditor || pay.methodKind === 'seller_credit'
      ? 'seller_credit_account'
      : 'original_payment';
  const full = amounts.refundTotalMinor > 0 && amounts.refundTotalMinor === ctx.refundableMinor;
  return {
    kind: full ? 'REFUND_FULL' : 'REFUND_PARTIAL',
    amountMinor: amounts.refundTotalMinor,
    currency: ctx.currency,
    lines: normaliseLines(opts.lines),
    dueBy: opts.dueBy,
    method,
    includesShipping: amounts.shippingMinor > 0,
    approval: approvalFor(ctx, amounts.refundTotalMinor),
    ruleIds: [...new Set(opts.ruleIds)],
  };
}

/** Signature a reship needs: adult for alcohol, signature above the merchant's value threshold. */
export function reshipSignature(ctx: DecisionContext, lines: readonly LineQuantity[], valueMinor: number): { option: SignatureOption; ruleIds: string[] } {
  if (lines.some((l) => ctx.line(l.lineId).flags.alcohol)) return { option: 'adult_signature', ruleIds: ['US-ALC-ADULT-SIG-21'] };
  if (valueMinor > ctx.policy.signature.requiredAboveMinor) return { option: 'signature', ruleIds: ['POLICY-SIGNATURE-THRESHOLD', 'IND-SIGNATURE-POD'] };
  return { option: 'none', ruleIds: [] };
}

/** Reship action for some lines. */
export function reshipAction(
  ctx: DecisionContext,
  lines: LineQuantity[],
  opts: { ruleIds: string[]; paidBy?: Payer; customerChargeMinor?: number },
): ReshipAction {
  const norm = normaliseLines(lines);
  const valueMinor = linesValueMinor(ctx, norm);
  const sig = reshipSignature(ctx, norm, ctx.facts.order.charges.totalMinor);
  return {
    kind: 'RESHIP',
    lines: norm,
    paidBy: opts.paidBy ?? 'merchant',
    customerChargeMinor: opts.customerChargeMinor ?? 0,
    valueMinor,
    signatureOption: sig.option,
    approval: approvalFor(ctx, valueMinor),
    ruleIds: [...new Set([...opts.ruleIds, ...sig.ruleIds])],
  };
}

/** Store credit worth the refund plus the merchant's bonus; only ever at the buyer's choice. */
export function storeCreditAction(ctx: DecisionContext, refundMinor: number, ruleIds: string[]): StoreCreditAction {
  const bonusMinor = percentOfMinor(refundMinor, ctx.policy.storeCredit.bonusBasisPoints);
  return {
    kind: 'STORE_CREDIT',
    amountMinor: refundMinor + bonusMinor,
    bonusMinor,
    currency: ctx.currency,
    buyerMustChoose: true,
    approval: approvalFor(ctx, refundMinor),
    ruleIds: [...new Set(['POLICY-STORE-CREDIT', ...ruleIds])],
  };
}

/** Amounts with the store-credit alternative and reship value filled in. */
export function withAlternatives(ctx: DecisionContext, amounts: Amounts, opts: { storeCredit: boolean; reshipLines?: LineQuantity[] }): Amounts {
  const bonus = opts.storeCredit ? percentOfMinor(amounts.refundTotalMinor, ctx.policy.storeCredit.bonusBasisPoints) : 0;
  return {
    ...amounts,
    storeCreditMinor: opts.storeCredit ? amounts.refundTotalMinor + bonus : 0,
    storeCreditBonusMinor: bonus,
    reshipValueMinor: opts.reshipLines ? linesValueMinor(ctx, opts.reshipLines) : 0,
  };
}

/** Refund due date under the merchant's timing: N working days after the trigger date. */
export function policyRefundDueBy(ctx: DecisionContext, from: string): LocalDate {
  return ctx.addWorkingDays(from, ctx.policy.refundTiming.withinWorkingDays);
}
