/**
 * Undeliverable address, parcel not picked up from a hold, redirect requests, and the parcel
 * coming back to the sender: intercept / hold / correct where the carrier can, the hold-expiry
 * clock, who pays the carrier's fees, and the refund-or-reship decision on return to sender.
 */
import type { Problem, ShipmentFacts } from '../facts/facts';
import type { Amounts, FeeAmount } from './decision';
import type { DecisionBuilder } from './decision-builder';
import type { DecisionContext } from './decision-context';
import { addressCorrectionFee, feePayer, holdExpiry, interceptOption } from './carrier.evaluator';
import { computeAmounts, isWholeOrder, policyRefundDueBy, refundAction, reshipAction, storeCreditAction, withAlternatives } from './remedy';
import { merchantFaultShipping } from './remedy-offer';

type AddressProblem = Extract<Problem, { kind: 'undeliverable_address' | 'not_picked_up' | 'redirect_request' }>;

function returning(s: ShipmentFacts): 'returning' | 'returned' | undefined {
  if (s.events.some((e) => e.kind === 'delivered_to_shipper')) return 'returned';
  if (s.status === 'return_to_sender' || s.events.some((e) => e.kind === 'returning_to_shipper')) return 'returning';
  return undefined;
}

/** Did the customer cause the failed delivery? (wrong address they gave, refusal, not collected) */
function customerCaused(ctx: DecisionContext, s: ShipmentFacts): boolean {
  const p = ctx.facts.problem;
  if (p.kind === 'undeliverable_address') return p.suppliedBy === 'customer';
  if (p.kind === 'not_picked_up' || p.kind === 'redirect_request') return true;
  return s.exceptionReason === 'refused' || s.exceptionReason === 'recipient_unavailable';
}

export function decideAddressIssue(ctx: DecisionContext, out: DecisionBuilder, p: AddressProblem): Amounts | undefined {
  const s = ctx.shipment(p.shipmentId);
  if (!s) return undefined;
  out.cite('US-FTC-435-SHIPMENT-DEF');
  const rts = returning(s);
  if (rts) return decideReturnToSender(ctx, out, s, rts);

  switch (p.kind) {
    case 'not_picked_up':
      return decideHold(ctx, out, s);
    case 'redirect_request':
      return decideRedirect(ctx, out, p, s);
    default:
      return decideUndeliverable(ctx, out, p, s);
  }
}

function decideUndeliverable(ctx: DecisionContext, out: DecisionBuilder, p: Extract<AddressProblem, { kind: 'undeliverable_address' }>, s: ShipmentFacts): Amounts | undefined {
  const byCustomer = p.suppliedBy === 'customer';
  const known = p.correct != null;
  const correction = addressCorrectionFee(ctx, s);
  const payer = feePayer(ctx.policy.carrierFees.addressCorrection, byCustomer);
  const rules = ['DESK-ADDRESS-CONFIRM', 'POLICY-CARRIER-FEES', ...correction.ruleIds];
  out.explain(byCustomer ? 'address.customerSupplied' : 'address.merchantSupplied', { payer }, ['POLICY-CARRIER-FEES']);

  if (s.carrier === 'usps') {
    // USPS has no address correction service; a known address means a redirect intercept.
    const redirect = known ? interceptOption(ctx, s, 'redirect', { customerCaused: byCustomer, toPoBox: p.correct?.poBox === true }) : undefined;
    if (redirect && 'action' in redirect) out.require(redirect.action);
    else {
      // No redirect (retail label, PO Box…): hold it at the Post Office and reship or redeliver from there.
      const hold = interceptOption(ctx, s, 'hold', { customerCaused: byCustomer });
      if ('action' in hold) out.require(hold.action);
      else out.block({ kind: 'CARRIER_INTERCEPT', reason: hold.blocked, until: null, ruleIds: hold.ruleIds });
      out.require({ kind: 'UPDATE_SHIP_TO', shipmentId: s.id, addressKnown: known, feeMinor: 0, feePaidBy: payer, ruleIds: ['DESK-ADDRESS-CONFIRM'] });
      if (redirect && 'blocked' in redirect) out.explain('redirect.notPossible', { reason: redirect.blocked }, redirect.ruleIds);
    }
  } else {
    out.require({ kind: 'UPDATE_SHIP_TO', shipmentId: s.id, addressKnown: known, feeMinor: correction.feeMinor, feePaidBy: payer, ruleIds: rules });
    if (!known) {
      const hold = interceptOption(ctx, s, 'hold', { customerCaused: byCustomer });
      if ('action' in hold) out.allow(hold.action);
    }
  }
  if (!known) out.explain('address.confirm', {}, ['DESK-ADDRESS-CONFIRM']);
  const expiry = holdExpiry(ctx, s);
  if (expiry) {
    out.setDeadline('holdExpiresOn', ctx.deadline(expiry.date, expiry.ruleIds));
    out.explain('hold.expires', { date: expiry.date }, expiry.ruleIds);
  }
  scheduleRtsRemedy(ctx, out, s, byCustomer, expiry ? ctx.addDays(expiry.date, 1) : null);
  return undefined;
}

