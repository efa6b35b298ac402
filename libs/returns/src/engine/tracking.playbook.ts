/**
 * A shipped parcel that has not arrived: on time (answer with the estimate), late (trace), or
 * stalled long enough to count as lost (remedy the customer now, claim from the carrier).
 */
import { daysBetween, maxLocalDate } from '../calendar/local-date';
import type { ShipmentFacts } from '../facts/facts';
import type { Amounts } from './decision';
import type { DecisionBuilder } from './decision-builder';
import type { DecisionContext } from './decision-context';
import { applyCarrierClaim, tenderDate, traceAction } from './carrier.evaluator';
import { offerRemedies } from './remedy-offer';

/** The last time the carrier reported anything about the parcel. */
export function lastScanAt(s: ShipmentFacts): string | undefined {
  let latest = s.lastEventAt ?? undefined;
  for (const e of s.events) if (!latest || Date.parse(e.at) > Date.parse(latest)) latest = e.at;
  return latest ?? s.tenderedAt ?? undefined;
}

export function decideInTransit(ctx: DecisionContext, out: DecisionBuilder, s: ShipmentFacts, reportedLost: boolean): Amounts | undefined {
  out.cite('US-FTC-435-SHIPMENT-DEF');
  const lastScan = lastScanAt(s);
  const tendered = tenderDate(ctx, s) ?? ctx.today;
  const lastScanDate = lastScan ? ctx.date(lastScan) : tendered;
  const silentDays = daysBetween(lastScanDate, ctx.today);
  const threshold = ctx.policy.lost.daysWithoutScan;
  const lostOn = ctx.addDays(lastScanDate, threshold);
  const expected = s.estimatedDeliveryAt ? ctx.date(s.estimatedDeliveryAt) : undefined;
  const carrierSaysLost = s.status === 'exception' && s.exceptionReason === 'lost';
  const lost = carrierSaysLost || silentDays >= threshold;

  if (lost) {
    out.explain('transit.lost', { days: silentDays, lastScan: lastScanDate, threshold }, carrierSaysLost ? ['POLICY-LOST-NO-SCAN'] : ['POLICY-LOST-NO-SCAN']);
    const trace = traceAction(ctx, s);
    if (trace.blockedReason) {
      out.block({ kind: 'CARRIER_TRACE', reason: trace.blockedReason, until: null, ruleIds: trace.action.ruleIds });
      out.explain('trace.unsearchable', {}, trace.action.ruleIds);
    } else {
      out.require({ ...trace.action, earliest: maxLocalDate(trace.action.earliest, ctx.today) });
    }
    applyCarrierClaim(ctx, out, s, 'loss', s.lines, { required: true });
    const ruleIds = ['POLICY-LOST-NO-SCAN'];
    if (['credit_card', 'debit_card', 'wallet'].includes(ctx.facts.payment.methodKind)) ruleIds.push('US-REGZ-BILLING-ERROR-DELIVERY');
    const amounts = offerRemedies(ctx, out, s.lines, { ruleIds, placement: 'choice' });
    out.explain('transit.foundLater', {}, ['DESK-FOUND-AFTER-COMPENSATION']);
    return amounts;
  }

  if (expected && ctx.today > expected) {
    const trace = traceAction(ctx, s);
    out.explain('transit.late', { expected, lostOn }, ['DESK-LATE-IN-TRANSIT', 'POLICY-LOST-NO-SCAN']);
    if (trace.blockedReason) {
      out.block({ kind: 'CARRIER_TRACE', reason: trace.blockedReason, until: null, ruleIds: trace.action.ruleIds });
    } else if (ctx.today >= trace.action.earliest) {
      out.require(trace.action);
    } else {
      out.block({ kind: 'CARRIER_TRACE', reason: 'not_lost_yet', until: trace.action.earliest, ruleIds: trace.action.ruleIds });
      out.schedule({ action: trace.action, from: trace.action.earliest, to: null, trigger: 'date' });
    }
    if (s.carrier === 'usps' && trace.action.step === 'help_request' && !trace.blockedReason) {
      const search = { ...trace.action, step: 'missing_mail_search' as const };
      const from = ctx.addWorkingDays(maxLocalDate(trace.action.earliest, ctx.today), ctx.param('US-USPS-MISSING-MAIL', 'searchAfterWorkingDays'));
      out.schedule({ action: { ...search, earliest: from }, from, to: null, trigger: 'date' });
      out.setDeadline('carrierTraceFrom', ctx.deadline(from, ['US-USPS-MISSING-MAIL']));
    }
    out.require({ kind: 'WAIT', until: lostOn, reason: 'carrier_trace', ruleIds: ['DESK-LATE-IN-TRANSIT', 'POLICY-LOST-NO-SCAN'] });
    blockRemediesUntil(out, lostOn, reportedLost);
    return undefined;
  }

  const until = expected ?? lostOn;
  out.require({ kind: 'WAIT', until, reason: 'on_time', ruleIds: ['DESK-WISMO-ESTIMATE'] });
  out.explain(expected ? 'transit.onTime' : 'transit.noEstimate', { expected: until, lostOn }, ['DESK-WISMO-ESTIMATE', 'POLICY-LOST-NO-SCAN']);
  blockRemediesUntil(out, lostOn, reportedLost);
  return undefined;
}

function blockRemediesUntil(out: DecisionBuilder, lostOn: string, reportedLost: boolean): void {
  // A customer calling it lost before it counts as lost gets told when it will.
  if (!reportedLost) return;
  for (const kind of ['RESHIP', 'REFUND_FULL', 'REFUND_PARTIAL'] as const) {
    out.block({ kind, reason: 'not_lost_yet', until: lostOn, ruleIds: ['POLICY-LOST-NO-SCAN'] });
  }
}
