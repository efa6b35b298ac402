/**
 * State refund-disclosure and default-refund laws (us-rules.md §2) for a change-of-mind return,
 * by ship-to state: the statutory return right a line has when the merchant did not disclose
 * (or could not rely on) its policy, whether a restocking fee may be kept, and how tax is
 * refunded. The merchant's own policy is layered on top by the return playbook.
 */
import type { LocalDate } from '../calendar/local-date';
import type { OrderLine, RestockingFee } from '../facts/facts';
import { percentOfMinor } from '../money/money';
import type { RuleId } from '../rules/rule-catalogue';
import type { DecisionContext } from './decision-context';

/** A statutory return right for one line. */
export interface StatutoryRight {
  /** Last day to return (or attempt to return). */
  lastDay: LocalDate;
  ruleIds: RuleId[];
  /** The buyer chooses cash refund or credit. */
  buyerChoosesCashOrCredit: boolean;
  /** Only unused, undamaged goods qualify. */
  unusedOnly: boolean;
}

export interface StateLawView {
  state: string;
  /** Rules cited for the state whatever the line. */
  ruleIds: RuleId[];
  /** Right per line id (absent = none). */
  rights: Map<string, StatutoryRight>;
  /** Lines the state statute exempts, with the exemption rule. */
  exempt: Map<string, RuleId[]>;
  restocking: { allowed: boolean; ruleIds: RuleId[]; reason?: 'restocking_fee_prohibited' | 'fee_not_disclosed' };
  /** Refund the full tax even when a restocking fee is kept. */
  fullTax: boolean;
  taxRuleIds: RuleId[];
  /** Compliance review suggested (unverified state rules). */
  compliance: RuleId[];
  /** Refund timing cap after the return, when the state sets one. */
  refundWithin?: { bankingDays: number; ruleIds: RuleId[] };
}

const FOOD = new Set(['food', 'grocery', 'beverage', 'plants', 'flowers', 'live_plants', 'seeds']);

function isFoodOrPerishable(line: OrderLine): boolean {
  return line.flags.perishable || FOOD.has(line.category.toLowerCase());
}

function isCustom(line: OrderLine): boolean {
  return line.flags.personalized;
}

/** True when the disclosure was shown before purchase. */
function disclosedBeforePurchase(ctx: DecisionContext): boolean {
  const rp = ctx.facts.order.refundPolicy;
  return rp.disclosed && rp.placement !== 'receipt_only';
}

/** What the merchant's policy gives this line (used for "less generous than" tests). */
function policyGives(ctx: DecisionContext, line: OrderLine): { days: number; fee: boolean } {
  const p = ctx.policy;
  const nonReturnable =
    p.nonReturnable.categories.some((c) => c.toLowerCase() === line.category.toLowerCase()) || p.nonReturnable.flags.some((f) => line.flags[f]);
  return { days: nonReturnable ? 0 : p.returnWindow.days, fee: p.restockingFee.kind !== 'none' };
}

