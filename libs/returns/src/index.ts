/**
 * `@app/returns` — the Delivery Desk policy engine. Pure: no Nest, database, network or clock.
 *
 * @example
 * ```ts
 * import { decide, parsePolicy, DEFAULT_POLICY, RULES } from '@app/returns';
 *
 * const policy = row.policyJson ? parsePolicy(row.policyJson) : DEFAULT_POLICY;
 * const decision = decide(facts, policy, new Date(nowMs));
 * for (const rule of decision.rules) console.log(rule.id, rule.citation, rule.status);
 * ```
 */
export * from './vocabulary';

// Calendar and time zones
export type { LocalDate } from './calendar/local-date';
export { isLocalDate, daysBetween, dayOfWeek, shiftMonths } from './calendar/local-date';
export {
  addBankingDays,
  addCalendarDays,
  addCalendarMonths,
  addWorkingDays,
  firstBusinessDayOnOrAfter,
  isBusinessDay,
  lastBusinessDayOnOrBefore,
} from './calendar/business-calendar';
export type { UsFederalHoliday } from './calendar/us-federal-holiday';
export { isUsBankHoliday, isUsFederalHoliday, usFederalHolidayName, usFederalHolidays } from './calendar/us-federal-holiday';
export type { DateInput } from './calendar/time-zone';
export { endOfLocalDay, FALLBACK_TIME_ZONE, isValidTimeZone, localDateOf, startOfLocalDay, timeZoneForAddress } from './calendar/time-zone';

// Money
export { allocateMinor, assertMinor, clampMinor, formatMinor, minorDigits, percentOfMinor, prorateMinor, sumMinor, usdToMinor } from './money/money';

// Facts
export type * from './facts/facts';
export { factsSchema, parseFacts } from './facts/facts.schema';

// Merchant policy
export type { FeePayer, MerchantPolicy, MonthDay, RuleSetting } from './policy/merchant-policy';
export { DEFAULT_POLICY } from './policy/default-policy';
export type { ValidationIssue } from './policy/merchant-policy.schema';
export { merchantPolicySchema, parsePolicy, safeParsePolicy, ValidationError } from './policy/merchant-policy.schema';

// Rules catalogue
export type { RuleDefinition, RuleFamily, RuleParam, RuleParamUnit, RuleStatus } from './rules/rule';
export type { RuleId } from './rules/rule-catalogue';
export { hasUnverifiedPart, isConfigurableRule, isRuleId, RULE_IDS, RULES } from './rules/rule-catalogue';

// The engine
export type * from './engine/decision';
export { ACTION_KINDS } from './engine/decision';
export { decide } from './engine/decide';
export { ENGINE_VERSION } from './engine/decision-builder';
export type { DecisionChange } from './engine/decision-diff';
export { diffDecisions } from './engine/decision-diff';
