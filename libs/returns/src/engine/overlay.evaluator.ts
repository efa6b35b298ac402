/**
 * Rules applied over every playbook's result: an open card dispute (no double recovery),
 * alcohol direct-to-consumer limits on a reship, earlier compensation on the same lines, the
 * card-dispute exposure window, and remedies the customer asked for that are not available.
 */
import type { LocalDate } from '../calendar/local-date';
import type { EvidenceKind } from '../vocabulary';
import { ACTION_KINDS, type ActionKind, type Action } from './decision';
import type { DecisionBuilder } from './decision-builder';
import type { DecisionContext } from './decision-context';

const MONEY_REMEDIES = ['REFUND_FULL', 'REFUND_PARTIAL', 'RESHIP', 'STORE_CREDIT'] as const;

/** Open chargeback: accept or contest it instead of paying twice. */
export function applyDisputeOverlay(ctx: DecisionContext, out: DecisionBuilder): void {
  const d = ctx.facts.payment.dispute;
  if (!d || d.status !== 'open') return;
  const holdAll = ctx.policy.disputes.holdRemediesWhileOpen;
  const noDouble = ctx.enabled('IND-NO-DOUBLE-RECOVERY');
  if (!holdAll && !noDouble) return;
  const kinds = holdAll ? MONEY_REMEDIES : (['REFUND_FULL', 'REFUND_PARTIAL', 'STORE_CREDIT'] as const);
  const ruleIds = [...(noDouble ? ['IND-NO-DOUBLE-RECOVERY'] : []), ...(holdAll ? ['POLICY-DISPUTE-HOLD'] : [])];

  const withdrawn: Action[] = [];
  for (const kind of kinds) withdrawn.push(...out.withdraw(kind));
  const refundWasRequired = withdrawn.some((a) => (a.kind === 'REFUND_FULL' || a.kind === 'REFUND_PARTIAL') && a.ruleIds.some((r) => r.startsWith('US-FTC-435')));
  for (const kind of kinds) out.block({ kind, reason: 'dispute_open', until: null, untilEvent: 'dispute_closed', ruleIds });

  const s = ctx.problemShipment();
  const evidence: EvidenceKind[] = ['tracking_history', 'communications', 'invoice'];
  const pod = s && (s.signatureCaptured || (s.signedBy ?? '') !== '' || s.photoProofOfDelivery);
  if (s?.deliveredAt) evidence.push('proof_of_delivery');
  if (s?.signatureCaptured || (s?.signedBy ?? '') !== '') evidence.push('signature');
  if (s?.photoProofOfDelivery) evidence.push('delivery_photo');
  // Contest only with something to show: a delivery with POD, or goods not yet owed back.
  const owedRefund = refundWasRequired || withdrawn.some((a) => a.kind === 'REFUND_FULL' || a.kind === 'REFUND_PARTIAL' || a.kind === 'RESHIP');
  const contest = d.category === 'not_received' ? !!pod : d.category === 'credit_not_processed' ? false : !owedRefund;
  const respondBy: LocalDate | null =
    d.respondBy ?? (d.network === 'mastercard' && ctx.enabled('MC-4853-GNP-TIMING') ? ctx.addDays(d.noticeAt, ctx.param('MC-4853-GNP-TIMING', 'responseDays')) : null);
  const networkRule = d.network === 'mastercard' ? 'MC-4853-GNP-TIMING' : d.network === 'visa' ? (d.category === 'credit_not_processed' ? 'VISA-13.7-TIMING' : 'VISA-13.1-TIMING') : null;
  const responseRules = [...ruleIds, ...(networkRule ? [networkRule] : []), ...(pod ? ['IND-SIGNATURE-POD'] : [])];
  out.require({ kind: 'DISPUTE_RESPONSE', stance: contest ? 'contest' : 'accept', evidence: contest ? evidence : ['proof_of_refund', 'communications'], respondBy, ruleIds: responseRules });
  if (respondBy) out.setDeadline('disputeResponseDueBy', ctx.deadline(respondBy, responseRules));
  out.explain(contest ? 'dispute.contest' : 'dispute.accept', { network: d.network, reason: d.reasonCode }, ruleIds);
  if (refundWasRequired) out.explain('dispute.ftcViaAccept', {}, ['IND-NO-DOUBLE-RECOVERY']);
}

