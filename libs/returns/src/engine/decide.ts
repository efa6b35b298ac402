import type { Facts, ShipmentFacts } from '../facts/facts';
import type { MerchantPolicy } from '../policy/merchant-policy';
import { decideAddressIssue } from './address-issue.playbook';
import { interceptOption } from './carrier.evaluator';
import type { Amounts, Decision } from './decision';
import { DecisionBuilder } from './decision-builder';
import { DecisionContext, isShipped } from './decision-context';
import { decideItemIssue } from './item-issue.playbook';
import { decideNotReceived } from './not-received.playbook';
import {
  applyAlcoholOverlay,
  applyCardExposure,
  applyCustomerRequests,
  applyDisputeOverlay,
  applyPriorRemedyOverlay,
} from './overlay.evaluator';
import { decideUnshipped } from './pre-shipment.playbook';
import { emptyAmounts, normaliseLines } from './remedy';
import { decideChangeOfMind } from './return.playbook';
import { decideInTransit } from './tracking.playbook';

/**
 * Decides what must, may and may not happen for a delivery problem, with amounts, deadlines,
 * the rules that justify each line, and a short explanation in English and Japanese.
 *
 * Pure: the same facts, policy and `now` always give the same decision; nothing is read from
 * the clock, a database or the network. Dates are counted in the ship-to time zone
 * (`facts.timeZone`, or derived from the ship-to state and ZIP).
 *
 * @param facts - the case, as the service stores it (see {@link Facts})
 * @param policy - the merchant's policy version (validate JSON with `parsePolicy`)
 * @param now - the evaluation instant (`Date` or ISO string)
 * @returns a JSON-serialisable {@link Decision}
 *
 * @example
 * ```ts
 * import { decide, DEFAULT_POLICY } from '@app/returns';
 *
 * const decision = decide(facts, DEFAULT_POLICY, '2026-03-06T18:00:00Z');
 * decision.required;          // e.g. [{ kind: 'WAIT', reason: 'dnr_window', until: '2026-03-07T15:00:00.000Z', ruleIds: [...] }]
 * decision.customerChoice;    // e.g. RESHIP / REFUND_FULL / STORE_CREDIT, preferred first
 * decision.deadlines.refundDueBy?.date;
 * decision.explanation.ja;    // polite Japanese, one sentence per finding
 * ```
 */
export function decide(facts: Facts, policy: MerchantPolicy, now: Date | string): Decision {
  const ctx = new DecisionContext(facts, policy, now);
  const out = new DecisionBuilder(ctx);
  const amounts = route(ctx, out) ?? emptyAmounts(ctx);
  applyPriorRemedyOverlay(ctx, out);
  applyAlcoholOverlay(ctx, out);
  applyDisputeOverlay(ctx, out);
  applyCardExposure(ctx, out);
  applyCustomerRequests(ctx, out);
  if (amounts.capAdjustmentMinor > 0) out.explain('ledger.capped', { capMinor: amounts.capAdjustmentMinor }, ['DESK-LEDGER-CAP']);
  return out.build(amounts);
}

