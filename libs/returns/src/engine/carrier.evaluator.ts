/**
 * Carrier rules for one shipment: claim windows (opens / last day / file-by), coverage and
 * evidence for USPS, UPS, FedEx and DHL Express; traces; hold periods; intercepts and
 * address-correction fees. Windows are counted per us-rules.md §0 in the ship-to zone.
 */
import { type LocalDate, maxLocalDate, minLocalDate } from '../calendar/local-date';
import type { LineQuantity, ShipmentFacts } from '../facts/facts';
import type { RuleId } from '../rules/rule-catalogue';
import type { EvidenceKind, Payer } from '../vocabulary';
import type { CarrierClaimAction, CarrierInterceptAction, CarrierTraceAction } from './decision';
import type { DecisionBuilder } from './decision-builder';
import type { DecisionContext } from './decision-context';
import { linesValueMinor } from './remedy';

export type ClaimType = 'loss' | 'damage' | 'missing_contents';

export interface ClaimWindow {
  claimType: ClaimType;
  opensOn: LocalDate;
  lastDay: LocalDate;
  fileBy: LocalDate;
  noticeLastDay?: LocalDate;
  /** The claim can only be filed after a completed trace (DHL losses). */
  afterTrace: boolean;
  coverageMinor: number;
  amountMinor: number;
  evidence: EvidenceKind[];
  filer: CarrierClaimAction['filer'];
  claimWith: CarrierClaimAction['claimWith'];
  ruleIds: RuleId[];
  /** Windows and evidence rules only (for deadlines). */
  windowRuleIds: RuleId[];
}

/** Not claimable, and why. */
export interface NoClaim {
  reason: 'not_insured' | 'not_covered_after_delivery' | 'no_carrier_rules' | 'not_tendered';
  ruleIds: RuleId[];
}

const USPS_INSURED_SERVICES = /priority|ground_advantage|express/i;

function tenderDate(ctx: DecisionContext, s: ShipmentFacts): LocalDate | undefined {
  const accepted = s.events.find((e) => e.kind === 'accepted');
  const t = s.tenderedAt ?? accepted?.at;
  return t ? ctx.date(t) : undefined;
}

function scheduledDate(ctx: DecisionContext, s: ShipmentFacts, tendered: LocalDate): LocalDate {
  return s.estimatedDeliveryAt ? ctx.date(s.estimatedDeliveryAt) : tendered;
}

function deliveredDate(ctx: DecisionContext, s: ShipmentFacts): LocalDate | undefined {
  return s.deliveredAt ? ctx.date(s.deliveredAt) : undefined;
}

