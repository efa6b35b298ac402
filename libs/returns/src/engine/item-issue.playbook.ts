/**
 * Wrong, missing, damaged, defective or spoiled items, line by line: report window and
 * evidence first, split shipments checked, then the remedy for the affected lines only, what
 * happens to the item (kept, disposed, kept for the carrier, or collected at our cost), and the
 * carrier claim with its deadline.
 */
import { type LocalDate, maxLocalDate } from '../calendar/local-date';
import type { LineQuantity, Problem, ShipmentFacts } from '../facts/facts';
import type { EvidenceKind } from '../vocabulary';
import type { Action, Amounts } from './decision';
import type { DecisionBuilder } from './decision-builder';
import type { DecisionContext } from './decision-context';
import { isShipped } from './decision-context';
import { applyCarrierClaim, isNoClaim } from './carrier.evaluator';
import { decideUnshipped } from './pre-shipment.playbook';
import { linesValueMinor, normaliseLines } from './remedy';
import { offerRemedies } from './remedy-offer';

type ItemProblem = Extract<Problem, { kind: 'damaged' | 'defective' | 'perishable_spoiled' | 'wrong_item' | 'missing_item' }>;

const REMEDY_KINDS = ['RESHIP', 'REFUND_FULL', 'REFUND_PARTIAL', 'STORE_CREDIT'] as const;

function reportWindow(ctx: DecisionContext, p: ItemProblem, deliveredAt: string): { endsAtMs: number; endsOn: LocalDate; ruleIds: string[]; hours?: number } {
  const w = ctx.policy.reportWindows;
  if (p.kind === 'perishable_spoiled') {
    ctx.param('IND-PERISHABLE-NO-RETURN', 'hours');
    const endsAtMs = ctx.ms(deliveredAt) + w.perishableHours * 3_600_000;
    return { endsAtMs, endsOn: ctx.date(new Date(endsAtMs).toISOString()), ruleIds: ['POLICY-PERISHABLE-REPORT', 'IND-PERISHABLE-NO-RETURN'], hours: w.perishableHours };
  }
  const days = { damaged: w.damagedDays, defective: w.defectiveDays, wrong_item: w.wrongItemDays, missing_item: w.missingItemDays }[p.kind];
  const endsOn = ctx.addDays(deliveredAt, days);
  return { endsAtMs: ctx.ms(endsOn), endsOn, ruleIds: ['POLICY-REPORT-WINDOW'] };
}

function requiredEvidence(ctx: DecisionContext, p: ItemProblem): EvidenceKind[] {
  const e = ctx.policy.evidence;
  switch (p.kind) {
    case 'damaged':
      return e.damaged;
    case 'defective':
      return e.defective;
    case 'perishable_spoiled':
      return e.perishable;
    case 'wrong_item':
      return e.wrongItem;
    default:
      return e.missingItem;
  }
}

/** Utah: refusing refunds for damaged or defective goods is deceptive unless sold "as is" (partial text). */
function utahForbidsDenial(ctx: DecisionContext, p: ItemProblem): boolean {
  if (ctx.facts.order.shipTo.state.toUpperCase() !== 'UT' || !ctx.enabled('US-UT-R1521110-REFUNDS')) return false;
  if (p.kind !== 'damaged' && p.kind !== 'defective') return false;
  if (ctx.facts.order.refundPolicy.finalSaleNotice) return false;
  return p.lines.every((l) => ctx.line(l.lineId).condition !== 'as_is');
}

