/**
 * The rules catalogue: every rule the engine can cite, keyed by id, with citation and status.
 */
import { CROSS_BORDER_RULES } from './cross-border.rules';
import { DESK_RULES } from './desk.rules';
import { DHL_RULES } from './dhl.rules';
import { FEDEX_RULES } from './fedex.rules';
import { FTC_MAIL_ORDER_RULES } from './ftc-mail-order.rules';
import { MERCHANT_POLICY_RULES } from './merchant-policy.rules';
import { NOT_RECEIVED_DISPUTE_RULES } from './not-received-dispute.rules';
import { type RuleDefinition, type RuleParam, isConfigurableStatus } from './rule';
import { SALES_TAX_RULES } from './sales-tax.rules';
import { SPECIAL_GOODS_RULES } from './special-goods.rules';
import { STATE_REFUND_RULES } from './state-refund.rules';
import { UNORDERED_MERCHANDISE_RULES } from './unordered-merchandise.rules';
import { UPS_RULES } from './ups.rules';
import { USPS_RULES } from './usps.rules';

const ALL_RULES = [
  ...FTC_MAIL_ORDER_RULES,
  ...STATE_REFUND_RULES,
  ...UNORDERED_MERCHANDISE_RULES,
  ...USPS_RULES,
  ...UPS_RULES,
  ...FEDEX_RULES,
  ...DHL_RULES,
  ...NOT_RECEIVED_DISPUTE_RULES,
  ...SPECIAL_GOODS_RULES,
  ...SALES_TAX_RULES,
  ...CROSS_BORDER_RULES,
  ...MERCHANT_POLICY_RULES,
  ...DESK_RULES,
] as const;

type AnyRule = (typeof ALL_RULES)[number];

/** Every rule id the engine knows (a typo in an evaluator is a compile error). */
export type RuleId = AnyRule['id'];

/** Names of the numbers a given rule carries. */
export type RuleParamName<I extends RuleId> =
  Extract<AnyRule, { id: I }> extends infer R ? (R extends { params: infer P } ? keyof P & string : never) : never;

/**
 * The catalogue, keyed by id. Example: `RULES['US-FTC-435-REFUND-7WD'].citation` →
 * `16 CFR 435.1(b)(1), (d); 79 FR 55615`.
 */
export const RULES: Readonly<Record<RuleId, RuleDefinition>> = Object.freeze(
  Object.fromEntries(ALL_RULES.map((r) => [r.id, r])) as Record<RuleId, RuleDefinition>,
);

/** All rule ids in catalogue order. */
export const RULE_IDS: readonly RuleId[] = ALL_RULES.map((r) => r.id);

export function isRuleId(id: string): id is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES, id);
}

/** A rule's number as published in the catalogue (merchant overrides are applied by the engine). */
export function catalogueParam<I extends RuleId>(id: I, name: RuleParamName<I>): RuleParam {
  const p = RULES[id].params?.[name];
  if (!p) throw new Error(`Rule ${id} has no parameter ${name}`);
  return p;
}

/** True when the rule's operative status is V2 or UNVERIFIED, so a merchant may switch it off. */
export function isConfigurableRule(id: RuleId): boolean {
  return isConfigurableStatus(RULES[id].status);
}

/** True when the rule or any of its numbers is V2 / UNVERIFIED (the explanation marks it). */
export function hasUnverifiedPart(id: RuleId): boolean {
  const r = RULES[id];
  if (isConfigurableStatus(r.status)) return true;
  return Object.values(r.params ?? {}).some((p) => isConfigurableStatus(p.status));
}
