/**
 * Validation of a merchant policy read from JSON. Errors name the field (`returnWindow.days`)
 * so a merchant editing a draft sees exactly what to fix.
 */
import { z } from 'zod';
import { RULES, isRuleId } from '../rules/rule-catalogue';
import { isConfigurableStatus } from '../rules/rule';
import { EVIDENCE_KINDS, PAYERS, RETURN_REASONS } from '../vocabulary';
import type { MerchantPolicy } from './merchant-policy';

const minor = z.int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const days = z.int().nonnegative().max(3_650);
const monthDay = z
  .string()
  .regex(/^\d{2}-\d{2}$/, 'expected MM-DD')
  .refine((v) => {
    const [m, d] = v.split('-').map(Number) as [number, number];
    return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(2024, m, 0)).getUTCDate();
  }, 'not a day of the year');
const payer = z.enum(PAYERS);
const feePayer = z.enum(['merchant', 'customer', 'by_cause']);
const evidenceList = z.array(z.enum(EVIDENCE_KINDS));
const lineFlag = z.enum(['perishable', 'alcohol', 'hazmat', 'personalized', 'finalSale']);

export const restockingFeeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('percent'), basisPoints: z.int().min(0).max(10_000) }),
  z.strictObject({ kind: z.literal('flat'), amountMinor: minor }),
]);

const ruleSettingSchema = z.strictObject({
  enabled: z.boolean().optional(),
  params: z.record(z.string(), z.number().finite().nonnegative()).optional(),
});

/** The zod schema of {@link MerchantPolicy}; strict: unknown fields are errors (typos would otherwise pass). */
export const merchantPolicySchema = z
  .strictObject({
    version: z.string().min(1),
    returnWindow: z.strictObject({
      days,
      countsFrom: z.enum(['delivery', 'order', 'shipment']),
      holidayExtension: z.strictObject({ enabled: z.boolean(), from: monthDay, to: monthDay, returnBy: monthDay }),
    }),
    cancellation: z.strictObject({ allowBeforeShipment: z.boolean() }),
    nonReturnable: z.strictObject({ categories: z.array(z.string().min(1)), flags: z.array(lineFlag) }),
    restockingFee: restockingFeeSchema,
    returnShipping: z.strictObject({
      paidBy: z.strictObject(Object.fromEntries(RETURN_REASONS.map((r) => [r, payer])) as Record<(typeof RETURN_REASONS)[number], typeof payer>),
      labelCostMinor: minor,
    }),
    reportWindows: z.strictObject({
      damagedDays: days,
      defectiveDays: days,
      wrongItemDays: days,
      missingItemDays: days,
      perishableHours: z.int().nonnegative().max(24 * 365),
    }),
    evidence: z.strictObject({
      damaged: evidenceList,
      defective: evidenceList,
      perishable: evidenceList,
      wrongItem: evidenceList,
      missingItem: evidenceList,
    }),
    keepItem: z.strictObject({ thresholdMinor: minor }),
    pickupWindowDays: days,
    damagedGoods: z.enum(['return', 'keep_until_claim_closed']),
    defectiveReturn: z.strictObject({
      mode: z.enum(['before_remedy', 'after_remedy', 'not_required', 'above_threshold']),
      thresholdMinor: minor,
    }),
    notReceived: z.strictObject({
      waitHours: z.int().nonnegative().max(24 * 60),
      review: z.strictObject({
        repeatClaims: z.int().positive().max(1_000),
        periodDays: days,
        orderValueAboveMinor: minor,
        whenSignatureCaptured: z.boolean(),
      }),
    }),
    lost: z.strictObject({ daysWithoutScan: z.int().positive().max(365) }),
    signature: z.strictObject({ requiredAboveMinor: minor }),
    returnToSender: z.strictObject({ customerCaused: z.enum(['refund_without_shipping', 'reship_at_customer_cost', 'customer_choice']) }),
    carrierFees: z.strictObject({ intercept: feePayer, addressCorrection: feePayer }),
    international: z.strictObject({
      acceptReturns: z.boolean(),
      returnShippingPaidBy: payer,
      refundOriginalShipping: z.boolean(),
      refundDdpDuties: z.boolean(),
    }),
    disputes: z.strictObject({ holdRemediesWhileOpen: z.boolean() }),
    refundTiming: z.strictObject({ returns: z.enum(['first_scan', 'receipt']), withinWorkingDays: z.int().nonnegative().max(60) }),
    approval: z
      .strictObject({ autoApproveUpToMinor: minor, agentUpToMinor: minor })
      .refine((a) => a.agentUpToMinor >= a.autoApproveUpToMinor, {
        message: 'agentUpToMinor must be at least autoApproveUpToMinor',
        path: ['agentUpToMinor'],
      }),
    storeCredit: z.strictObject({ offer: z.boolean(), bonusBasisPoints: z.int().min(0).max(10_000) }),
    preferredRemedy: z.enum(['reship', 'refund']),
    shippingRefund: z.strictObject({
      merchantFault: z.enum(['whole_order_only', 'proportional', 'never']),
      changeOfMind: z.enum(['never', 'proportional']),
    }),
    salesTax: z.strictObject({ refundTaxOnRestockedAmount: z.boolean() }),
    jurisdiction: z.strictObject({ hawaiiGetLicense: z.boolean() }),
    impliedTransitWorkingDays: z.int().nonnegative().max(60),
    defaultBillingCycleDays: z.int().positive().max(62),
    ruleSettings: z.record(z.string(), ruleSettingSchema),
  })
  .superRefine((policy, ctx) => {
    // Only V2 / UNVERIFIED rules and numbers are the merchant's to change; V1 law is not.
    for (const [id, setting] of Object.entries(policy.ruleSettings)) {
      if (!isRuleId(id)) {
        ctx.addIssue({ code: 'custom', path: ['ruleSettings', id], message: `unknown rule id ${id}` });
        continue;
      }
      const rule = RULES[id];
      if (setting.enabled === false && !isConfigurableStatus(rule.status)) {
        ctx.addIssue({ code: 'custom', path: ['ruleSettings', id, 'enabled'], message: `${id} is ${rule.status} and cannot be switched off` });
      }
      for (const name of Object.keys(setting.params ?? {})) {
        const p = rule.params?.[name];
        if (!p) {
          ctx.addIssue({ code: 'custom', path: ['ruleSettings', id, 'params', name], message: `${id} has no parameter ${name}` });
        } else if (!isConfigurableStatus(p.status)) {
          ctx.addIssue({ code: 'custom', path: ['ruleSettings', id, 'params', name], message: `${id}.${name} is ${p.status} and cannot be changed` });
        } else if (!Number.isInteger(setting.params![name])) {
          ctx.addIssue({ code: 'custom', path: ['ruleSettings', id, 'params', name], message: 'expected an integer' });
        }
      }
    }
  });

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// The schema and the documented interface must describe the same shape.
const schemaMatchesInterface: Equals<z.output<typeof merchantPolicySchema>, MerchantPolicy> = true;
void schemaMatchesInterface;

