/**
 * Delivered but not received: wait out the window after the delivered scan, then remedy or
 * send to review (repeat claims, high value, captured signature). Porch theft after a valid
 * delivery is not a USPS insurance loss; UPS/FedEx/DHL misdelivery claims remain.
 */
import type { ShipmentFacts } from '../facts/facts';
import type { Amounts, EscalateAction } from './decision';
import type { DecisionBuilder } from './decision-builder';
import type { DecisionContext } from './decision-context';
import { applyCarrierClaim } from './carrier.evaluator';
import { offerRemedies } from './remedy-offer';

export function decideNotReceived(ctx: DecisionContext, out: DecisionBuilder, s: ShipmentFacts): Amounts | undefined {
  const deliveredAt = s.deliveredAt ?? s.events.find((e) => e.kind === 'delivered')?.at;
  if (!deliveredAt) return undefined;
  const waitHours = ctx.policy.notReceived.waitHours;
  ctx.param('IND-DNR-WAIT-48H', 'hours');
  const waitUntilMs = ctx.ms(deliveredAt) + waitHours * 3_600_000;
  const waitRules = ['POLICY-DNR-WAIT', 'IND-DNR-WAIT-48H'];
  const waitUntil = new Date(waitUntilMs).toISOString();
  out.setDeadline('dnrWaitUntil', ctx.deadlineAt(waitUntilMs, waitRules));
  out.cite('US-FTC-435-SHIPMENT-DEF');

  const signed = s.signatureCaptured === true || (s.signedBy ?? '') !== '';
  if (ctx.paidMinor > ctx.policy.signature.requiredAboveMinor && s.signatureOption === 'none') {
    out.explain('dnr.noSignature', { thresholdMinor: ctx.policy.signature.requiredAboveMinor }, ['POLICY-SIGNATURE-THRESHOLD', 'IND-SIGNATURE-POD']);
  }

  if (ctx.nowMs < waitUntilMs) {
    out.require({ kind: 'WAIT', until: waitUntil, reason: 'dnr_window', ruleIds: waitRules });
    out.allow({ kind: 'CARRIER_TRACE', shipmentId: s.id, carrier: s.carrier, step: 'delivery_scan_check', earliest: ctx.today, ruleIds: ['IND-DNR-WAIT-48H'] });
    for (const kind of ['RESHIP', 'REFUND_FULL', 'REFUND_PARTIAL', 'STORE_CREDIT'] as const) {
      out.block({ kind, reason: 'dnr_wait_window', until: waitUntil, ruleIds: waitRules });
    }
    out.explain('dnr.wait', { deliveredOn: ctx.date(deliveredAt), until: waitUntil, hours: waitHours }, waitRules);
    return undefined;
  }

  const review = ctx.policy.notReceived.review;
  const since = ctx.nowMs - review.periodDays * 86_400_000;
  const priorClaims = ctx.facts.customerHistory.claims.filter(
    (c) => (c.kind === 'not_received' || c.kind === 'lost') && ctx.ms(c.at) >= since && ctx.ms(c.at) <= ctx.nowMs,
  ).length;
  const reasons: EscalateAction['reason'][] = [];
  if (priorClaims >= review.repeatClaims) reasons.push('repeat_claims');
  if (ctx.paidMinor > review.orderValueAboveMinor) reasons.push('high_value');
  if (review.whenSignatureCaptured && signed) reasons.push('signature_captured');

  out.allow({ kind: 'CARRIER_TRACE', shipmentId: s.id, carrier: s.carrier, step: 'delivery_scan_check', earliest: ctx.today, ruleIds: ['IND-DNR-WAIT-48H', 'IND-SIGNATURE-POD'] });
  applyCarrierClaim(ctx, out, s, 'loss', s.lines, { required: false, afterDeliveredScan: true });

  const ruleIds = ['POLICY-DNR-WAIT'];
  if (reasons.length > 0) {
    for (const reason of reasons) out.require({ kind: 'ESCALATE', to: 'supervisor', reason, ruleIds: ['POLICY-DNR-REVIEW'] });
    out.explain('dnr.review', { reasons: reasons.join(', '), priorClaims }, ['POLICY-DNR-REVIEW']);
    // Nothing is offered to the customer yet; the supervisor sees what the remedy would be.
    return offerRemedies(ctx, out, s.lines, { ruleIds: [...ruleIds, 'POLICY-DNR-REVIEW'], placement: 'allowed', dueBy: null, approval: 'supervisor' });
  }
  out.explain('dnr.remedy', { deliveredOn: ctx.date(deliveredAt) }, ruleIds);
  return offerRemedies(ctx, out, s.lines, { ruleIds, placement: 'choice' });
}
