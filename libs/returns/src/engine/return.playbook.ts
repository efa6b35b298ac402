/**
 * Change-of-mind returns (the return-pickup playbook): eligibility under the merchant policy and
 * the ship-to state's law, special goods, international returns and duties, the label or pickup,
 * and the refund on first scan or receipt.
 */
import { type LocalDate, maxLocalDate, parseYmd } from '../calendar/local-date';
import { addBankingDays } from '../calendar/business-calendar';
import type { LineQuantity, OrderLine, Problem, ReturnFacts } from '../facts/facts';
import type { Amounts, FeeAmount, ReturnLabelAction } from './decision';
import type { DecisionBuilder } from './decision-builder';
import type { DecisionContext } from './decision-context';
import { label, pickup } from './item-issue.playbook';
import { computeAmounts, linesValueMinor, normaliseLines, refundAction, storeCreditAction, withAlternatives } from './remedy';
import { effectiveRestockingFee, evaluateStateLaw } from './state-refund.evaluator';

type ChangeOfMind = Extract<Problem, { kind: 'change_of_mind' }>;

/** Last day of the merchant's window for a line, with the holiday extension. */
function policyWindowEnd(ctx: DecisionContext, line: OrderLine): { lastDay: LocalDate; ruleIds: string[] } {
  const rw = ctx.policy.returnWindow;
  const placed = ctx.date(ctx.facts.order.placedAt);
  const carrying = ctx.facts.shipments.filter((s) => s.lines.some((l) => l.lineId === line.id));
  const delivered = carrying.map((s) => s.deliveredAt).filter((d): d is string => !!d);
  const shipped = carrying.map((s) => s.tenderedAt).filter((d): d is string => !!d);
  const anchor =
    rw.countsFrom === 'delivery' && delivered.length > 0
      ? ctx.date(delivered.sort().at(-1)!)
      : rw.countsFrom === 'shipment' && shipped.length > 0
        ? ctx.date(shipped.sort().at(-1)!)
        : rw.countsFrom === 'order'
          ? placed
          : ctx.today; // not delivered yet: the window has not started
  // The disclosed window is honored as written when it is longer.
  const disclosedDays = ctx.facts.order.refundPolicy.disclosed ? (ctx.facts.order.refundPolicy.windowDays ?? 0) : 0;
  let lastDay = ctx.addDays(anchor, Math.max(rw.days, disclosedDays));
  const ruleIds = ['POLICY-RETURN-WINDOW'];
  if (disclosedDays > rw.days) ruleIds.push('US-UDAP-HONOR-POLICY');
  const ext = rw.holidayExtension;
  if (ext.enabled && ctx.enabled('IND-HOLIDAY-EXTENSION')) {
    const { year } = parseYmd(placed);
    const md = placed.slice(5);
    const inSeason = ext.from <= ext.to ? md >= ext.from && md <= ext.to : md >= ext.from || md <= ext.to;
    if (inSeason) {
      const returnYear = ext.returnBy > ext.to || md < ext.from ? year : year + 1;
      const extended = `${returnYear}-${ext.returnBy}`;
      if (extended > lastDay) {
        lastDay = extended;
        ruleIds.push('POLICY-HOLIDAY-EXTENSION', 'IND-HOLIDAY-EXTENSION');
      }
    }
  }
  return { lastDay, ruleIds };
}

function nonReturnable(ctx: DecisionContext, line: OrderLine): boolean {
  const nr = ctx.policy.nonReturnable;
  return nr.categories.some((c) => c.toLowerCase() === line.category.toLowerCase()) || nr.flags.some((f) => line.flags[f]);
}