export function decideItemIssue(ctx: DecisionContext, out: DecisionBuilder, p: ItemProblem): Amounts | undefined {
  let lines = normaliseLines(p.lines);
  const s = ctx.problemShipment();
  const deliveredAt = s?.deliveredAt ?? s?.events.find((e) => e.kind === 'delivered')?.at ?? null;
  out.cite('US-FTC-435-SHIPMENT-DEF');

  // Missing lines may still be travelling, or may never have shipped.
  let ftcAmounts: Amounts | undefined;
  if (p.kind === 'missing_item') {
    const split = splitShipmentCheck(ctx, out, lines, s);
    lines = split.remaining;
    if (split.unshipped.length > 0) ftcAmounts = decideUnshipped(ctx, out, split.unshipped, null);
    if (lines.length === 0) return ftcAmounts;
  }

  if (deliveredAt) {
    const w = reportWindow(ctx, p, deliveredAt);
    const reportedMs = ctx.ms(p.reportedAt);
    out.setDeadline('reportWindowEndsOn', w.hours ? ctx.deadlineAt(w.endsAtMs, w.ruleIds) : ctx.deadline(w.endsOn, w.ruleIds));
    if (reportedMs > w.endsAtMs) {
      if (utahForbidsDenial(ctx, p)) {
        out.explain('item.utahOverride', {}, ['US-UT-R1521110-REFUNDS']);
        out.require({ kind: 'ESCALATE', to: 'compliance', reason: 'compliance_check', ruleIds: ['US-UT-R1521110-REFUNDS'] });
      } else {
        out.require({ kind: 'DENY', reason: 'report_window_closed', ruleIds: w.ruleIds });
        out.allow({ kind: 'ESCALATE', to: 'supervisor', reason: 'goodwill_exception', ruleIds: w.ruleIds });
        for (const kind of REMEDY_KINDS) out.block({ kind, reason: 'report_window_closed', until: null, ruleIds: w.ruleIds });
        out.explain('item.lateReport', { endsOn: w.endsOn }, w.ruleIds);
        if (p.kind === 'damaged' && s) applyCarrierClaim(ctx, out, s, 'damage', lines, { required: false });
        return ftcAmounts;
      }
    }
  }

  // Perishable spoilage the customer caused is excluded (industry practice).
  if (p.kind === 'perishable_spoiled') {
    const absent = s?.events.some((e) => e.kind === 'attempted_notice_left' || e.kind === 'ready_for_pickup') ?? false;
    const cause = p.customerCause ?? (absent ? 'absent' : null);
    if (cause) {
      out.require({ kind: 'DENY', reason: 'customer_caused', ruleIds: ['IND-PERISHABLE-NO-RETURN'] });
      out.allow({ kind: 'ESCALATE', to: 'supervisor', reason: 'goodwill_exception', ruleIds: ['IND-PERISHABLE-NO-RETURN'] });
      for (const kind of REMEDY_KINDS) out.block({ kind, reason: 'customer_caused', until: null, ruleIds: ['IND-PERISHABLE-NO-RETURN'] });
      out.explain('perishable.excluded', { cause }, ['IND-PERISHABLE-NO-RETURN']);
      return ftcAmounts;
    }
  }

  const needed = requiredEvidence(ctx, p).filter((e) => !p.evidence.includes(e));
  const evidenceRules = p.kind === 'perishable_spoiled' ? ['POLICY-EVIDENCE', 'IND-PERISHABLE-NO-RETURN'] : ['POLICY-EVIDENCE'];
  if (needed.length > 0) {
    out.require({ kind: 'WAIT', until: null, reason: 'awaiting_evidence', evidenceNeeded: needed, ruleIds: evidenceRules });
    for (const kind of REMEDY_KINDS) out.block({ kind, reason: 'awaiting_evidence', until: null, untilEvent: 'evidence_received', ruleIds: evidenceRules });
    out.explain('item.evidenceNeeded', { evidence: needed.join(', ') }, evidenceRules);
  }

  const ruleIds = [p.kind === 'perishable_spoiled' ? 'POLICY-PERISHABLE-REPORT' : 'POLICY-REPORT-WINDOW'];
  const card = ['credit_card', 'debit_card'].includes(ctx.facts.payment.methodKind);
  if (card && (p.kind === 'wrong_item' || p.kind === 'missing_item')) ruleIds.push('US-REGZ-BILLING-ERROR-DELIVERY');
  if (card && (p.kind === 'damaged' || p.kind === 'defective')) out.cite('US-REGZ-QUALITY-EXCLUDED');
  if (utahForbidsDenial(ctx, p)) ruleIds.push('US-UT-R1521110-REFUNDS');

  switch (p.kind) {
    case 'damaged':
      return merge(ftcAmounts, decideDamaged(ctx, out, p, lines, s, ruleIds));
    case 'defective':
      return merge(ftcAmounts, decideDefective(ctx, out, p, lines, ruleIds));
    case 'perishable_spoiled':
      out.require({ kind: 'KEEP_ITEM', lines, mode: 'dispose', retainPackaging: false, ruleIds: ['IND-PERISHABLE-NO-RETURN', 'US-USPS-PERISHABLE-NONMAILABLE'] });
      out.block({ kind: 'RETURN_LABEL', reason: 'perishable_no_return', until: null, lines, ruleIds: ['IND-PERISHABLE-NO-RETURN', 'US-USPS-PERISHABLE-NONMAILABLE'] });
      out.explain('perishable.remedy', {}, ['IND-PERISHABLE-NO-RETURN']);
      return merge(ftcAmounts, offerRemedies(ctx, out, lines, { ruleIds: [...ruleIds, 'IND-PERISHABLE-NO-RETURN'], placement: 'choice' }));
    case 'wrong_item':
      return merge(ftcAmounts, decideWrongItem(ctx, out, p, lines, s, ruleIds));
    case 'missing_item': {
      if (p.packageTampered && s) applyCarrierClaim(ctx, out, s, 'missing_contents', lines, { required: false });
      out.explain('item.missing', {}, ruleIds);
      return merge(ftcAmounts, offerRemedies(ctx, out, lines, { ruleIds, placement: 'choice' }));
    }
  }
}