/** A reship of alcohol must still be lawful direct-to-consumer in the ship-to state. */
export function applyAlcoholOverlay(ctx: DecisionContext, out: DecisionBuilder): void {
  const reships = out.offered().filter((a): a is Extract<Action, { kind: 'RESHIP' }> => a.kind === 'RESHIP');
  const alcohol = reships.some((r) => r.lines.some((l) => ctx.line(l.lineId).flags.alcohol));
  if (!alcohol) return;
  const state = ctx.facts.order.shipTo.state.toUpperCase();
  out.cite('US-ALC-ADULT-SIG-21');
  // The reship needs the carrier's alcohol agreement; USPS cannot carry it at all.
  const carrier = ctx.problemShipment()?.carrier;
  if (carrier === 'ups') out.cite('US-UPS-ALCOHOL');
  else if (carrier === 'fedex') out.cite('US-FEDEX-ALCOHOL-ASR');
  else if (carrier === 'usps') {
    out.block({ kind: 'RESHIP', reason: 'alcohol_no_consumer_shipping', until: null, ruleIds: ['US-USPS-ALCOHOL-NONMAILABLE', 'US-UPS-ALCOHOL', 'US-FEDEX-ALCOHOL-ASR'] });
    out.explain('alcohol.notByUsps', {}, ['US-USPS-ALCOHOL-NONMAILABLE']);
    return;
  }
  const banned = state === 'UT' ? 'US-ALC-DTC-UT' : state === 'DE' ? 'US-ALC-DTC-DE' : null;
  if (banned && ctx.enabled(banned)) {
    out.block({ kind: 'RESHIP', reason: 'alcohol_dtc_prohibited', until: null, ruleIds: [banned] });
    out.explain('alcohol.dtcBanned', { state }, [banned]);
    return;
  }
  const conditional = state === 'RI' ? 'US-ALC-DTC-RI-ONSITE' : state === 'MS' ? 'US-ALC-DTC-MS' : state === 'AR' ? 'US-ALC-DTC-AR' : 'US-ALC-DTC-VOLUME';
  if (ctx.enabled(conditional)) {
    out.allow({ kind: 'ESCALATE', to: 'compliance', reason: 'compliance_check', ruleIds: [conditional] });
    out.explain('alcohol.dtcCheck', { state }, [conditional]);
  }
}

/** Lines already compensated (refund, reship, carrier payout) are not compensated again. */
export function applyPriorRemedyOverlay(ctx: DecisionContext, out: DecisionBuilder): void {
  const prior = ctx.facts.order.priorRemedies ?? [];
  const problemLines = 'lines' in ctx.facts.problem ? ctx.facts.problem.lines : (ctx.problemShipment()?.lines ?? []);
  for (const r of prior) {
    if (r.kind === 'chargeback') continue;
    const overlap = (r.lines ?? []).filter((l) => problemLines.some((p) => p.lineId === l.lineId));
    if (overlap.length === 0) continue;
    for (const kind of MONEY_REMEDIES) out.block({ kind, reason: 'already_compensated', until: null, lines: overlap, ruleIds: ['DESK-LEDGER-CAP'] });
    out.explain('ledger.alreadyCompensated', { kind: r.kind, on: ctx.date(r.at) }, ['DESK-LEDGER-CAP']);
  }
  // A paid "lost" claim on a parcel that turned up must be repaid (USPS) and the case reopened.
  const s = ctx.problemShipment();
  if (s?.claim?.status === 'paid' && (s.status === 'delivered' || s.status === 'return_to_sender')) {
    const ruleIds = s.carrier === 'usps' ? ['US-USPS-CLAIM-REPAY', 'DESK-FOUND-AFTER-COMPENSATION'] : ['DESK-FOUND-AFTER-COMPENSATION'];
    out.require({ kind: 'ESCALATE', to: 'review', reason: 'carrier_claim_repay', ruleIds });
    out.explain('ledger.foundAfterPayout', {}, ruleIds);
  }
}

/** Exposure to a card "not received" dispute: about 120 days from the expected delivery. */
export function applyCardExposure(ctx: DecisionContext, out: DecisionBuilder): void {
  const pay = ctx.facts.payment;
  if (pay.methodKind !== 'credit_card' && pay.methodKind !== 'debit_card') return;
  const kind = ctx.facts.problem.kind;
  if (!['not_received', 'lost_in_transit', 'where_is_my_order', 'wrong_item', 'missing_item'].includes(kind)) return;
  const rule = pay.cardNetwork === 'visa' ? 'VISA-13.1-TIMING' : pay.cardNetwork === 'mastercard' ? 'MC-4853-GNP-TIMING' : null;
  if (!rule || !ctx.enabled(rule)) return;
  const s = ctx.problemShipment();
  const anchor = s?.estimatedDeliveryAt ? ctx.date(s.estimatedDeliveryAt) : ctx.date(ctx.facts.order.placedAt);
  const days = ctx.param(rule, 'disputeDays');
  out.setDeadline('cardDisputeWindowEndsOn', ctx.deadline(ctx.addDays(anchor, days), [rule]));
  out.cite('US-FCBA-60');
}

/** Remedies the customer asked for that the decision does not offer are recorded as blocked. */
export function applyCustomerRequests(ctx: DecisionContext, out: DecisionBuilder): void {
  const asked = ctx.facts.problem.customerRequests ?? [];
  const offered = new Set(out.offered().map((a) => a.kind));
  for (const k of asked) {
    if (!(ACTION_KINDS as readonly string[]).includes(k)) continue;
    const kind = k as ActionKind;
    if (offered.has(kind) || out.isBlocked(kind)) continue;
    out.block({ kind, reason: 'not_available', until: null, ruleIds: ['DESK-REQUEST-NOT-AVAILABLE'] });
    out.explain('request.notAvailable', { kind }, ['DESK-REQUEST-NOT-AVAILABLE']);
  }
}