/** Claim window, coverage and evidence for a shipment, or why there is none. */
export function claimWindow(
  ctx: DecisionContext,
  s: ShipmentFacts,
  claimType: ClaimType,
  lines: readonly LineQuantity[],
  opts: { afterDeliveredScan?: boolean } = {},
): ClaimWindow | NoClaim {
  const t = tenderDate(ctx, s);
  if (!t) return { reason: 'not_tendered', ruleIds: ['US-FTC-435-SHIPMENT-DEF'] };
  const goods = linesValueMinor(ctx, lines);
  const reported = ctx.date(ctx.facts.problem.reportedAt);
  const delivered = deliveredDate(ctx, s) ?? reported;
  const thirdParty = s.coverage.kind === 'third_party';
  const claimWith = thirdParty ? 'third_party_insurer' : 'carrier';
  const cap = (coverage: number, extra = 0) => Math.min(goods + extra, coverage);

  switch (s.carrier) {
    case 'usps': {
      if (opts.afterDeliveredScan && claimType === 'loss') {
        return { reason: 'not_covered_after_delivery', ruleIds: ['US-USPS-CLAIM-POSTDELIVERY'] };
      }
      const included = USPS_INSURED_SERVICES.test(s.service) && !s.international;
      const coverage =
        s.coverage.kind === 'none'
          ? included
            ? ctx.param('US-USPS-INS-INCLUDED', 'includedMinor')
            : 0
          : Math.min(s.coverage.amountMinor, ctx.param('US-USPS-INS-MAX', 'maxMinor'));
      if (coverage === 0) return { reason: 'not_insured', ruleIds: ['US-USPS-INS-INCLUDED'] };
      const coverageRules: RuleId[] = s.coverage.kind === 'none' ? ['US-USPS-INS-INCLUDED'] : ['US-USPS-INS-MAX'];
      const evidence: EvidenceKind[] = ['proof_of_postage', 'invoice'];
      if (claimType === 'loss') {
        let opensAfter: number;
        let last: number;
        let windowRule: RuleId;
        if (s.international) {
          windowRule = 'US-USPS-CLAIM-REGISTERED';
          opensAfter = /express/i.test(s.service)
            ? ctx.param('US-USPS-CLAIM-REGISTERED', 'pmeiOpensAfterDays')
            : ctx.param('US-USPS-CLAIM-REGISTERED', 'pmiOpensAfterDays');
          last = ctx.param('US-USPS-CLAIM-LOSS-WINDOW', 'lastDay');
        } else if (/express/i.test(s.service)) {
          windowRule = 'US-USPS-CLAIM-PME-WINDOW';
          opensAfter = ctx.param('US-USPS-CLAIM-PME-WINDOW', 'opensAfterDays');
          last = ctx.param('US-USPS-CLAIM-PME-WINDOW', 'lastDay');
        } else {
          windowRule = 'US-USPS-CLAIM-LOSS-WINDOW';
          opensAfter = ctx.param('US-USPS-CLAIM-LOSS-WINDOW', 'opensAfterDays');
          last = ctx.param('US-USPS-CLAIM-LOSS-WINDOW', 'lastDay');
        }
        const lastDay = ctx.addDays(t, last);
        const postage = s.postageMinor ?? 0;
        return {
          claimType,
          opensOn: ctx.addDays(t, opensAfter),
          lastDay,
          fileBy: ctx.fileBy(lastDay),
          afterTrace: false,
          coverageMinor: coverage,
          amountMinor: cap(coverage + postage, postage),
          evidence,
          filer: 'merchant',
          claimWith,
          ruleIds: [windowRule, ...coverageRules, 'US-USPS-CLAIM-WHO', 'US-USPS-CLAIM-EVIDENCE', 'US-USPS-CLAIM-POSTAGE'],
          windowRuleIds: [windowRule],
        };
      }
      const lastDay = ctx.addDays(t, ctx.param('US-USPS-CLAIM-DAMAGE-WINDOW', 'lastDay'));
      return {
        claimType,
        opensOn: minLocalDate(delivered, lastDay),
        lastDay,
        fileBy: ctx.fileBy(lastDay),
        afterTrace: false,
        coverageMinor: coverage,
        amountMinor: cap(coverage),
        evidence: [...evidence, 'photo_item', 'photo_packaging', 'photo_label'],
        filer: 'either',
        claimWith,
        ruleIds: ['US-USPS-CLAIM-DAMAGE-WINDOW', ...coverageRules, 'US-USPS-CLAIM-WHO', 'US-USPS-CLAIM-EVIDENCE'],
        windowRuleIds: ['US-USPS-CLAIM-DAMAGE-WINDOW'],
      };
    }
    case 'ups': {
      const coverage =
        s.coverage.kind === 'carrier_declared_value'
          ? Math.min(s.coverage.amountMinor, ctx.param('US-UPS-LIAB-100', 'maxDeclaredMinor'))
          : s.coverage.kind === 'third_party'
            ? s.coverage.amountMinor
            : ctx.param('US-UPS-LIAB-100', 'defaultMinor');
      const months = ctx.param('US-UPS-CLAIM-9MO', 'months');
      ctx.param('US-CARMACK-9MO', 'months');
      const anchor = claimType === 'loss' ? scheduledDate(ctx, s, t) : delivered;
      const noticeLastDay = ctx.addDays(anchor, ctx.param('US-UPS-CLAIM-NOTICE-60', 'days'));
      const lastDay = ctx.addMonths(anchor, months);
      const opensOn = claimType === 'loss' ? ctx.addDays(anchor, ctx.param('US-UPS-TRACE-WAIT', 'days')) : anchor;
      return {
        claimType,
        opensOn,
        lastDay,
        noticeLastDay,
        // The 60-day notice is the binding date (Carmack may void it, but we still meet it).
        fileBy: ctx.fileBy(noticeLastDay),
        afterTrace: false,
        coverageMinor: coverage,
        amountMinor: cap(coverage),
        evidence:
          claimType === 'loss'
            ? ['invoice', 'proof_of_postage']
            : ['photo_item', 'photo_box_all_sides', 'photo_inner_packaging', 'photo_label', 'photo_box_certificate', 'box_dimensions', 'invoice'],
        filer: 'either',
        claimWith,
        ruleIds: [
          'US-UPS-CLAIM-NOTICE-60',
          'US-UPS-CLAIM-9MO',
          'US-CARMACK-9MO',
          'US-UPS-LIAB-100',
          ...(claimType === 'loss' ? (['US-UPS-TRACE-WAIT'] as const) : (['US-UPS-CLAIM-EVIDENCE'] as const)),
        ],
        windowRuleIds: ['US-UPS-CLAIM-NOTICE-60', 'US-UPS-CLAIM-9MO'],
      };
    }
    case 'fedex': {
      const coverage =
        s.coverage.kind === 'none' || s.coverage.kind === 'carrier_included' ? ctx.param('US-FEDEX-LIAB-100', 'defaultMinor') : s.coverage.amountMinor;
      if (claimType === 'loss') {
        const lastDay = ctx.addMonths(t, ctx.param('US-FEDEX-CLAIM-NONDELIVERY-9MO', 'months'));
        return {
          claimType,
          opensOn: t,
          lastDay,
          fileBy: ctx.fileBy(lastDay),
          afterTrace: false,
          coverageMinor: coverage,
          amountMinor: cap(coverage),
          evidence: ['invoice', 'proof_of_postage'],
          filer: 'merchant',
          claimWith,
          ruleIds: ['US-FEDEX-CLAIM-NONDELIVERY-9MO', 'US-FEDEX-LIAB-100'],
          windowRuleIds: ['US-FEDEX-CLAIM-NONDELIVERY-9MO'],
        };
      }
      const days = s.international ? ctx.param('US-FEDEX-CLAIM-DAMAGE-60', 'internationalDays') : ctx.param('US-FEDEX-CLAIM-DAMAGE-60', 'domesticDays');
      const lastDay = ctx.addDays(delivered, days);
      return {
        claimType,
        opensOn: delivered,
        lastDay,
        fileBy: ctx.fileBy(lastDay),
        afterTrace: false,
        coverageMinor: coverage,
        amountMinor: cap(coverage),
        evidence: ['photo_item', 'photo_packaging', 'photo_inner_packaging', 'invoice', 'repair_estimate'],
        filer: 'merchant',
        claimWith,
        ruleIds: ['US-FEDEX-CLAIM-DAMAGE-60', 'US-FEDEX-LIAB-100', 'US-FEDEX-CLAIM-EVIDENCE'],
        windowRuleIds: ['US-FEDEX-CLAIM-DAMAGE-60'],
      };
    }
    case 'dhl_express': {
      const coverage = s.coverage.amountMinor > 0 ? s.coverage.amountMinor : goods;
      const lastDay = ctx.addDays(t, ctx.param('US-DHL-CLAIM-30', 'days'));
      const inspect = coverage >= ctx.param('US-DHL-CLAIM-EVIDENCE', 'inspectionAboveMinor');
      const evidence: EvidenceKind[] = claimType === 'loss' ? ['invoice', 'tracking_history'] : ['photo_item', 'photo_packaging', 'photo_inner_packaging', 'invoice'];
      // Above the inspection threshold DHL inspects the goods where they were delivered: keep them there.
      if (inspect && claimType !== 'loss') evidence.push('customer_statement');
      return {
        claimType,
        opensOn: t,
        lastDay,
        fileBy: ctx.fileBy(lastDay),
        afterTrace: claimType === 'loss',
        coverageMinor: coverage,
        amountMinor: cap(coverage),
        evidence,
        filer: 'merchant',
        claimWith,
        ruleIds: ['US-DHL-CLAIM-30', 'US-DHL-CLAIM-EVIDENCE', s.coverage.amountMinor > 0 ? 'US-DHL-SVP' : 'US-DHL-LIAB'],
        windowRuleIds: ['US-DHL-CLAIM-30'],
      };
    }
    default:
      return { reason: 'no_carrier_rules', ruleIds: [] };
  }
}

