/**
 * The shape of one rule in the catalogue. Rules are data: their numbers live in `params`, the
 * evaluators read them from here, so a changed window is a one-line data change plus its test.
 */

/**
 * How sure we are of a rule (us-rules.md §0). `V1` was seen in the official text; `V2` only in
 * secondary sources; `UNVERIFIED` was not confirmed. `POLICY` is a merchant-policy clause and
 * `DESK` a Delivery Desk operating convention; both are ours to change.
 */
export type RuleStatus = 'V1' | 'V2' | 'UNVERIFIED' | 'POLICY' | 'DESK';

/** Rule families, one per section of the rules file plus the merchant's and the desk's own. */
export type RuleFamily =
  | 'ftc_mail_order'
  | 'state_refund'
  | 'unordered_merchandise'
  | 'carrier_usps'
  | 'carrier_ups'
  | 'carrier_fedex'
  | 'carrier_dhl'
  | 'carrier_general'
  | 'not_received_dispute'
  | 'special_goods'
  | 'sales_tax'
  | 'cross_border'
  | 'merchant_policy'
  | 'desk';

/** Unit of a rule number. Money is in minor units of the named currency. */
export type RuleParamUnit =
  | 'calendar_days'
  | 'working_days'
  | 'banking_days'
  | 'months'
  | 'years'
  | 'hours'
  | 'usd_minor'
  | 'cad_minor'
  | 'count';

/** A number a rule uses, with its own status (a rule can be V1 for one number and V2 for another). */
export interface RuleParam {
  readonly value: number;
  readonly unit: RuleParamUnit;
  readonly status: RuleStatus;
  readonly note?: string;
}

/** One rule of the catalogue. */
export interface RuleDefinition {
  /** Stable id cited by decisions, e.g. `US-FTC-435-REFUND-7WD`, `POLICY-DNR-WAIT`. */
  readonly id: string;
  readonly family: RuleFamily;
  /** One line, English. */
  readonly title: string;
  /** Where it comes from (statute, regulation, carrier terms, or the policy field). */
  readonly citation: string;
  /** Status of the part the engine acts on; numbers carry their own (see `params`). */
  readonly status: RuleStatus;
  /** The rules file's own status wording when it is mixed, e.g. `V1 (15-day rule) / V2 (60-day end)`. */
  readonly statusNote?: string;
  readonly jurisdiction: string;
  /** First civil date the rule applies to (by its own anchor), when it has one. */
  readonly effectiveFrom?: string;
  readonly params?: Readonly<Record<string, RuleParam>>;
}

/** True when a merchant may switch the rule off or change its numbers (V2 / UNVERIFIED parts). */
export function isConfigurableStatus(status: RuleStatus): boolean {
  return status === 'V2' || status === 'UNVERIFIED';
}