function route(ctx: DecisionContext, out: DecisionBuilder): Amounts | undefined {
  const p = ctx.facts.problem;
  switch (p.kind) {
    case 'where_is_my_order': {
      const named = ctx.shipment(p.shipmentId);
      const unshipped = ctx.unshippedLines();
      const travelling = named ?? ctx.facts.shipments.filter((s) => isShipped(s) && s.status !== 'delivered').at(-1);
      let amounts: Amounts | undefined;
      if (!named && unshipped.length > 0) amounts = decideUnshipped(ctx, out, unshipped, null);
      if (travelling) amounts = routeShipment(ctx, out, travelling.id, false) ?? amounts;
      else if (!named && unshipped.length === 0) {
        const delivered = ctx.facts.shipments.filter((s) => s.status === 'delivered').at(-1);
        if (delivered) amounts = decideNotReceived(ctx, out, delivered);
      }
      return amounts;
    }
    case 'cancel_request': {
      const wanted = p.lineIds?.length ? new Set(p.lineIds) : undefined;
      const unshipped = ctx.unshippedLines().filter((l) => !wanted || wanted.has(l.lineId));
      const amounts = decideUnshipped(ctx, out, unshipped, p.reportedAt);
      // Shipped lines can only be stopped in transit, or returned after delivery.
      for (const s of ctx.facts.shipments.filter((x) => isShipped(x) && x.status !== 'delivered' && x.lines.some((l) => !wanted || wanted.has(l.lineId)))) {
        out.explain('cancel.shipped', {}, ['US-FTC-435-SHIPMENT-DEF']);
        const stillHere = new Set(unshipped.map((l) => l.lineId));
        const gone = normaliseLines(s.lines).filter((l) => !stillHere.has(l.lineId));
        if (!interceptForCancel(ctx, out, s) && gone.length > 0) {
          out.block({ kind: 'CANCEL_ORDER', reason: 'already_shipped', until: null, lines: gone, ruleIds: ['US-FTC-435-SHIPMENT-DEF'] });
        }
      }
      return amounts;
    }
    case 'not_received':
    case 'lost_in_transit':
      return routeShipment(ctx, out, p.shipmentId, p.kind === 'lost_in_transit');
    case 'damaged':
    case 'defective':
    case 'perishable_spoiled':
    case 'wrong_item':
    case 'missing_item':
      return decideItemIssue(ctx, out, p);
    case 'change_of_mind':
      return decideChangeOfMind(ctx, out, p);
    case 'undeliverable_address':
    case 'not_picked_up':
    case 'redirect_request':
      return decideAddressIssue(ctx, out, p);
  }
}

/** Picks the playbook from what the tracking says, whatever the customer called it. */
function routeShipment(ctx: DecisionContext, out: DecisionBuilder, shipmentId: string, reportedLost: boolean): Amounts | undefined {
  const s = ctx.shipment(shipmentId);
  if (!s) return undefined;
  if (!isShipped(s)) return decideUnshipped(ctx, out, ctx.unshippedLines(), null);
  if (s.status === 'delivered' || s.deliveredAt) return decideNotReceived(ctx, out, s);
  if (s.status === 'return_to_sender' || s.events.some((e) => e.kind === 'returning_to_shipper' || e.kind === 'delivered_to_shipper')) {
    return decideAddressIssue(ctx, out, { kind: 'not_picked_up', shipmentId, reportedAt: ctx.facts.problem.reportedAt, evidence: [] });
  }
  if (s.status === 'available_for_pickup') {
    return decideAddressIssue(ctx, out, { kind: 'not_picked_up', shipmentId, reportedAt: ctx.facts.problem.reportedAt, evidence: [] });
  }
  if (s.status === 'exception' && s.exceptionReason === 'address_problem') {
    out.explain('transit.addressProblem', {}, ['DESK-ADDRESS-CONFIRM']);
    out.require({ kind: 'UPDATE_SHIP_TO', shipmentId, addressKnown: false, feeMinor: 0, feePaidBy: 'merchant', ruleIds: ['DESK-ADDRESS-CONFIRM'] });
    return undefined;
  }
  return decideInTransit(ctx, out, s, reportedLost);
}

/** A cancel on a parcel in transit becomes a return-to-sender intercept offer. */
function interceptForCancel(ctx: DecisionContext, out: DecisionBuilder, s: ShipmentFacts): boolean {
  const option = interceptOption(ctx, s, 'return_to_sender', { customerCaused: true });
  if ('action' in option) {
    out.offer(option.action);
    out.explain('cancel.intercept', { feeMinor: option.action.feeMinor, payer: option.action.feePaidBy }, option.action.ruleIds);
    return true;
  }
  out.block({ kind: 'CARRIER_INTERCEPT', reason: option.blocked, until: null, ruleIds: option.ruleIds });
  return false;
}