export function decideChangeOfMind(ctx: DecisionContext, out: DecisionBuilder, p: ChangeOfMind): Amounts | undefined {
  const lines = normaliseLines(p.lines);
  const order = ctx.facts.order;
  const international = p.returnFrom === 'international' || order.shipTo.country.toUpperCase() !== 'US';
  const requestDate = ctx.date(p.reportedAt);
  const law = evaluateStateLaw(ctx, lines.map((l) => ctx.line(l.lineId)));
  out.cite(...law.ruleIds);
  for (const id of law.compliance) out.allow({ kind: 'ESCALATE', to: 'compliance', reason: 'compliance_check', ruleIds: [id] });
  if (law.compliance.length > 0) out.explain('return.compliance', { state: law.state }, law.compliance);

  if (international && !ctx.policy.international.acceptReturns) {
    out.require({ kind: 'DENY', reason: 'international_returns_not_accepted', ruleIds: ['POLICY-INTL-RETURN'] });
    out.block({ kind: 'RETURN_LABEL', reason: 'international_returns_not_accepted', until: null, ruleIds: ['POLICY-INTL-RETURN'] });
    out.explain('return.intlNotAccepted', {}, ['POLICY-INTL-RETURN']);
    return undefined;
  }

  const eligible: LineQuantity[] = [];
  const restockable = new Set<string>();
  let windowEnd: LocalDate | undefined;
  const windowRules = new Set<string>();
  const notReturnable: LineQuantity[] = [];
  const expired: LineQuantity[] = [];
  const callTag: LineQuantity[] = [];
  const rights = new Set<string>();
  for (const lq of lines) {
    const line = ctx.line(lq.lineId);
    const statutory = law.rights.get(line.id);
    const policy = nonReturnable(ctx, line) ? undefined : policyWindowEnd(ctx, line);
    const policyOk = policy !== undefined && requestDate <= policy.lastDay;
    const statuteOk = statutory !== undefined && requestDate <= statutory.lastDay;
    if (policy) {
      windowEnd = windowEnd ? maxLocalDate(windowEnd, policy.lastDay) : policy.lastDay;
      policy.ruleIds.forEach((r) => windowRules.add(r));
    }
    if (statutory) {
      windowEnd = windowEnd ? maxLocalDate(windowEnd, statutory.lastDay) : statutory.lastDay;
      statutory.ruleIds.forEach((r) => windowRules.add(r));
    }
    if (line.flags.perishable && !statuteOk) {
      notReturnable.push(lq);
      continue;
    }
    if (!policyOk && !statuteOk) {
      (policy || statutory ? expired : notReturnable).push(lq);
      continue;
    }
    if (line.flags.alcohol) {
      // Consumers cannot ship alcohol; only the merchant's licensed call tag can bring it back.
      callTag.push(lq);
      if (statuteOk) statutory!.ruleIds.forEach((r) => rights.add(r));
      continue;
    }
    eligible.push(lq);
    if (statuteOk && !policyOk) statutory!.ruleIds.forEach((r) => rights.add(r));
    else if (policyOk) restockable.add(line.id);
  }
  if (windowEnd) out.setDeadline('returnWindowEndsOn', ctx.deadline(windowEnd, [...windowRules]));

  if (notReturnable.length > 0) {
    const exemptRules = [...new Set(notReturnable.flatMap((l) => law.exempt.get(l.lineId) ?? []))];
    const perishable = notReturnable.some((l) => ctx.line(l.lineId).flags.perishable);
    const ruleIds = ['POLICY-NON-RETURNABLE', ...exemptRules, ...(perishable ? ['IND-PERISHABLE-NO-RETURN'] : [])];
    out.block({ kind: 'RETURN_LABEL', reason: perishable ? 'perishable_no_return' : 'non_returnable', until: null, lines: notReturnable, ruleIds });
    out.explain('return.nonReturnable', { count: notReturnable.length }, ruleIds);
  }
  if (expired.length > 0) {
    out.block({ kind: 'RETURN_LABEL', reason: 'return_window_closed', until: null, lines: expired, ruleIds: [...windowRules] });
    out.explain('return.windowClosed', { lastDay: windowEnd ?? '' }, [...windowRules]);
  }
  if (callTag.length > 0) {
    out.block({ kind: 'RETURN_LABEL', reason: 'alcohol_no_consumer_shipping', until: null, lines: callTag, ruleIds: ['US-ALC-CONSUMER-NO-SHIP', 'US-USPS-ALCOHOL-NONMAILABLE'] });
    out.allow({ ...pickup(ctx, callTag, 'merchant', ['US-ALC-CONSUMER-NO-SHIP']) });
    eligible.push(...callTag);
    out.explain('return.alcoholCallTag', {}, ['US-ALC-CONSUMER-NO-SHIP']);
  }
  if (rights.size > 0) out.explain('return.statutoryRight', { state: law.state }, [...rights]);
  if (eligible.length === 0) {
    out.require({ kind: 'DENY', reason: expired.length > 0 ? 'return_window_closed' : 'non_returnable', ruleIds: [...new Set(['POLICY-RETURN-WINDOW', 'POLICY-NON-RETURNABLE', ...windowRules])] });
    return undefined;
  }

  // Lithium devices: surface only, and never from abroad.
  const lithium = eligible.filter((l) => ctx.line(l.lineId).lithium != null);
  if (international && lithium.length > 0) {
    out.block({ kind: 'RETURN_LABEL', reason: 'lithium_no_international', until: null, lines: lithium, ruleIds: ['US-USPS-LITHIUM-USED-SURFACE', 'US-HAZMAT-RETURNS'] });
    out.explain('return.lithiumIntl', {}, ['US-USPS-LITHIUM-USED-SURFACE']);
  }
  const sendable = eligible.filter((l) => !(international && lithium.includes(l)) && !callTag.includes(l));

  const payer = international ? ctx.policy.international.returnShippingPaidBy : ctx.policy.returnShipping.paidBy.change_of_mind;
  const shipRules = international ? ['POLICY-INTL-RETURN'] : ['POLICY-RETURN-SHIPPING'];
  const returnRules = [...windowRules, ...rights, ...shipRules];
  let customsEntry: ReturnLabelAction['customsEntry'] = 'none';
  if (international) {
    const intl = ctx.facts.international;
    const deminimisGone = ctx.today >= '2025-08-29' && ctx.enabled('US-CBP-DEMINIMIS-SUSPENDED');
    customsEntry = intl?.usOriginGoods && ctx.enabled('US-CBP-9801-RETURNED') ? 'htsus_9801' : deminimisGone ? 'formal_entry' : 'none';
    if (customsEntry !== 'none') {
      const rules = customsEntry === 'htsus_9801' ? ['US-CBP-9801-RETURNED', 'US-CBP-DEMINIMIS-SUSPENDED'] : ['US-CBP-DEMINIMIS-SUSPENDED'];
      returnRules.push(...rules);
      out.explain('return.customsEntry', { entry: customsEntry }, rules);
    }
  }

  const existing = ctx.facts.returns.find((r) => r.reason === 'change_of_mind' && r.lines.some((l) => eligible.some((e) => e.lineId === l.lineId)));
  if (!existing?.labelIssuedAt && sendable.length > 0) {
    const lbl = { ...label(ctx, sendable, payer, returnRules), customsEntry };
    out.offer(lbl);
    if (!international) out.offer(pickup(ctx, sendable, payer, returnRules));
  }

  // Refund: items (and tax), less a lawful, disclosed restocking fee and a customer-paid label.
  const fee = law.restocking.allowed && restockable.size > 0 ? effectiveRestockingFee(ctx, linesValueMinor(ctx, eligible)) : { kind: 'none' as const };
  if (ctx.policy.restockingFee.kind !== 'none' && !law.restocking.allowed && law.restocking.reason) {
    out.explain(law.restocking.reason === 'restocking_fee_prohibited' ? 'return.restockingProhibited' : 'return.restockingUndisclosed', {}, law.restocking.ruleIds);
  }
  const restockLines = eligible.filter((l) => restockable.has(l.lineId));
  const freeLines = eligible.filter((l) => !restockable.has(l.lineId));
  const orderFees: FeeAmount[] = [];
  const labelCost = existing?.labelCostMinor ?? ctx.policy.returnShipping.labelCostMinor;
  if (payer === 'customer' && (existing ? existing.labelPaidBy === 'customer' : true) && labelCost > 0) {
    orderFees.push({ kind: 'return_label', amountMinor: labelCost, ruleIds: shipRules });
  }
  const shipping = international
    ? ctx.policy.international.refundOriginalShipping
      ? 'proportional'
      : 'none'
    : ctx.policy.shippingRefund.changeOfMind === 'proportional' || (law.state === 'CA' && (order.charges.shippingTaxMinor ?? 0) > 0)
      ? 'proportional'
      : 'none';
  const includeDuties = international && ctx.facts.international?.incoterm === 'DDP' && ctx.policy.international.refundDdpDuties;
  const amountsWithFee = computeAmounts(ctx, {
    lines: [...restockLines, ...freeLines],
    shipping,
    restocking: fee.kind !== 'none' && restockLines.length > 0 ? { fee, ruleIds: ['POLICY-RESTOCKING-FEE', ...law.restocking.ruleIds] } : null,
    orderFees,
    includeDuties,
    fullTax: law.fullTax,
  });
  // Restocking fee applies only to policy-based lines; recompute statutory lines without it.
  const amounts = restockLines.length === eligible.length || fee.kind === 'none' ? amountsWithFee : withoutFeeOn(ctx, amountsWithFee, freeLines);
  out.cite(...law.taxRuleIds);
  if (shipping !== 'none' && law.state === 'CA') out.cite('US-CA-REG1655-RETURN-TAX');

  decideDuties(ctx, out, international);

  const refundRules = [...returnRules, 'POLICY-REFUND-TIMING', ...law.taxRuleIds, ...(amounts.fees.length > 0 ? ['POLICY-RESTOCKING-FEE'] : [])];
  const dueFrom = refundTrigger(ctx, existing);
  if (existing) out.explain('return.inProgress', { stage: dueFrom ? dueFrom.stage : 'requested' }, ['POLICY-REFUND-TIMING']);
  const inspected = inspectReceived(ctx, out, existing);
  if (dueFrom) {
    let dueBy = ctx.addWorkingDays(dueFrom.date, ctx.policy.refundTiming.withinWorkingDays);
    const ruleIds = [...refundRules];
    if (law.refundWithin) {
      const cap = addBankingDays(dueFrom.date, law.refundWithin.bankingDays);
      if (cap < dueBy) dueBy = cap;
      ruleIds.push(...law.refundWithin.ruleIds);
    }
    const refundLines = inspected ? eligible.filter((l) => !inspected.has(l.lineId)) : eligible;
    const refundAmounts = inspected && refundLines.length !== eligible.length ? computeAmounts(ctx, { lines: refundLines, shipping, orderFees, includeDuties, fullTax: law.fullTax }) : amounts;
    if (refundLines.length > 0) out.require(refundAction(ctx, refundAmounts, { lines: refundLines, dueBy, ruleIds }));
    if (ctx.policy.storeCredit.offer && refundAmounts.refundTotalMinor > 0) out.allow(storeCreditAction(ctx, refundAmounts.refundTotalMinor, ruleIds));
    out.setDeadline('refundDueBy', ctx.deadline(dueBy, ruleIds.filter((r) => r.startsWith('POLICY-REFUND') || r.startsWith('US-HI'))));
    if (ctx.facts.payment.cardNetwork === 'visa') out.explain('return.visa137', { date: ctx.addDays(dueFrom.date, ctx.param('VISA-13.7-TIMING', 'waitDays')) }, ['VISA-13.7-TIMING']);
    return withAlternatives(ctx, refundAmounts, { storeCredit: ctx.policy.storeCredit.offer });
  }
  const trigger = ctx.policy.refundTiming.returns === 'first_scan' ? 'return_first_scan' : 'return_received';
  out.schedule({ action: refundAction(ctx, amounts, { lines: eligible, dueBy: null, ruleIds: refundRules }), from: null, to: null, trigger });
  if (ctx.policy.storeCredit.offer && amounts.refundTotalMinor > 0) out.allow(storeCreditAction(ctx, amounts.refundTotalMinor, refundRules));
  out.explain('return.refundOn', { trigger, amountMinor: amounts.refundTotalMinor }, ['POLICY-REFUND-TIMING']);
  return withAlternatives(ctx, amounts, { storeCredit: ctx.policy.storeCredit.offer });
}