export function isNoClaim(w: ClaimWindow | NoClaim): w is NoClaim {
  return 'reason' in w;
}

/**
 * Puts the carrier claim for a shipment into the decision: offered when its window is open,
 * scheduled (and blocked until then) when it opens later, blocked when it has closed.
 */
export function applyCarrierClaim(
  ctx: DecisionContext,
  out: DecisionBuilder,
  s: ShipmentFacts,
  claimType: ClaimType,
  lines: readonly LineQuantity[],
  opts: { required: boolean; afterDeliveredScan?: boolean },
): ClaimWindow | NoClaim {
  if (s.claim && s.claim.status !== 'denied') {
    out.block({ kind: 'CARRIER_CLAIM', reason: 'claim_already_filed', until: null, ruleIds: ['DESK-CLAIM-DUPLICATE'] });
    out.explain('claim.alreadyFiled', { status: s.claim.status }, ['DESK-CLAIM-DUPLICATE']);
    return { reason: 'no_carrier_rules', ruleIds: ['DESK-CLAIM-DUPLICATE'] };
  }
  const w = claimWindow(ctx, s, claimType, lines, opts);
  if (isNoClaim(w)) {
    if (w.reason === 'not_covered_after_delivery' || w.reason === 'not_insured') {
      out.block({ kind: 'CARRIER_CLAIM', reason: w.reason === 'not_insured' ? 'carrier_cannot' : 'not_covered_after_delivery', until: null, ruleIds: w.ruleIds });
      out.explain(w.reason === 'not_insured' ? 'claim.notInsured' : 'claim.postDelivery', {}, w.ruleIds);
    }
    return w;
  }
  const action: CarrierClaimAction = {
    kind: 'CARRIER_CLAIM',
    shipmentId: s.id,
    carrier: s.carrier,
    claimType,
    amountMinor: w.amountMinor,
    coverageMinor: w.coverageMinor,
    opensOn: w.opensOn,
    lastDay: w.lastDay,
    fileBy: w.fileBy,
    evidence: w.evidence,
    filer: w.filer,
    claimWith: w.claimWith,
    ruleIds: w.ruleIds,
  };
  out.setDeadline('carrierClaim', {
    shipmentId: s.id,
    carrier: s.carrier,
    claimType,
    opensOn: ctx.deadline(w.opensOn, w.windowRuleIds),
    lastDay: ctx.deadline(w.lastDay, w.windowRuleIds),
    fileBy: ctx.deadline(w.fileBy, w.windowRuleIds),
    ...(w.noticeLastDay ? { noticeLastDay: ctx.deadline(w.noticeLastDay, ['US-UPS-CLAIM-NOTICE-60']) } : {}),
  });
  const effectiveLast = w.noticeLastDay ?? w.lastDay;
  if (ctx.today > effectiveLast) {
    out.block({ kind: 'CARRIER_CLAIM', reason: 'claim_window_closed', until: null, ruleIds: w.windowRuleIds });
    out.explain('claim.closed', { lastDay: effectiveLast }, w.windowRuleIds);
  } else if (w.afterTrace) {
    out.block({ kind: 'CARRIER_CLAIM', reason: 'trace_required_first', until: null, untilEvent: 'trace_completed', ruleIds: ['US-DHL-CLAIM-EVIDENCE'] });
    out.schedule({ action, from: maxLocalDate(w.opensOn, ctx.today), to: w.fileBy, trigger: 'date' });
    out.explain('claim.afterTrace', { fileBy: w.fileBy }, ['US-DHL-CLAIM-EVIDENCE', ...w.windowRuleIds]);
  } else if (ctx.today < w.opensOn) {
    out.block({ kind: 'CARRIER_CLAIM', reason: 'claim_not_open_yet', until: w.opensOn, ruleIds: w.windowRuleIds });
    out.schedule({ action, from: w.opensOn, to: w.fileBy, trigger: 'date' });
    out.explain('claim.opensLater', { opensOn: w.opensOn, fileBy: w.fileBy }, w.windowRuleIds);
  } else {
    if (opts.required) out.require(action);
    else out.allow(action);
    out.explain(s.carrier === 'fedex' && claimType !== 'loss' ? 'claim.openFileEarly' : 'claim.open', { fileBy: w.fileBy, lastDay: w.lastDay }, w.windowRuleIds);
  }
  return w;
}

