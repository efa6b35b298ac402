/**
 * Unshipped goods: where-is-my-order before shipping, and cancellation of an unshipped order
 * or line. The FTC Mail Order Rule decides what is owed; merchant policy decides the rest.
 */
import type { LineQuantity } from '../facts/facts';
import { sumMinor } from '../money/money';
import type { Amounts } from './decision';
import type { DecisionBuilder } from './decision-builder';
import type { DecisionContext } from './decision-context';
import { evaluateFtc } from './ftc-mail-order.evaluator';
import { computeAmounts, isWholeOrder, normaliseLines, policyRefundDueBy, refundAction, storeCreditAction, withAlternatives } from './remedy';

/** Refund spec for cancelled unshipped lines (FTC "how much you must refund"). */
function cancelledAmounts(ctx: DecisionContext, lines: LineQuantity[]): Amounts {
  const nothingShipped = sumMinor([...ctx.shippedQuantities().values()]) === 0;
  const shipping =
    nothingShipped && isWholeOrder(ctx, lines) ? 'all' : ctx.facts.order.charges.shippingChargeMode === 'flat_per_order' ? 'none' : 'proportional';
  return computeAmounts(ctx, { lines, shipping, fullTax: true, includeDuties: true });
}

/**
 * Decides for `lines` that have not shipped. `cancelRequestedAt` is set when the buyer asks to
 * cancel now. Returns the refund amounts when a refund is owed or on offer.
 */