function withoutFeeOn(ctx: DecisionContext, a: Amounts, freeLines: readonly LineQuantity[]): Amounts {
  const free = new Set(freeLines.map((l) => l.lineId));
  const lines = a.lines.map((l) => (free.has(l.lineId) ? { ...l, feesMinor: 0, refundMinor: l.itemsMinor + l.taxMinor } : l));
  const restock = lines.reduce((n, l) => n + l.feesMinor, 0);
  const fees = a.fees.map((f) => (f.kind === 'restocking' ? { ...f, amountMinor: restock } : f)).filter((f) => f.amountMinor > 0);
  const feesMinor = fees.reduce((n, f) => n + f.amountMinor, 0);
  const before = a.itemsMinor + a.shippingMinor + a.taxMinor + a.dutiesMinor - feesMinor;
  const capAdjustmentMinor = Math.max(0, before - ctx.refundableMinor);
  return { ...a, lines, fees, feesMinor, capAdjustmentMinor, refundTotalMinor: before - capAdjustmentMinor };
}

/** The return's refund trigger date under the merchant's timing, if it has happened. */
function refundTrigger(ctx: DecisionContext, r: ReturnFacts | undefined): { date: LocalDate; stage: 'first_scan' | 'received' } | undefined {
  if (!r) return undefined;
  if (r.receivedAt) return { date: ctx.date(r.receivedAt), stage: 'received' };
  const scan = r.acceptanceScanAt ?? null;
  if (scan && ctx.policy.refundTiming.returns === 'first_scan') return { date: ctx.date(scan), stage: 'first_scan' };
  return undefined;
}