/** One problem found in a policy or facts document. */
export interface ValidationIssue {
  /** Dotted field path, e.g. `returnWindow.days` or `ruleSettings.US-FEDEX-CLAIM-DAMAGE-60.params.domesticDays`. */
  path: string;
  message: string;
}

/** Thrown by `parsePolicy` / `parseFacts` with every issue found. */
export class ValidationError extends Error {
  constructor(
    readonly subject: 'policy' | 'facts',
    readonly issues: ValidationIssue[],
  ) {
    super(`Invalid ${subject}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'ValidationError';
  }
}

/** Turns zod issues into dotted-path issues. */
export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/**
 * Validates a policy document (already JSON-parsed) and returns it typed.
 * Throws {@link ValidationError} listing every problem by field path.
 *
 * @example
 * ```ts
 * const policy = parsePolicy(JSON.parse(row.policyJson));
 * // ValidationError: Invalid policy: returnWindow.days: Too small: expected number to be >=0
 * ```
 */
export function parsePolicy(json: unknown): MerchantPolicy {
  const result = merchantPolicySchema.safeParse(json);
  if (!result.success) throw new ValidationError('policy', toValidationIssues(result.error));
  return result.data;
}

/** Like {@link parsePolicy} without throwing. */
export function safeParsePolicy(json: unknown): { ok: true; policy: MerchantPolicy } | { ok: false; issues: ValidationIssue[] } {
  const result = merchantPolicySchema.safeParse(json);
  return result.success ? { ok: true, policy: result.data } : { ok: false, issues: toValidationIssues(result.error) };
}