/** The next trace step for a parcel that is late or stalled. */
export function traceAction(ctx: DecisionContext, s: ShipmentFacts): { action: CarrierTraceAction; blockedReason?: 'carrier_cannot' } {
  const t = tenderDate(ctx, s) ?? ctx.today;
  const expected = scheduledDate(ctx, s, t);
  const base = { kind: 'CARRIER_TRACE' as const, shipmentId: s.id, carrier: s.carrier };
  switch (s.carrier) {
    case 'usps': {
      const unsearchable = s.lines.some((l) => {
        const line = ctx.line(l.lineId);
        return line.flags.perishable || line.flags.hazmat;
      });
      if (/express/i.test(s.service)) {
        return {
          action: { ...base, step: 'missing_mail_search', earliest: ctx.addDays(t, ctx.param('US-USPS-MISSING-MAIL', 'pmeSearchAfterDays')), ruleIds: ['US-USPS-MISSING-MAIL'] },
          ...(unsearchable ? { blockedReason: 'carrier_cannot' as const } : {}),
        };
      }
      return {
        action: { ...base, step: 'help_request', earliest: maxLocalDate(ctx.addDays(expected, 1), t), ruleIds: ['US-USPS-MISSING-MAIL'] },
        ...(unsearchable ? { blockedReason: 'carrier_cannot' as const } : {}),
      };
    }
    case 'ups':
      return { action: { ...base, step: 'investigation', earliest: ctx.addDays(expected, ctx.param('US-UPS-TRACE-WAIT', 'days')), ruleIds: ['US-UPS-TRACE-WAIT', 'US-UPS-CLAIM-9MO'] } };
    case 'dhl_express':
      return { action: { ...base, step: 'investigation', earliest: ctx.addDays(expected, 1), ruleIds: ['US-DHL-CLAIM-EVIDENCE', 'DESK-LATE-IN-TRANSIT'] } };
    default:
      return { action: { ...base, step: 'investigation', earliest: ctx.addDays(expected, 1), ruleIds: ['DESK-LATE-IN-TRANSIT'] } };
  }
}