export function decideUnshipped(
  ctx: DecisionContext,
  out: DecisionBuilder,
  lines: LineQuantity[],
  cancelRequestedAt: string | null,
): Amounts | undefined {
  if (lines.length === 0) return undefined;
  const ftc = evaluateFtc(ctx, lines, cancelRequestedAt);
  const policyCancel = ctx.policy.cancellation.allowBeforeShipment;
  out.cite('US-FTC-435-SHIPMENT-DEF');

  if (!ftc.covered) {
    out.explain('ftc.exempt', { reason: ftc.exemptReason ?? '' }, ['US-FTC-435-EXEMPT']);
    const amounts = cancelledAmounts(ctx, lines);
    if (cancelRequestedAt && policyCancel) {
      const dueBy = policyRefundDueBy(ctx, ctx.today);
      out.require({ kind: 'CANCEL_ORDER', lines, refundMinor: amounts.refundTotalMinor, refundDueBy: dueBy, ruleIds: ['POLICY-CANCEL-UNSHIPPED'] });
      out.require(refundAction(ctx, amounts, { lines, dueBy, ruleIds: ['POLICY-CANCEL-UNSHIPPED', 'POLICY-REFUND-TIMING'] }));
      out.setDeadline('refundDueBy', ctx.deadline(dueBy, ['POLICY-REFUND-TIMING']));
      out.explain('cancel.policy', { dueBy }, ['POLICY-CANCEL-UNSHIPPED']);
      return amounts;
    }
    out.require({ kind: 'WAIT', until: ftc.shipDate, reason: 'on_time', ruleIds: ['DESK-WISMO-ESTIMATE'] });
    if (policyCancel) out.allow({ kind: 'CANCEL_ORDER', lines, refundMinor: amounts.refundTotalMinor, refundDueBy: policyRefundDueBy(ctx, ctx.today), ruleIds: ['POLICY-CANCEL-UNSHIPPED'] });
    return undefined;
  }

  out.cite('US-FTC-435-SCOPE');
  out.explain('ftc.shipDate', { date: ftc.shipDate, basis: ftc.shipDateBasis }, ftc.shipDateRuleIds);
  for (const ignored of ftc.ignoredNotices) {
    out.explain(ignored.reason === 'late' ? 'ftc.noticeLate' : 'ftc.noticeStatusPage', { date: ctx.date(ignored.notice.sentAt) }, ['US-FTC-435-OPTION-NOTICE', 'US-FTC-435-NO-NOTICE-CANCEL']);
  }

  if (ftc.vested) {
    const vest = ftc.vested;
    const cannotShip = new Set((ctx.facts.preShipment?.cannotShip ?? []).map((c) => c.lineId));
    const vestLines = vest.cause === 'cannot_ship' ? lines.filter((l) => cannotShip.has(l.lineId)) : lines;
    const amounts = cancelledAmounts(ctx, vestLines);
    const dueBy = ftc.refundDueBy!;
    const ruleIds = [...vest.ruleIds, ...ftc.refundRuleIds];
    out.require({ kind: 'CANCEL_ORDER', lines: normaliseLines(vestLines), refundMinor: amounts.refundTotalMinor, refundDueBy: dueBy, ruleIds: [...vest.ruleIds] });
    out.require(refundAction(ctx, amounts, { lines: vestLines, dueBy, ruleIds }));
    if (ctx.policy.storeCredit.offer) out.allow(storeCreditAction(ctx, amounts.refundTotalMinor, ruleIds));
    if (vest.cause === 'no_notice' || vest.cause === 'missed_revised_date') {
      out.block({ kind: 'DELAY_NOTICE', reason: 'notice_too_late', until: null, ruleIds: ['US-FTC-435-NO-NOTICE-CANCEL'] });
    }
    out.setDeadline('refundDueBy', ctx.deadline(dueBy, ftc.refundRuleIds));
    out.explain('ftc.vested', { cause: vest.cause, vest: vest.date }, vest.ruleIds);
    out.explain('ftc.refundDue', { dueBy, amountMinor: amounts.refundTotalMinor }, ftc.refundRuleIds);
    if (vest.cause === 'cannot_ship') out.explain('ftc.noSubstitute', {}, ['US-FTC-435-CANNOT-SHIP']);
    return withAlternatives(ctx, amounts, { storeCredit: ctx.policy.storeCredit.offer });
  }

  const amounts = cancelledAmounts(ctx, lines);
  const cancelDue = ctx.addWorkingDays(ctx.today, ctx.param('US-FTC-435-REFUND-7WD', 'workingDays'));
  const cancelOption = (ruleIds: string[]) =>
    ({ kind: 'CANCEL_ORDER', lines, refundMinor: amounts.refundTotalMinor, refundDueBy: cancelDue, ruleIds }) as const;

  if (ftc.noticeDue) {
    const expected = ctx.facts.preShipment?.expectedShipDate ?? null;
    out.require({
      kind: 'DELAY_NOTICE',
      dueBy: ftc.noticeDue.dueBy,
      notice: ftc.noticeDue.notice,
      revisedShipDate: expected,
      offerCancel: true,
      channels: ['email', 'phone', 'mail', 'sms'],
      ruleIds: ftc.noticeDue.ruleIds,
    });
    out.setDeadline('delayNoticeDueBy', ctx.deadline(ftc.noticeDue.dueBy, ftc.noticeDue.ruleIds));
    out.explain(ftc.noticeDue.notice === 'first' ? 'ftc.noticeDue' : 'ftc.renewedNoticeDue', { dueBy: ftc.noticeDue.dueBy }, ftc.noticeDue.ruleIds);
  }

  const delay = ftc.delay;
  if (delay) {
    if (delay.consent === 'needed' && delay.autoCancelOn) {
      out.offer(cancelOption([...delay.ruleIds]));
      out.offer({ kind: 'WAIT', until: delay.revisedShipDate, reason: 'buyer_consents_to_delay', ruleIds: [...delay.ruleIds] });
      out.schedule({
        action: { ...cancelOption([...delay.ruleIds, 'US-FTC-435-VESTING']), refundDueBy: ctx.addWorkingDays(delay.autoCancelOn, ctx.param('US-FTC-435-REFUND-7WD', 'workingDays')) },
        from: delay.autoCancelOn,
        to: null,
        trigger: 'no_express_consent',
      });
      out.setDeadline('autoCancelOn', ctx.deadline(delay.autoCancelOn, delay.ruleIds));
      out.explain('ftc.consentNeeded', { autoCancelOn: delay.autoCancelOn }, delay.ruleIds);
    } else {
      out.require({ kind: 'WAIT', until: delay.revisedShipDate, reason: 'revised_ship_date', ruleIds: [...delay.ruleIds] });
      out.allow(cancelOption(['US-FTC-435-OPTION-NOTICE', 'US-FTC-435-VESTING']));
      out.explain(delay.consent === 'deemed' ? 'ftc.deemedConsent' : 'ftc.expressConsent', { revised: delay.revisedShipDate ?? '' }, delay.ruleIds);
      if (delay.revisedShipDate && !ftc.noticeDue) {
        out.setDeadline('delayNoticeDueBy', ctx.deadline(delay.revisedShipDate, ['US-FTC-435-RENEWED-NOTICE']));
      }
    }
    return withAlternatives(ctx, amounts, { storeCredit: false });
  }

  // On time, no delay notice outstanding.
  if (!ftc.noticeDue) {
    out.require({ kind: 'WAIT', until: ftc.shipDate, reason: 'on_time', ruleIds: ftc.shipDateRuleIds });
    out.setDeadline('delayNoticeDueBy', ctx.deadline(ftc.shipDate, ['US-FTC-435-OPTION-NOTICE']));
    out.explain('ftc.onTime', { date: ftc.shipDate }, ftc.shipDateRuleIds);
  }
  if (cancelRequestedAt) {
    if (policyCancel) {
      const dueBy = policyRefundDueBy(ctx, ctx.today);
      out.withdraw('WAIT');
      out.withdraw('DELAY_NOTICE');
      out.require({ ...cancelOption(['POLICY-CANCEL-UNSHIPPED']), refundDueBy: dueBy });
      out.require(refundAction(ctx, amounts, { lines, dueBy, ruleIds: ['POLICY-CANCEL-UNSHIPPED', 'POLICY-REFUND-TIMING'] }));
      out.setDeadline('refundDueBy', ctx.deadline(dueBy, ['POLICY-REFUND-TIMING']));
      out.explain('cancel.policy', { dueBy }, ['POLICY-CANCEL-UNSHIPPED']);
      return amounts;
    }
    out.block({ kind: 'CANCEL_ORDER', reason: 'not_available', until: ftc.shipDate, ruleIds: ['POLICY-CANCEL-UNSHIPPED'] });
    out.explain('cancel.notAllowed', { date: ftc.shipDate }, ['POLICY-CANCEL-UNSHIPPED']);
    return undefined;
  }
  if (policyCancel) out.allow(cancelOption(['POLICY-CANCEL-UNSHIPPED']));
  return undefined;
}