function decideHold(ctx: DecisionContext, out: DecisionBuilder, s: ShipmentFacts): Amounts | undefined {
  const expiry = holdExpiry(ctx, s);
  if (!expiry) {
    out.require({ kind: 'ESCALATE', to: 'review', reason: 'no_carrier_rules', ruleIds: ['DESK-REQUEST-NOT-AVAILABLE'] });
    return undefined;
  }
  out.setDeadline('holdExpiresOn', ctx.deadline(expiry.date, expiry.ruleIds));
  if (ctx.today <= expiry.date) {
    out.require({ kind: 'WAIT', until: expiry.date, reason: 'hold_pickup', ruleIds: expiry.ruleIds });
    if (s.carrier === 'fedex' && !s.deliveryChangesRestricted) {
      out.allow({ kind: 'CARRIER_HOLD', shipmentId: s.id, carrier: s.carrier, until: expiry.date, ruleIds: ['US-FEDEX-DM-RESCHEDULE', 'US-FEDEX-HAL-5BD'] });
    }
    if (s.carrier === 'ups' && !s.deliveryChangesRestricted) {
      out.allow({ kind: 'CARRIER_HOLD', shipmentId: s.id, carrier: s.carrier, until: expiry.date, ruleIds: ['US-UPS-MYCHOICE-CHANGE', 'US-UPS-HOLD-ACCESS-POINT'] });
    }
    out.explain('hold.pickUpBy', { date: expiry.date }, expiry.ruleIds);
    if (s.lines.some((l) => ctx.line(l.lineId).flags.perishable)) out.explain('hold.perishable', {}, ['IND-PERISHABLE-NO-RETURN']);
    scheduleRtsRemedy(ctx, out, s, true, ctx.addDays(expiry.date, 1));
    return undefined;
  }
  out.explain('hold.expired', { date: expiry.date }, expiry.ruleIds);
  return decideReturnToSender(ctx, out, s, 'returning');
}

function decideRedirect(ctx: DecisionContext, out: DecisionBuilder, p: Extract<AddressProblem, { kind: 'redirect_request' }>, s: ShipmentFacts): Amounts | undefined {
  const byCustomer = p.requestedBy === 'customer';
  if (s.status === 'delivered') {
    out.block({ kind: 'CARRIER_INTERCEPT', reason: 'already_shipped', until: null, ruleIds: ['DESK-REQUEST-NOT-AVAILABLE'] });
    out.explain('redirect.delivered', {}, ['DESK-REQUEST-NOT-AVAILABLE']);
    return undefined;
  }
  const mode = p.to === 'new_address' ? 'redirect' : p.to === 'hold_location' ? 'hold' : 'return_to_sender';
  // Shippers restrict recipient changes for perishables, high value and signature parcels.
  const restricted =
    s.deliveryChangesRestricted === true ||
    s.lines.some((l) => ctx.line(l.lineId).flags.perishable || ctx.line(l.lineId).flags.alcohol) ||
    s.signatureOption !== 'none';
  if (byCustomer && s.carrier === 'ups' && restricted) {
    out.block({ kind: 'CARRIER_INTERCEPT', reason: 'carrier_cannot', until: null, ruleIds: ['US-UPS-MYCHOICE-CHANGE'] });
    out.explain('redirect.restricted', {}, ['US-UPS-MYCHOICE-CHANGE']);
    return undefined;
  }
  const option = interceptOption(ctx, s, mode, { customerCaused: byCustomer, toPoBox: p.newAddress?.poBox === true });
  if ('blocked' in option) {
    out.block({ kind: 'CARRIER_INTERCEPT', reason: option.blocked, until: null, ruleIds: option.ruleIds });
    out.explain('redirect.notPossible', { reason: option.blocked }, option.ruleIds);
    return undefined;
  }
  out.offer(option.action);
  if (mode === 'redirect') {
    out.require({ kind: 'UPDATE_SHIP_TO', shipmentId: s.id, addressKnown: p.newAddress != null, feeMinor: 0, feePaidBy: option.action.feePaidBy, ruleIds: ['DESK-ADDRESS-CONFIRM'] });
  }
  if (s.lines.some((l) => ctx.line(l.lineId).flags.alcohol)) out.explain('redirect.alcohol', {}, ['US-ALC-ADULT-SIG-21']);
  out.explain('redirect.fee', { feeMinor: option.action.feeMinor, payer: option.action.feePaidBy, onSuccess: option.action.feeOnlyOnSuccess ? 1 : 0 }, option.action.ruleIds);
  return undefined;
}