function merge(a: Amounts | undefined, b: Amounts | undefined): Amounts | undefined {
  return b ?? a;
}

/** Lines still in another undelivered shipment wait for it; lines never shipped go to the FTC rules. */
function splitShipmentCheck(
  ctx: DecisionContext,
  out: DecisionBuilder,
  lines: LineQuantity[],
  reportedIn: ShipmentFacts | undefined,
): { remaining: LineQuantity[]; unshipped: LineQuantity[] } {
  const remaining: LineQuantity[] = [];
  const unshipped: LineQuantity[] = [];
  const unshippedQty = new Map(ctx.unshippedLines().map((l) => [l.lineId, l.quantity]));
  for (const l of lines) {
    let left = l.quantity;
    const notYet = Math.min(left, unshippedQty.get(l.lineId) ?? 0);
    if (notYet > 0) {
      unshipped.push({ lineId: l.lineId, quantity: notYet });
      left -= notYet;
    }
    const travelling = ctx.facts.shipments.filter(
      (s) => s !== reportedIn && isShipped(s) && s.status !== 'delivered' && s.status !== 'return_to_sender' && s.lines.some((x) => x.lineId === l.lineId),
    );
    if (left > 0 && travelling.length > 0) {
      const inTransitQty = Math.min(left, travelling.reduce((n, s) => n + (s.lines.find((x) => x.lineId === l.lineId)?.quantity ?? 0), 0));
      const eta = travelling.map((s) => (s.estimatedDeliveryAt ? ctx.date(s.estimatedDeliveryAt) : ctx.today)).reduce((a, b) => maxLocalDate(a, b));
      const waitLines = [{ lineId: l.lineId, quantity: inTransitQty }];
      out.require({ kind: 'WAIT', until: eta, reason: 'line_in_other_shipment', ruleIds: ['DESK-SPLIT-SHIPMENT'] });
      for (const kind of REMEDY_KINDS) out.block({ kind, reason: 'line_in_other_shipment', until: eta, lines: waitLines, ruleIds: ['DESK-SPLIT-SHIPMENT'] });
      out.explain('item.splitShipment', { eta }, ['DESK-SPLIT-SHIPMENT']);
      left -= inTransitQty;
    }
    if (left > 0) remaining.push({ lineId: l.lineId, quantity: left });
  }
  return { remaining, unshipped };
}