/** When a held parcel goes back to the sender. */
export function holdExpiry(ctx: DecisionContext, s: ShipmentFacts): { date: LocalDate; ruleIds: RuleId[] } | undefined {
  const attempt = s.events.find((e) => e.kind === 'attempted_notice_left');
  const ready = s.events.find((e) => e.kind === 'ready_for_pickup');
  const location = ready?.holdLocation ?? attempt?.holdLocation ?? null;
  switch (s.carrier) {
    case 'usps': {
      const first = attempt ?? ready;
      return first ? { date: ctx.addDays(first.at, ctx.param('US-USPS-HOLD-15', 'days')), ruleIds: ['US-USPS-HOLD-15'] } : undefined;
    }
    case 'ups': {
      const at = ready ?? attempt;
      if (!at) return undefined;
      return location === 'ups_customer_center'
        ? { date: ctx.addWorkingDays(at.at, ctx.param('US-UPS-HOLD-ACCESS-POINT', 'customerCenterWorkingDays')), ruleIds: ['US-UPS-HOLD-ACCESS-POINT'] }
        : { date: ctx.addDays(at.at, ctx.param('US-UPS-HOLD-ACCESS-POINT', 'accessPointDays')), ruleIds: ['US-UPS-HOLD-ACCESS-POINT'] };
    }
    case 'fedex': {
      const at = ready ?? attempt;
      return at ? { date: ctx.addWorkingDays(at.at, ctx.param('US-FEDEX-HAL-5BD', 'workingDays')), ruleIds: ['US-FEDEX-HAL-5BD'] } : undefined;
    }
    default:
      return undefined;
  }
}

/** Who pays a carrier fee under the merchant's policy. */
export function feePayer(policyPayer: Payer | 'by_cause', customerCaused: boolean): Payer {
  return policyPayer === 'by_cause' ? (customerCaused ? 'customer' : 'merchant') : policyPayer;
}