/** Lines that came back used, damaged, incomplete or different go to review instead of refund. */
function inspectReceived(ctx: DecisionContext, out: DecisionBuilder, r: ReturnFacts | undefined): Set<string> | undefined {
  const bad = (r?.received ?? []).filter((x) => x.condition !== 'as_sent');
  if (bad.length === 0) return undefined;
  out.require({ kind: 'ESCALATE', to: 'review', reason: 'return_inspection', ruleIds: ['DESK-RETURN-INSPECTION'] });
  out.explain('return.inspection', { count: bad.length }, ['DESK-RETURN-INSPECTION']);
  return new Set(bad.map((b) => b.lineId));
}

/** Duties on an international return: who can get them back, and by when. */
function decideDuties(ctx: DecisionContext, out: DecisionBuilder, international: boolean): void {
  const intl = ctx.facts.international;
  if (!international || !intl) return;
  const country = ctx.facts.order.shipTo.country.toUpperCase();
  if (intl.incoterm === 'DDU' || intl.dutiesPaidBy === 'customer') {
    if (country === 'CA') {
      const min = ctx.param('CA-CBSA-CASUAL-REFUND', 'minimumCadMinor');
      const claimable = intl.dutiesCurrency !== 'CAD' || intl.dutiesAndTaxesMinor >= min;
      ctx.param('CA-CBSA-REFUND-TIME', 'years');
      out.explain(claimable ? 'intl.caB2g' : 'intl.caB2gTooSmall', {}, ['CA-CBSA-CASUAL-REFUND', 'CA-CBSA-REFUND-TIME']);
    } else if (country === 'JP') {
      dutyRefundDeadline(ctx, out, intl.importedAt);
    }
    return;
  }
  out.explain(ctx.policy.international.refundDdpDuties ? 'intl.ddpRefunded' : 'intl.ddpKept', {}, ['POLICY-INTL-RETURN']);
  if (country === 'JP') dutyRefundDeadline(ctx, out, intl.importedAt);
}

function dutyRefundDeadline(ctx: DecisionContext, out: DecisionBuilder, importedAt: string | null | undefined): void {
  if (!importedAt) return;
  const last = ctx.addMonths(importedAt, ctx.param('JP-CUSTOMS-1604-CONTRACT-BREACH', 'months'));
  ctx.param('JP-CUSTOMS-1606-REEXPORT', 'years');
  out.setDeadline('customsRefundLastDay', ctx.deadline(last, ['JP-CUSTOMS-1604-CONTRACT-BREACH']));
  out.explain('intl.jpBonded', { lastDay: last }, ['JP-CUSTOMS-1604-CONTRACT-BREACH', 'JP-CUSTOMS-1606-REEXPORT']);
}