function decideDamaged(
  ctx: DecisionContext,
  out: DecisionBuilder,
  p: Extract<ItemProblem, { kind: 'damaged' }>,
  lines: LineQuantity[],
  s: ShipmentFacts | undefined,
  ruleIds: string[],
): Amounts {
  const special = specialDisposal(ctx, lines, p.batteryHazard === true);
  const keepForCarrier = ctx.policy.damagedGoods === 'keep_until_claim_closed';
  const claim = s ? applyCarrierClaim(ctx, out, s, 'damage', lines, { required: keepForCarrier }) : undefined;
  const claimable = claim !== undefined && !isNoClaim(claim) && ctx.today <= (claim.noticeLastDay ?? claim.lastDay);
  if (special) {
    out.require({ kind: 'KEEP_ITEM', lines, mode: claimable ? 'until_claim_closed' : 'dispose', retainPackaging: claimable, ruleIds: special.ruleIds });
    out.block({ kind: 'RETURN_LABEL', reason: special.reason, until: null, lines, ruleIds: special.ruleIds });
    if (special.reason === 'battery_not_mailable') out.require({ kind: 'ESCALATE', to: 'review', reason: 'battery_hazard', ruleIds: special.ruleIds });
    out.explain('item.noReturn', { reason: special.reason }, special.ruleIds);
  } else if (claimable) {
    out.require({ kind: 'KEEP_ITEM', lines, mode: 'until_claim_closed', retainPackaging: true, ruleIds: ['POLICY-DAMAGED-GOODS', ...claim.ruleIds.filter((r) => r.endsWith('EVIDENCE'))] });
    const after: Action = keepForCarrier
      ? { kind: 'KEEP_ITEM', lines, mode: 'keep', retainPackaging: false, ruleIds: ['POLICY-DAMAGED-GOODS'] }
      : pickup(ctx, lines, 'merchant', ['POLICY-DAMAGED-GOODS', 'POLICY-RETURN-SHIPPING']);
    out.schedule({ action: after, from: null, to: null, trigger: 'carrier_claim_closed' });
    out.explain('item.keepForClaim', {}, ['POLICY-DAMAGED-GOODS']);
  } else if (ctx.policy.damagedGoods === 'return') {
    const payer = ctx.policy.returnShipping.paidBy.damaged;
    out.allow(pickup(ctx, lines, payer, ['POLICY-DAMAGED-GOODS', 'POLICY-RETURN-SHIPPING']));
    out.allow(label(ctx, lines, payer, ['POLICY-DAMAGED-GOODS', 'POLICY-RETURN-SHIPPING']));
  } else {
    out.require({ kind: 'KEEP_ITEM', lines, mode: 'keep', retainPackaging: false, ruleIds: ['POLICY-DAMAGED-GOODS'] });
  }
  out.explain(p.extent === 'whole' ? 'item.damagedWhole' : 'item.damagedPartial', {}, ruleIds);
  return offerRemedies(ctx, out, lines, { ruleIds, placement: 'choice' });
}

