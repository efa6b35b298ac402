/** Sales tax on refunds (us-rules.md §7). */
import type { RuleDefinition } from './rule';

export const SALES_TAX_RULES = [
  {
    id: 'US-CA-REG1655-RETURN-TAX',
    family: 'sales_tax',
    title: 'California: refund the full sales tax on the full price (a restocking charge is non-taxable and never reduces it), and taxed delivery charges too.',
    citation: 'Cal. Code Regs. tit. 18 § 1655(a); CDTFA Annotations 490.0223, 490.0380',
    status: 'V1',
    jurisdiction: 'CA',
  },
  {
    id: 'US-TAX-REFUND-GENERAL',
    family: 'sales_tax',
    title: 'Other states: refund the tax collected on the refunded amount and take the returned-goods deduction; per-state rules not researched.',
    citation: '—',
    status: 'UNVERIFIED',
    jurisdiction: 'other states',
  },
] as const satisfies readonly RuleDefinition[];
