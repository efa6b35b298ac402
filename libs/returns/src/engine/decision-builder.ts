/**
 * Collects what the evaluators conclude and turns it into a `Decision`, enforcing the
 * invariants every decision keeps: a blocked action is never also offered, every offered or
 * required action cites a rule, and every cited rule comes with its citation.
 */
import { renderExplanation } from '../explanation/explanation';
import type { MessageKey, MessageVars } from '../explanation/explanation.message';
import type { LineQuantity } from '../facts/facts';
import { hasUnverifiedPart, isRuleId, RULES } from '../rules/rule-catalogue';
import type {
  Action,
  Amounts,
  ApprovalLevel,
  BlockedAction,
  CitedRule,
  Deadline,
  Deadlines,
  Decision,
  ScheduledAction,
} from './decision';
import type { DecisionContext } from './decision-context';

/** Bumped when the engine's behaviour changes, so stored decisions can be replayed knowingly. */
export const ENGINE_VERSION = '1.0.0';

/** A fact the explanation states, with the rules behind it. */
export interface Finding {
  key: MessageKey;
  vars: MessageVars;
  ruleIds: string[];
}

const APPROVAL_RANK: Record<ApprovalLevel, number> = { none: 0, agent: 1, supervisor: 2 };

export function maxApproval(a: ApprovalLevel, b: ApprovalLevel): ApprovalLevel {
  return APPROVAL_RANK[a] >= APPROVAL_RANK[b] ? a : b;
}

function linesOf(a: Action): LineQuantity[] | undefined {
  return 'lines' in a ? a.lines : undefined;
}

function overlaps(a: LineQuantity[] | undefined, b: LineQuantity[] | undefined): boolean {
  if (!a || !b || a.length === 0 || b.length === 0) return true;
  return a.some((x) => b.some((y) => y.lineId === x.lineId));
}

/** True when `block` forbids `action`. */
export function isBlockedBy(action: Action, block: BlockedAction): boolean {
  return action.kind === block.kind && overlaps(linesOf(action), block.lines);
}

export class DecisionBuilder {
  private readonly required: Action[] = [];
  private readonly customerChoice: Action[] = [];
  private readonly allowed: Action[] = [];
  private readonly blocked: BlockedAction[] = [];
  private readonly scheduled: ScheduledAction[] = [];
  readonly deadlines: Deadlines = {};
  private readonly findings: Finding[] = [];
  private readonly extraCitations = new Set<string>();

  constructor(private readonly ctx: DecisionContext) {}

  require(action: Action): this {
    this.required.push(action);
    return this;
  }

  offer(action: Action): this {
    this.customerChoice.push(action);
    return this;
  }

  allow(action: Action): this {
    this.allowed.push(action);
    return this;
  }

  block(block: BlockedAction): this {
    this.blocked.push(block);
    return this;
  }

  schedule(item: ScheduledAction): this {
    this.scheduled.push(item);
    return this;
  }

  explain(key: MessageKey, vars: MessageVars, ruleIds: string[]): this {
    this.findings.push({ key, vars, ruleIds });
    return this;
  }

  /** Cites a rule that shaped the decision without an action of its own (e.g. a scope rule). */
  cite(...ruleIds: string[]): this {
    for (const id of ruleIds) this.extraCitations.add(id);
    return this;
  }

  setDeadline<K extends keyof Deadlines>(key: K, value: Deadlines[K]): this {
    this.deadlines[key] = value;
    return this;
  }

  /** Actions currently on offer in any list (before blocks are applied). */
  offered(): Action[] {
    return [...this.required, ...this.customerChoice, ...this.allowed];
  }

  hasOffered(kind: Action['kind']): boolean {
    return this.offered().some((a) => a.kind === kind);
  }

  isBlocked(kind: Action['kind']): boolean {
    return this.blocked.some((b) => b.kind === kind);
  }

  blocks(): readonly BlockedAction[] {
    return this.blocked;
  }

  /** Moves every listed action of `kind` out of the lists (used by overlays that replace it). */
  withdraw(kind: Action['kind']): Action[] {
    const out: Action[] = [];
    for (const list of [this.required, this.customerChoice, this.allowed]) {
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i]!.kind === kind) out.unshift(...list.splice(i, 1));
      }
    }
    return out;
  }

  build(amounts: Amounts): Decision {
    const notBlocked = (a: Action) => !this.blocked.some((b) => isBlockedBy(a, b));
    const seen = new Set<string>();
    const unique = (a: Action) => {
      const key = JSON.stringify(a);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    const required = this.required.filter(notBlocked).filter(unique);
    const customerChoice = this.customerChoice.filter(notBlocked).filter(unique);
    const allowed = this.allowed.filter(notBlocked).filter(unique);
    for (const a of [...required, ...customerChoice, ...allowed]) {
      if (a.ruleIds.length === 0) throw new Error(`Action ${a.kind} cites no rule`);
    }

    let approval: ApprovalLevel = 'none';
    // Scheduled refunds (e.g. on the return's first scan) need the same sign-off now.
    for (const a of [...required, ...customerChoice, ...this.scheduled.map((s) => s.action)]) {
      if ('approval' in a) approval = maxApproval(approval, a.approval);
      if (a.kind === 'ESCALATE' && a.to === 'supervisor') approval = 'supervisor';
    }

    const ids = new Set<string>(this.extraCitations);
    const addAll = (list: readonly string[]) => list.forEach((id) => ids.add(id));
    for (const a of [...required, ...customerChoice, ...allowed]) addAll(a.ruleIds);
    for (const b of this.blocked) addAll(b.ruleIds);
    for (const s of this.scheduled) addAll(s.action.ruleIds);
    for (const f of this.findings) addAll(f.ruleIds);
    for (const d of Object.values(this.deadlines) as Array<Deadline | Deadlines['carrierClaim']>) {
      if (!d) continue;
      if ('ruleIds' in d) addAll(d.ruleIds);
      else for (const part of [d.opensOn, d.lastDay, d.fileBy, d.noticeLastDay]) if (part) addAll(part.ruleIds);
    }
    for (const f of amounts.fees) addAll(f.ruleIds);

    const rules: CitedRule[] = [...ids].filter(isRuleId).map((id) => {
      const r = RULES[id];
      const params = this.ctx.paramsUsed.get(id);
      return {
        id,
        title: r.title,
        citation: r.citation,
        status: r.status,
        ...(r.statusNote ? { statusNote: r.statusNote } : {}),
        configurable: hasUnverifiedPart(id),
        ...(params ? { params: { ...params } } : {}),
      };
    });
    const unknown = [...ids].filter((id) => !isRuleId(id));
    if (unknown.length > 0) throw new Error(`Unknown rule ids cited: ${unknown.join(', ')}`);

    const p = this.ctx.facts.problem;
    const decision: Decision = {
      engineVersion: ENGINE_VERSION,
      policyVersion: this.ctx.policy.version,
      problemKind: p.kind,
      evaluatedAt: this.ctx.nowIso,
      timeZone: this.ctx.timeZone,
      required,
      customerChoice,
      allowed,
      blocked: this.blocked,
      scheduled: this.scheduled,
      amounts,
      deadlines: this.deadlines,
      rules,
      approval,
      explanation: { en: [], ja: [] },
    };
    decision.explanation = renderExplanation(decision, this.findings, this.ctx.currency);
    return decision;
  }
}