function decideDefective(
  ctx: DecisionContext,
  out: DecisionBuilder,
  p: Extract<ItemProblem, { kind: 'defective' }>,
  lines: LineQuantity[],
  ruleIds: string[],
): Amounts {
  const special = specialDisposal(ctx, lines, p.batteryHazard === true);
  const value = linesValueMinor(ctx, lines);
  const rule = ctx.policy.defectiveReturn;
  const mode = rule.mode === 'above_threshold' ? (value > rule.thresholdMinor ? 'before_remedy' : 'not_required') : rule.mode;
  const payer = ctx.policy.returnShipping.paidBy.defective;
  const returnRules = ['POLICY-DEFECTIVE-RETURN', 'POLICY-RETURN-SHIPPING'];
  if (special) {
    out.require({ kind: 'KEEP_ITEM', lines, mode: 'dispose', retainPackaging: false, ruleIds: special.ruleIds });
    out.block({ kind: 'RETURN_LABEL', reason: special.reason, until: null, lines, ruleIds: special.ruleIds });
    if (special.reason === 'battery_not_mailable') out.require({ kind: 'ESCALATE', to: 'review', reason: 'battery_hazard', ruleIds: special.ruleIds });
    out.explain('item.noReturn', { reason: special.reason }, special.ruleIds);
    return offerRemedies(ctx, out, lines, { ruleIds, placement: 'choice' });
  }
  if (mode === 'not_required') {
    out.require({ kind: 'KEEP_ITEM', lines, mode: 'keep', retainPackaging: false, ruleIds: ['POLICY-DEFECTIVE-RETURN'] });
    out.explain('item.defectiveKeep', {}, ['POLICY-DEFECTIVE-RETURN']);
    return offerRemedies(ctx, out, lines, { ruleIds, placement: 'choice' });
  }
  const labelAction = label(ctx, lines, payer, returnRules);
  out.require(labelAction);
  out.allow(pickup(ctx, lines, payer, returnRules));
  const orderFees = payer === 'customer' ? [{ kind: 'return_label' as const, amountMinor: labelAction.labelCostMinor, ruleIds: returnRules }] : [];
  if (mode === 'before_remedy') {
    const trigger = ctx.policy.refundTiming.returns === 'first_scan' ? 'return_first_scan' : 'return_received';
    const amounts = offerRemedies(ctx, out, lines, { ruleIds: [...ruleIds, 'POLICY-DEFECTIVE-RETURN'], placement: 'choice', dueBy: null, orderFees });
    out.schedule({
      action: { kind: 'WAIT', until: null, reason: 'return_in_transit', ruleIds: ['POLICY-DEFECTIVE-RETURN', 'POLICY-REFUND-TIMING'] },
      from: null,
      to: null,
      trigger,
    });
    out.explain('item.defectiveReturnFirst', { trigger }, ['POLICY-DEFECTIVE-RETURN', 'POLICY-REFUND-TIMING']);
    return amounts;
  }
  out.explain('item.defectiveReturnAfter', {}, ['POLICY-DEFECTIVE-RETURN']);
  return offerRemedies(ctx, out, lines, { ruleIds, placement: 'choice', orderFees });
}

function decideWrongItem(
  ctx: DecisionContext,
  out: DecisionBuilder,
  p: Extract<ItemProblem, { kind: 'wrong_item' }>,
  lines: LineQuantity[],
  s: ShipmentFacts | undefined,
  ruleIds: string[],
): Amounts {
  const recv = p.received;
  const legal: string[] = [];
  if (s?.carrier === 'usps') legal.push('US-USC-3009-GIFT');
  else legal.push('US-USC-3009-SCOPE');
  if (ctx.facts.order.shipTo.state.toUpperCase() === 'MA') legal.push('US-MA-UNORDERED-ANY-CARRIER');
  out.explain('wrong.noBill', {}, ['US-USC-3009-NO-BILL', ...legal]);

  const keepRules = recv.alcohol
    ? ['US-ALC-CONSUMER-NO-SHIP']
    : recv.perishable
      ? ['IND-PERISHABLE-NO-RETURN', 'US-USPS-PERISHABLE-NONMAILABLE']
      : recv.hazmat
        ? ['US-HAZMAT-RETURNS']
        : recv.valueMinor <= ctx.policy.keepItem.thresholdMinor
          ? ['POLICY-KEEP-ITEM', 'IND-RETURNLESS-REFUND']
          : null;
  // The extra item is not part of any order line; KEEP_ITEM / pickup name the ordered lines it replaced.
  if (keepRules) {
    out.require({ kind: 'KEEP_ITEM', lines, mode: recv.perishable || recv.hazmat ? 'dispose' : 'keep', retainPackaging: false, ruleIds: [...keepRules, ...legal] });
    out.explain('wrong.keep', { valueMinor: recv.valueMinor }, keepRules);
  } else {
    const windowDays = ctx.policy.pickupWindowDays;
    ctx.param('US-FTC-UNORDERED-HONEST-ERROR', 'pickupDays');
    const to = ctx.addDays(ctx.today, windowDays);
    const rules = ['US-FTC-UNORDERED-HONEST-ERROR', 'POLICY-PICKUP-WINDOW', ...legal];
    out.allow(pickup(ctx, lines, 'merchant', rules));
    out.allow(label(ctx, lines, 'merchant', rules));
    out.schedule({ action: { kind: 'KEEP_ITEM', lines, mode: 'keep', retainPackaging: false, ruleIds: rules }, from: ctx.addDays(to, 1), to: null, trigger: 'pickup_window_ended' });
    out.setDeadline('pickupWindowEndsOn', ctx.deadline(to, ['POLICY-PICKUP-WINDOW', 'US-FTC-UNORDERED-HONEST-ERROR']));
    out.explain('wrong.askBack', { to }, rules);
  }
  return offerRemedies(ctx, out, lines, { ruleIds, placement: 'choice' });
}

