/**
 * FTC Mail, Internet, or Telephone Order Merchandise Rule (16 CFR 435) for unshipped goods:
 * the applicable ship date, the delay-notice chain, consent, and when the buyer's refund
 * right vests. Pure computation; the pre-shipment playbook turns it into actions.
 */
import { type LocalDate, maxLocalDate } from '../calendar/local-date';
import type { DelayNotice, LineQuantity } from '../facts/facts';
import type { RuleId } from '../rules/rule-catalogue';
import type { DecisionContext } from './decision-context';

/** Why a refund right vested (435.2(c) as summarised in the guide). */
export type VestingCause = 'buyer_cancelled' | 'cannot_ship' | 'no_notice' | 'auto_cancel' | 'missed_revised_date';

export interface FtcVesting {
  date: LocalDate;
  cause: VestingCause;
  ruleIds: RuleId[];
}

export interface FtcStatus {
  covered: boolean;
  exemptReason?: string;
  clockStart: LocalDate;
  /** The applicable ship date (stated, implied, 30 or 50 days). */
  shipDate: LocalDate;
  shipDateRuleIds: RuleId[];
  shipDateBasis: 'stated' | 'implied_by_delivery_date' | 'thirty_days' | 'fifty_days_credit';
  /** Notices that do not count, and why. */
  ignoredNotices: Array<{ notice: DelayNotice; reason: 'order_status_page' | 'late' }>;
  /** The delay the buyer is currently in, if any. */
  delay?: {
    notice: 'first' | 'renewed';
    revisedShipDate: LocalDate | null;
    consent: 'deemed' | 'express' | 'express_indefinite' | 'needed';
    /** When the order cancels itself without express consent. */
    autoCancelOn?: LocalDate;
    ruleIds: RuleId[];
  };
  /** The buyer's right to a refund has vested. */
  vested?: FtcVesting;
  /** A notice is due (first or renewed), and by when. */
  noticeDue?: { dueBy: LocalDate; notice: 'first' | 'renewed'; ruleIds: RuleId[] };
  /** Refund due for a vested right (7 working days, or one billing cycle for seller credit). */
  refundDueBy?: LocalDate;
  refundRuleIds: RuleId[];
}

const EXEMPT_CATEGORIES = new Set(['seeds', 'plants', 'growing_plants', 'live_plants', 'magazine_subscription']);

function exemptReason(ctx: DecisionContext, lines: readonly LineQuantity[]): string | undefined {
  const { order, payment } = ctx.facts;
  if (!ctx.enabled('US-FTC-435-EXEMPT')) return undefined;
  if (payment.methodKind === 'cash_on_delivery') return 'cash_on_delivery';
  if (order.ftcExemptReason) return order.ftcExemptReason;
  if ((payment.sellerIsCreditor || payment.methodKind === 'seller_credit') && payment.chargedBeforeShipment === false) {
    return 'credit_not_charged_before_shipment';
  }
  if (lines.length > 0 && lines.every((l) => EXEMPT_CATEGORIES.has(ctx.line(l.lineId).category.toLowerCase()))) return 'seeds_or_plants';
  return undefined;
}