/** Evaluates the ship-to state's law for the order's lines. */
export function evaluateStateLaw(ctx: DecisionContext, lines: readonly OrderLine[]): StateLawView {
  const order = ctx.facts.order;
  const state = order.shipTo.country.toUpperCase() === 'US' ? order.shipTo.state.toUpperCase() : '';
  const purchase = ctx.date(order.placedAt);
  const disclosed = disclosedBeforePurchase(ctx);
  const feeDisclosed = (order.refundPolicy.restockingFee?.kind ?? 'none') !== 'none' && disclosed;
  const view: StateLawView = {
    state,
    ruleIds: [],
    rights: new Map(),
    exempt: new Map(),
    restocking: feeDisclosed ? { allowed: true, ruleIds: ['US-UDAP-HONOR-POLICY'] } : { allowed: false, ruleIds: ['US-UDAP-HONOR-POLICY'], reason: 'fee_not_disclosed' },
    fullTax: ctx.policy.salesTax.refundTaxOnRestockedAmount,
    taxRuleIds: ['US-TAX-REFUND-GENERAL'],
    compliance: [],
  };
  if (!state) return view;
  const right = (line: OrderLine, days: number, ruleIds: RuleId[], opts: Partial<StatutoryRight> = {}) =>
    view.rights.set(line.id, { lastDay: ctx.addDays(purchase, days), ruleIds, buyerChoosesCashOrCredit: false, unusedOnly: true, ...opts });

  switch (state) {
    case 'CA': {
      view.ruleIds.push('US-CA-CIV1723-DISCLOSE');
      view.fullTax = true;
      view.taxRuleIds = ['US-CA-REG1655-RETURN-TAX'];
      view.restocking.ruleIds.push('US-CA-CIV1723-DISCLOSE', 'US-CA-REG1655-RETURN-TAX');
      const threshold = ctx.param('US-CA-CIV1723-DISCLOSE', 'thresholdDays');
      for (const line of lines) {
        if (isFoodOrPerishable(line) || isCustom(line) || line.flags.finalSale || line.condition === 'as_is') {
          view.exempt.set(line.id, ['US-CA-CIV1723-EXEMPT']);
          continue;
        }
        const gives = policyGives(ctx, line);
        const generousEnough = gives.days >= threshold && !gives.fee;
        if (!disclosed && !generousEnough) right(line, ctx.param('US-CA-CIV1723-DEFAULT-30', 'days'), ['US-CA-CIV1723-DEFAULT-30'], { unusedOnly: false });
      }
      break;
    }
    case 'NY': {
      view.ruleIds.push('US-NY-GBL218A-DISCLOSE', 'US-NY-GBL218A-ONLINE-DATE');
      view.restocking = feeDisclosed
        ? { allowed: true, ruleIds: ['US-NY-GBL218A-FEES'] }
        : { allowed: false, ruleIds: ['US-NY-GBL218A-FEES'], reason: 'fee_not_disclosed' };
      if (!disclosed) {
        for (const line of lines) {
          right(line, ctx.param('US-NY-GBL218A-DEFAULT-30', 'days'), ['US-NY-GBL218A-DEFAULT-30'], { buyerChoosesCashOrCredit: true });
        }
      }
      break;
    }
    case 'FL': {
      view.ruleIds.push('US-FL-501142-SIGN', 'US-FL-501142-ONLINE');
      for (const line of lines) {
        if (isFoodOrPerishable(line) || isCustom(line) || line.flags.alcohol) {
          view.exempt.set(line.id, ['US-FL-501142-EXEMPT']);
          continue;
        }
        // Only a merchant offering no refund, credit or exchange at all needs the sign.
        if (!disclosed && policyGives(ctx, line).days === 0 && ctx.enabled('US-FL-501142-ONLINE')) {
          right(line, ctx.param('US-FL-501142-DEFAULT-7', 'days'), ['US-FL-501142-DEFAULT-7']);
        }
      }
      break;
    }
    case 'HI': {
      if (!ctx.policy.jurisdiction.hawaiiGetLicense || !ctx.enabled('US-HI-481B55-SCOPE')) {
        view.ruleIds.push('US-HI-481B55-SCOPE');
        break;
      }
      view.ruleIds.push('US-HI-481B55-SIGN', 'US-HI-481B55-SCOPE', 'US-HI-481B55-CREDIT');
      view.fullTax = true;
      view.taxRuleIds = ['US-HI-481B55-NO-RESTOCK'];
      const customAck = lines.every((l) => isCustom(l) && l.customOrderAcknowledged === true);
      view.restocking = customAck
        ? { allowed: feeDisclosed, ruleIds: ['US-HI-481B55-NO-RESTOCK'], ...(feeDisclosed ? {} : { reason: 'fee_not_disclosed' as const }) }
        : { allowed: false, ruleIds: ['US-HI-481B55-NO-RESTOCK'], reason: 'restocking_fee_prohibited' };
      if (ctx.enabled('US-HI-481B55-REFUND-TIMING') && ['credit_card', 'debit_card'].includes(ctx.facts.payment.methodKind)) {
        view.refundWithin = { bankingDays: ctx.param('US-HI-481B55-REFUND-TIMING', 'cardBankingDays'), ruleIds: ['US-HI-481B55-REFUND-TIMING'] };
      }
      if (!disclosed && ctx.enabled('US-HI-481B55-DEFAULT-60')) {
        for (const line of lines) right(line, ctx.param('US-HI-481B55-DEFAULT-60', 'days'), ['US-HI-481B55-DEFAULT-60']);
      }
      ctx.param('US-HI-481B55-CREDIT', 'validityYears');
      break;
    }
    case 'NJ': {
      view.ruleIds.push('US-NJ-568216-SIGN');
      const exemptDays = ctx.param('US-NJ-568216-SIGN', 'exemptDays');
      if (!disclosed && ctx.enabled('US-NJ-568218-DEFAULT-20')) {
        for (const line of lines) {
          if (policyGives(ctx, line).days < exemptDays) {
            right(line, ctx.param('US-NJ-568218-DEFAULT-20', 'days'), ['US-NJ-568218-DEFAULT-20'], { buyerChoosesCashOrCredit: true });
          }
        }
      }
      break;
    }
    case 'RI':
      // Online card orders are outside § 6-27-9 (cash purchase at a retail outlet only).
      view.ruleIds.push('US-RI-6279-CARD-NA');
      for (const line of lines) if (isFoodOrPerishable(line) || isCustom(line) || line.condition === 'as_is') view.exempt.set(line.id, ['US-RI-6279-EXEMPT']);
      break;
    case 'MN': {
      view.ruleIds.push('US-MN-325F80-CASH-REFUND', 'US-MN-325F80-ONLINE');
      const displayed = disclosed && ctx.enabled('US-MN-325F80-ONLINE');
      for (const line of lines) {
        if (isCustom(line)) {
          view.exempt.set(line.id, ['US-MN-325F80-EXEMPT']);
          continue;
        }
        if (!displayed) right(line, ctx.param('US-MN-325F80-CASH-REFUND', 'reasonableDays'), ['US-MN-325F80-CASH-REFUND']);
      }
      break;
    }
    case 'MD': {
      view.ruleIds.push('US-MD-COMAR020105-DISCLOSE');
      for (const line of lines) {
        if (isFoodOrPerishable(line) || isCustom(line) || line.flags.alcohol) {
          view.exempt.set(line.id, ['US-MD-COMAR020105-DISCLOSE', 'US-STATE-CUSTOM-EXEMPT']);
          continue;
        }
        if (!disclosed) right(line, ctx.param('US-MD-COMAR020105-DISCLOSE', 'reasonableDays'), ['US-MD-COMAR020105-DISCLOSE'], { buyerChoosesCashOrCredit: true });
      }
      break;
    }
    case 'OH': {
      view.ruleIds.push('US-OH-CSPA-POLICY-POSTED');
      view.restocking = feeDisclosed
        ? { allowed: true, ruleIds: ['US-OH-CSPA-RESTOCK'] }
        : { allowed: false, ruleIds: ['US-OH-CSPA-RESTOCK'], reason: 'fee_not_disclosed' };
      if (!disclosed) for (const line of lines) right(line, ctx.param('US-OH-CSPA-POLICY-POSTED', 'reasonableDays'), ['US-OH-CSPA-POLICY-POSTED']);
      break;
    }
    case 'UT':
      view.ruleIds.push('US-OTHER-NOLAW');
      break;
    case 'VA':
      view.ruleIds.push('US-VA-VCPA-REFUND');
      if (!disclosed && ctx.enabled('US-VA-VCPA-REFUND')) view.compliance.push('US-VA-VCPA-REFUND');
      break;
    default:
      view.ruleIds.push('US-OTHER-NOLAW');
  }
  view.ruleIds.push('US-UDAP-HONOR-POLICY');
  if (view.exempt.size > 0) view.ruleIds.push('US-STATE-PERISHABLE-EXEMPT');
  return view;
}

/** The fee that may be kept: the lower of the current policy and what was disclosed to this buyer. */
export function effectiveRestockingFee(ctx: DecisionContext, baseMinor: number): RestockingFee {
  const policyFee = ctx.policy.restockingFee;
  const disclosedFee = ctx.facts.order.refundPolicy.restockingFee ?? { kind: 'none' as const };
  const amount = (f: RestockingFee) => (f.kind === 'none' ? 0 : f.kind === 'flat' ? f.amountMinor : percentOfMinor(baseMinor, f.basisPoints));
  if (policyFee.kind === 'none' || disclosedFee.kind === 'none') return { kind: 'none' };
  return amount(policyFee) <= amount(disclosedFee) ? policyFee : disclosedFee;
}