/** Goods that never travel back: alcohol, perishables, damaged batteries. */
function specialDisposal(
  ctx: DecisionContext,
  lines: readonly LineQuantity[],
  batteryHazard: boolean,
): { reason: 'alcohol_no_consumer_shipping' | 'perishable_no_return' | 'battery_not_mailable'; ruleIds: string[] } | undefined {
  const ls = lines.map((l) => ctx.line(l.lineId));
  if (batteryHazard && ls.some((l) => l.lithium)) return { reason: 'battery_not_mailable', ruleIds: ['US-USPS-LITHIUM-DAMAGED-BATTERY'] };
  if (ls.some((l) => l.flags.alcohol)) return { reason: 'alcohol_no_consumer_shipping', ruleIds: ['US-ALC-CONSUMER-NO-SHIP', 'US-USPS-ALCOHOL-NONMAILABLE'] };
  if (ls.some((l) => l.flags.perishable)) return { reason: 'perishable_no_return', ruleIds: ['IND-PERISHABLE-NO-RETURN', 'US-USPS-PERISHABLE-NONMAILABLE'] };
  return undefined;
}

function surfaceOnly(ctx: DecisionContext, lines: readonly LineQuantity[]): boolean {
  return lines.some((l) => ctx.line(l.lineId).lithium != null);
}

function lithiumRules(ctx: DecisionContext, lines: readonly LineQuantity[]): string[] {
  const kinds = new Set(lines.map((l) => ctx.line(l.lineId).lithium).filter((k) => k != null));
  const rules: string[] = [];
  if (kinds.has('device')) rules.push('US-USPS-LITHIUM-USED-SURFACE');
  if (kinds.has('battery')) rules.push('US-USPS-LITHIUM-LOOSE');
  if (rules.length > 0) rules.push('US-HAZMAT-RETURNS');
  return rules;
}

/** Return label for lines; lithium devices and loose cells go by surface only. */
export function label(ctx: DecisionContext, lines: LineQuantity[], paidBy: 'merchant' | 'customer', ruleIds: string[]) {
  return {
    kind: 'RETURN_LABEL' as const,
    lines,
    paidBy,
    labelCostMinor: paidBy === 'customer' ? ctx.policy.returnShipping.labelCostMinor : 0,
    surfaceOnly: surfaceOnly(ctx, lines),
    customsEntry: 'none' as const,
    ruleIds: [...ruleIds, ...lithiumRules(ctx, lines)],
  };
}

/** Carrier pickup within the merchant's pickup window. */
export function pickup(ctx: DecisionContext, lines: LineQuantity[], paidBy: 'merchant' | 'customer', ruleIds: string[]) {
  return {
    kind: 'CARRIER_PICKUP' as const,
    lines,
    paidBy,
    windowFrom: ctx.today,
    windowTo: ctx.addDays(ctx.today, ctx.policy.pickupWindowDays),
    surfaceOnly: surfaceOnly(ctx, lines),
    ruleIds: [...new Set([...ruleIds, ...lithiumRules(ctx, lines), 'POLICY-PICKUP-WINDOW'])],
  };
}