/** The FTC position of the unshipped `lines` today. */
export function evaluateFtc(ctx: DecisionContext, lines: readonly LineQuantity[], cancelRequestedAt?: string | null): FtcStatus {
  const { order, payment } = ctx.facts;
  const pre = ctx.facts.preShipment;
  const exempt = exemptReason(ctx, lines);

  let clockInstant = order.properlyCompletedAt ?? order.placedAt;
  if (payment.dishonoredAt && payment.goodPaymentAt && ctx.ms(payment.goodPaymentAt) > ctx.ms(clockInstant)) {
    clockInstant = payment.goodPaymentAt;
  }
  const clockStart = ctx.date(clockInstant);

  let shipDate: LocalDate;
  let shipDateBasis: FtcStatus['shipDateBasis'];
  const shipDateRuleIds: RuleId[] = ['US-FTC-435-CLOCK-START'];
  const promise = order.shippingPromise;
  switch (promise.kind) {
    case 'ships_within':
      shipDate =
        promise.unit === 'business_days'
          ? ctx.addWorkingDays(clockStart, promise.amount)
          : promise.unit === 'calendar_days'
            ? ctx.addDays(clockStart, promise.amount)
            : ctx.date(new Date(ctx.ms(clockInstant) + promise.amount * 3_600_000).toISOString());
      shipDateBasis = 'stated';
      shipDateRuleIds.push('US-FTC-435-SHIP-STATED');
      break;
    case 'ship_by':
      shipDate = promise.date;
      shipDateBasis = 'stated';
      shipDateRuleIds.push('US-FTC-435-SHIP-STATED');
      break;
    case 'deliver_by':
      // A promised delivery date implies a ship date; the transit allowance is the merchant's.
      shipDate = maxLocalDate(clockStart, ctx.addWorkingDays(promise.date, -ctx.policy.impliedTransitWorkingDays));
      shipDateBasis = 'implied_by_delivery_date';
      shipDateRuleIds.push('US-FTC-435-SHIP-STATED', 'POLICY-IMPLIED-SHIP-DATE');
      break;
    default:
      if (payment.appliedForSellerCredit && ctx.enabled('US-FTC-435-SHIP-50-CREDIT')) {
        shipDate = ctx.addDays(clockStart, ctx.param('US-FTC-435-SHIP-50-CREDIT', 'days'));
        shipDateBasis = 'fifty_days_credit';
        shipDateRuleIds.push('US-FTC-435-SHIP-50-CREDIT');
      } else {
        shipDate = ctx.addDays(clockStart, ctx.param('US-FTC-435-SHIP-30', 'days'));
        shipDateBasis = 'thirty_days';
        shipDateRuleIds.push('US-FTC-435-SHIP-30');
      }
  }

  const sellerCredit = payment.sellerIsCreditor === true || payment.methodKind === 'seller_credit';
  const refundRuleIds: RuleId[] = [sellerCredit ? 'US-FTC-435-REFUND-CYCLE' : 'US-FTC-435-REFUND-7WD', 'US-FTC-435-REFUND-AMOUNT'];
  if (payment.originalMethodUnavailable) refundRuleIds.push('US-FTC-435-REFUND-METHOD');
  const refundDue = (vest: LocalDate) =>
    sellerCredit
      ? ctx.addDays(vest, payment.billingCycleDays ?? ctx.policy.defaultBillingCycleDays)
      : ctx.addWorkingDays(vest, ctx.param('US-FTC-435-REFUND-7WD', 'workingDays'));

  const status: FtcStatus = {
    covered: exempt === undefined,
    ...(exempt ? { exemptReason: exempt } : {}),
    clockStart,
    shipDate,
    shipDateRuleIds,
    shipDateBasis,
    ignoredNotices: [],
    refundRuleIds,
  };
  if (!status.covered) return status;

  // Walk the notice chain in order; each valid notice sets the next date a notice is due by.
  const longDays = ctx.param('US-FTC-435-EXPRESS-CONSENT-LONG', 'days');
  const deemedDays = ctx.param('US-FTC-435-DEEMED-CONSENT-30', 'days');
  const notices = [...(pre?.delayNotices ?? [])].sort((a, b) => ctx.ms(a.sentAt) - ctx.ms(b.sentAt));
  let dueBy: LocalDate | null = shipDate;
  let delay: FtcStatus['delay'];
  let lastValidNoticeMs: number | undefined;
  let noticeCount = 0;
  for (const n of notices) {
    if (n.channel === 'order_status_page') {
      status.ignoredNotices.push({ notice: n, reason: 'order_status_page' });
      continue;
    }
    if (dueBy === null || ctx.date(n.sentAt) > dueBy) {
      // An indefinite consented delay needs no more notices; a notice after its due date cures nothing.
      if (dueBy !== null) status.ignoredNotices.push({ notice: n, reason: 'late' });
      continue;
    }
    noticeCount++;
    lastValidNoticeMs = ctx.ms(n.sentAt);
    if (noticeCount === 1) {
      const longDelay = n.revisedShipDate === null || n.revisedShipDate > ctx.addDays(shipDate, deemedDays);
      delay = longDelay
        ? {
            notice: 'first',
            revisedShipDate: n.revisedShipDate,
            consent: 'needed',
            autoCancelOn: ctx.addDays(shipDate, longDays + 1),
            ruleIds: ['US-FTC-435-OPTION-NOTICE', 'US-FTC-435-EXPRESS-CONSENT-LONG'],
          }
        : { notice: 'first', revisedShipDate: n.revisedShipDate, consent: 'deemed', ruleIds: ['US-FTC-435-OPTION-NOTICE', 'US-FTC-435-DEEMED-CONSENT-30'] };
    } else {
      delay = {
        notice: 'renewed',
        revisedShipDate: n.revisedShipDate,
        consent: 'needed',
        autoCancelOn: ctx.addDays(dueBy, 1),
        ruleIds: ['US-FTC-435-RENEWED-NOTICE'],
      };
    }
    dueBy = n.revisedShipDate;
  }

  if (delay && pre?.expressConsentAt && lastValidNoticeMs !== undefined && ctx.ms(pre.expressConsentAt) >= lastValidNoticeMs) {
    const consentDate = ctx.date(pre.expressConsentAt);
    const inTime = !delay.autoCancelOn || consentDate < delay.autoCancelOn;
    if (inTime) {
      delay = { ...delay, consent: pre.expressConsentIndefinite || delay.revisedShipDate === null ? 'express_indefinite' : 'express' };
      delete delay.autoCancelOn;
    }
  }
  if (delay) status.delay = delay;

  const vestings: FtcVesting[] = [];
  for (const c of pre?.cannotShip ?? []) {
    if (lines.some((l) => l.lineId === c.lineId)) {
      vestings.push({ date: ctx.date(c.learnedAt), cause: 'cannot_ship', ruleIds: ['US-FTC-435-CANNOT-SHIP', 'US-FTC-435-VESTING'] });
    }
  }
  const cancelAt = cancelRequestedAt ?? pre?.cancellationRequestedAt ?? null;
  if (cancelAt && delay && lastValidNoticeMs !== undefined && ctx.ms(cancelAt) >= lastValidNoticeMs) {
    vestings.push({ date: ctx.date(cancelAt), cause: 'buyer_cancelled', ruleIds: ['US-FTC-435-OPTION-NOTICE', 'US-FTC-435-VESTING'] });
  }
  if (!delay) {
    if (ctx.today > shipDate) {
      vestings.push({ date: ctx.addDays(shipDate, 1), cause: 'no_notice', ruleIds: ['US-FTC-435-NO-NOTICE-CANCEL', 'US-FTC-435-VESTING'] });
    }
  } else if (delay.consent === 'needed' && delay.autoCancelOn && ctx.today >= delay.autoCancelOn) {
    vestings.push({ date: delay.autoCancelOn, cause: 'auto_cancel', ruleIds: [...delay.ruleIds, 'US-FTC-435-VESTING'] });
  } else if (delay.consent !== 'express_indefinite' && delay.revisedShipDate !== null && ctx.today > delay.revisedShipDate) {
    vestings.push({
      date: ctx.addDays(delay.revisedShipDate, 1),
      cause: 'missed_revised_date',
      ruleIds: ['US-FTC-435-RENEWED-NOTICE', 'US-FTC-435-VESTING'],
    });
  }
  if (vestings.length > 0) {
    const first = vestings.reduce((a, b) => (b.date < a.date ? b : a));
    status.vested = first;
    status.refundDueBy = refundDue(first.date);
    return status;
  }

  // Not vested: is a notice due?
  const expected = pre?.expectedShipDate ?? null;
  const knownLate = (date: LocalDate | null) => date !== null && ((pre?.delayKnownAt ?? null) !== null || (expected !== null && expected > date));
  if (!delay) {
    if (knownLate(shipDate) && (expected === null || expected > shipDate)) {
      status.noticeDue = { dueBy: shipDate, notice: 'first', ruleIds: ['US-FTC-435-OPTION-NOTICE'] };
    }
  } else if (delay.revisedShipDate !== null && delay.consent !== 'express_indefinite' && expected !== null && expected > delay.revisedShipDate) {
    status.noticeDue = { dueBy: delay.revisedShipDate, notice: 'renewed', ruleIds: ['US-FTC-435-RENEWED-NOTICE'] };
  }
  return status;
}