/** The remedy that will apply if the parcel goes back to the sender. */
function scheduleRtsRemedy(ctx: DecisionContext, out: DecisionBuilder, s: ShipmentFacts, byCustomer: boolean, from: string | null): void {
  const amounts = computeAmounts(ctx, { lines: s.lines, shipping: byCustomer ? 'none' : merchantFaultShipping(ctx, s.lines), fullTax: true });
  const rule = byCustomer ? 'POLICY-RTS-CUSTOMER-CAUSED' : 'POLICY-PREFERRED-REMEDY';
  out.schedule({
    action: refundAction(ctx, amounts, { lines: s.lines, dueBy: null, ruleIds: [rule, 'POLICY-REFUND-TIMING'] }),
    from,
    to: null,
    trigger: 'returned_to_sender',
  });
}

/** Parcel on its way back, or back: refund or reship, by who caused it. */
function decideReturnToSender(ctx: DecisionContext, out: DecisionBuilder, s: ShipmentFacts, state: 'returning' | 'returned'): Amounts {
  const byCustomer = customerCaused(ctx, s);
  const returnedAt = s.events.find((e) => e.kind === 'delivered_to_shipper')?.at;
  const dueBy = state === 'returned' ? policyRefundDueBy(ctx, returnedAt ?? ctx.nowIso) : null;
  out.explain(state === 'returned' ? 'rts.returned' : 'rts.returning', { cause: byCustomer ? 'customer' : 'merchant' }, [byCustomer ? 'POLICY-RTS-CUSTOMER-CAUSED' : 'POLICY-PREFERRED-REMEDY']);

  // Fees the customer caused come off the refund.
  const fees: FeeAmount[] = [];
  if (byCustomer) {
    for (const sc of s.surcharges ?? []) {
      const kind = sc.kind === 'address_correction' ? 'address_correction' : sc.kind === 'intercept' || sc.kind === 'redirect' ? 'intercept' : null;
      const policyPayer = kind === 'address_correction' ? ctx.policy.carrierFees.addressCorrection : ctx.policy.carrierFees.intercept;
      if (kind && feePayer(policyPayer, true) === 'customer') fees.push({ kind, amountMinor: sc.amountMinor, ruleIds: ['POLICY-CARRIER-FEES'] });
    }
  }
  const perishable = s.lines.some((l) => ctx.line(l.lineId).flags.perishable);
  if (perishable) {
    out.require({ kind: 'KEEP_ITEM', lines: s.lines, mode: 'dispose', retainPackaging: false, ruleIds: ['IND-PERISHABLE-NO-RETURN'] });
  }
  if (!byCustomer) {
    const amounts = computeAmounts(ctx, { lines: s.lines, shipping: merchantFaultShipping(ctx, s.lines), fullTax: true });
    const refund = refundAction(ctx, amounts, { lines: s.lines, dueBy, ruleIds: ['POLICY-PREFERRED-REMEDY', 'POLICY-REFUND-TIMING'] });
    const reship = reshipAction(ctx, s.lines, { ruleIds: ['POLICY-PREFERRED-REMEDY'] });
    for (const a of ctx.policy.preferredRemedy === 'reship' ? [reship, refund] : [refund, reship]) out.offer(a);
    if (ctx.policy.storeCredit.offer) out.offer(storeCreditAction(ctx, amounts.refundTotalMinor, ['POLICY-PREFERRED-REMEDY']));
    if (dueBy) out.setDeadline('refundDueBy', ctx.deadline(dueBy, ['POLICY-REFUND-TIMING']));
    return withAlternatives(ctx, amounts, { storeCredit: ctx.policy.storeCredit.offer, reshipLines: s.lines });
  }

  const mode = ctx.policy.returnToSender.customerCaused;
  const rules = ['POLICY-RTS-CUSTOMER-CAUSED'];
  const amounts = computeAmounts(ctx, { lines: s.lines, shipping: 'none', orderFees: fees, fullTax: true });
  const refund = refundAction(ctx, amounts, { lines: s.lines, dueBy, ruleIds: [...rules, 'POLICY-REFUND-TIMING'] });
  const shippingCharge = isWholeOrder(ctx, s.lines) ? ctx.facts.order.charges.shippingMinor : (s.postageMinor ?? ctx.facts.order.charges.shippingMinor);
  const reship = reshipAction(ctx, s.lines, { ruleIds: rules, paidBy: 'customer', customerChargeMinor: shippingCharge });
  if (mode === 'refund_without_shipping') out.require(refund);
  else if (mode === 'reship_at_customer_cost') out.offer(reship);
  else {
    out.offer(refund);
    out.offer(reship);
  }
  if (dueBy && mode !== 'reship_at_customer_cost') out.setDeadline('refundDueBy', ctx.deadline(dueBy, ['POLICY-REFUND-TIMING']));
  return withAlternatives(ctx, amounts, { storeCredit: false, ...(mode !== 'refund_without_shipping' ? { reshipLines: s.lines } : {}) });
}
