/**
 * What changes between two decisions for the same case (a merchant replaying a case under a
 * draft policy). Actions are compared by kind and parameters, money and dates by field.
 */
import type { Action, BlockedAction, Decision } from './decision';

/** One difference. */
export interface DecisionChange {
  /** `required`, `customerChoice`, `allowed`, `blocked`, `scheduled`, `amounts.refundTotalMinor`, `deadlines.refundDueBy`, `approval`… */
  path: string;
  change: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

function describeAction(a: Action): string {
  const { kind, ruleIds: _ruleIds, ...params } = a;
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? `${x.lineId}x${x.quantity}` : String(x))).join('+') : String(v)}`);
  return parts.length ? `${kind}(${parts.join(', ')})` : kind;
}

function describeBlock(b: BlockedAction): string {
  const lines = b.lines ? ` lines=${b.lines.map((l) => `${l.lineId}x${l.quantity}`).join('+')}` : '';
  return `${b.kind}: ${b.reason}${b.until ? ` until ${b.until}` : ''}${b.untilEvent ? ` until ${b.untilEvent}` : ''}${lines}`;
}

function diffLists(path: string, before: string[], after: string[], out: DecisionChange[]): void {
  const a = new Set(before);
  const b = new Set(after);
  for (const x of before) if (!b.has(x)) out.push({ path, change: 'removed', before: x });
  for (const x of after) if (!a.has(x)) out.push({ path, change: 'added', after: x });
}

function flat(prefix: string, value: unknown, into: Map<string, string>): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object') {
    into.set(prefix, String(value));
    return;
  }
  if (Array.isArray(value)) {
    into.set(prefix, JSON.stringify(value));
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === 'ruleIds' || k === 'at') continue;
    flat(prefix ? `${prefix}.${k}` : k, v, into);
  }
}

/**
 * Lists what differs between decision `a` (current policy) and `b` (draft policy).
 *
 * @example
 * ```ts
 * diffDecisions(decide(facts, current, now), decide(facts, draft, now));
 * // [{ path: 'deadlines.dnrWaitUntil.date', change: 'changed', before: '2026-03-07', after: '2026-03-08' }, ...]
 * ```
 */
export function diffDecisions(a: Decision, b: Decision): DecisionChange[] {
  const out: DecisionChange[] = [];
  for (const key of ['required', 'customerChoice', 'allowed'] as const) {
    diffLists(key, a[key].map(describeAction), b[key].map(describeAction), out);
  }
  diffLists('blocked', a.blocked.map(describeBlock), b.blocked.map(describeBlock), out);
  const sched = (d: Decision) => d.scheduled.map((s) => `${describeAction(s.action)} from ${s.from ?? '-'} (${s.trigger})`);
  diffLists('scheduled', sched(a), sched(b), out);
  for (const section of ['amounts', 'deadlines'] as const) {
    const fa = new Map<string, string>();
    const fb = new Map<string, string>();
    flat(section, section === 'amounts' ? { ...a.amounts, lines: undefined, fees: undefined } : a.deadlines, fa);
    flat(section, section === 'amounts' ? { ...b.amounts, lines: undefined, fees: undefined } : b.deadlines, fb);
    for (const [k, v] of fa) {
      if (!fb.has(k)) out.push({ path: k, change: 'removed', before: v });
      else if (fb.get(k) !== v) out.push({ path: k, change: 'changed', before: v, after: fb.get(k)! });
    }
    for (const [k, v] of fb) if (!fa.has(k)) out.push({ path: k, change: 'added', after: v });
  }
  if (a.approval !== b.approval) out.push({ path: 'approval', change: 'changed', before: a.approval, after: b.approval });
  diffLists('rules', a.rules.map((r) => r.id), b.rules.map((r) => r.id), out);
  return out;
}