/** An intercept the carrier offers for this parcel now, or why not. */
export function interceptOption(
  ctx: DecisionContext,
  s: ShipmentFacts,
  mode: CarrierInterceptAction['mode'],
  opts: { customerCaused: boolean; toPoBox?: boolean },
): { action: CarrierInterceptAction } | { blocked: 'out_for_delivery' | 'carrier_cannot' | 'already_shipped'; ruleIds: RuleId[] } {
  const payer = feePayer(ctx.policy.carrierFees.intercept, opts.customerCaused);
  const beyondReach = s.status === 'out_for_delivery' || s.status === 'delivered' || s.status === 'available_for_pickup';
  switch (s.carrier) {
    case 'usps': {
      const rules: RuleId[] = ['US-USPS-INTERCEPT', 'POLICY-CARRIER-FEES'];
      if (beyondReach) return { blocked: 'out_for_delivery', ruleIds: ['US-USPS-INTERCEPT'] };
      const hazmat = s.lines.some((l) => ctx.line(l.lineId).flags.hazmat);
      const tooBig = (s.lengthPlusGirthInches ?? 0) > ctx.param('US-USPS-INTERCEPT', 'maxLengthPlusGirthInches');
      const redirectBarred = mode === 'redirect' && (!s.commercialAccount || opts.toPoBox === true);
      if (hazmat || tooBig || redirectBarred) return { blocked: 'carrier_cannot', ruleIds: ['US-USPS-INTERCEPT'] };
      return {
        action: { kind: 'CARRIER_INTERCEPT', shipmentId: s.id, carrier: s.carrier, mode, feeMinor: ctx.param('US-USPS-INTERCEPT', 'feeMinor'), feePaidBy: payer, feeOnlyOnSuccess: true, ruleIds: rules },
      };
    }
    case 'ups':
      if (s.status === 'delivered') return { blocked: 'already_shipped', ruleIds: ['US-UPS-INTERCEPT'] };
      return {
        action: { kind: 'CARRIER_INTERCEPT', shipmentId: s.id, carrier: s.carrier, mode, feeMinor: ctx.param('US-UPS-INTERCEPT', 'feeMinor'), feePaidBy: payer, feeOnlyOnSuccess: false, ruleIds: ['US-UPS-INTERCEPT', 'POLICY-CARRIER-FEES'] },
      };
    case 'fedex':
      // Only the recipient's Delivery Manager redirect to a hold location is in our rules.
      if (mode !== 'hold' || s.deliveryChangesRestricted || s.status === 'delivered') return { blocked: 'carrier_cannot', ruleIds: ['US-FEDEX-DM-RESCHEDULE'] };
      return {
        action: { kind: 'CARRIER_INTERCEPT', shipmentId: s.id, carrier: s.carrier, mode, feeMinor: 0, feePaidBy: payer, feeOnlyOnSuccess: false, ruleIds: ['US-FEDEX-DM-RESCHEDULE'] },
      };
    default:
      return { blocked: 'carrier_cannot', ruleIds: ['DESK-REQUEST-NOT-AVAILABLE'] };
  }
}

/** Address-correction surcharge for the carrier (0 where unknown). */
export function addressCorrectionFee(ctx: DecisionContext, s: ShipmentFacts): { feeMinor: number; ruleIds: RuleId[] } {
  const billed = (s.surcharges ?? []).find((x) => x.kind === 'address_correction');
  if (s.carrier === 'ups') return { feeMinor: billed?.amountMinor ?? ctx.param('US-UPS-ADDRESS-CORRECTION', 'feeMinor'), ruleIds: ['US-UPS-ADDRESS-CORRECTION'] };
  if (s.carrier === 'fedex') return { feeMinor: billed?.amountMinor ?? ctx.param('US-FEDEX-ADDRESS-CORRECTION', 'feeMinor'), ruleIds: ['US-FEDEX-ADDRESS-CORRECTION'] };
  return { feeMinor: billed?.amountMinor ?? 0, ruleIds: [] };
}

export { tenderDate, scheduledDate, deliveredDate };
