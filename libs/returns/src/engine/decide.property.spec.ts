import fc from 'fast-check';
import { RULES } from '../rules/rule-catalogue';
import { caseArb, policyArb } from '../testing/facts.arbitrary';
import { parseFacts } from '../facts/facts.schema';
import type { Action, Decision } from './decision';
import { isBlockedBy } from './decision-builder';
import { decide } from './decide';

const sut = decide;
const RUNS = { numRuns: 400 };
const money = (a: Action) => (a.kind === 'REFUND_FULL' || a.kind === 'REFUND_PARTIAL' ? a.amountMinor : undefined);
const everyAction = (d: Decision): Action[] => [...d.required, ...d.customerChoice, ...d.allowed, ...d.scheduled.map((s) => s.action)];

describe(`${decide.name} invariants`, () => {
  it('generates valid facts', () => {
    fc.assert(fc.property(caseArb, ({ facts }) => void parseFacts(JSON.parse(JSON.stringify(facts)))), { numRuns: 100 });
  });

  it('never refunds more than was paid, less what was already refunded', () => {
    fc.assert(
      fc.property(caseArb, policyArb, ({ facts, now }, policy) => {
        const d = sut(facts, policy, now);
        const left = facts.order.charges.totalMinor - (facts.order.alreadyRefundedMinor ?? 0);
        expect(d.amounts.refundTotalMinor).toBeGreaterThanOrEqual(0);
        expect(d.amounts.refundTotalMinor).toBeLessThanOrEqual(Math.max(0, left));
        for (const a of everyAction(d)) {
          const m = money(a);
          if (m !== undefined) {
            expect(m).toBeGreaterThanOrEqual(0);
            expect(m).toBeLessThanOrEqual(Math.max(0, left));
          }
        }
      }),
      RUNS,
    );
  });

  it('has amounts that add up', () => {
    fc.assert(
      fc.property(caseArb, policyArb, ({ facts, now }, policy) => {
        const a = sut(facts, policy, now).amounts;
        expect(a.refundTotalMinor).toBe(a.itemsMinor + a.shippingMinor + a.taxMinor + a.dutiesMinor - a.feesMinor - a.capAdjustmentMinor);
        expect(a.feesMinor).toBe(a.fees.reduce((n, f) => n + f.amountMinor, 0));
        expect(a.itemsMinor).toBe(a.lines.reduce((n, l) => n + l.itemsMinor, 0));
        for (const l of a.lines) expect(l.refundMinor).toBe(l.itemsMinor + l.taxMinor - l.feesMinor);
        for (const v of [a.itemsMinor, a.shippingMinor, a.taxMinor, a.feesMinor, a.capAdjustmentMinor, a.storeCreditMinor]) {
          expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('gives the same output for the same input, and is plain JSON', () => {
    fc.assert(
      fc.property(caseArb, policyArb, ({ facts, now }, policy) => {
        const before = JSON.stringify(facts);
        const a = sut(facts, policy, now);
        const b = sut(JSON.parse(before), JSON.parse(JSON.stringify(policy)), new Date(now));
        expect(JSON.stringify(facts)).toBe(before); // facts are not mutated
        expect(b).toEqual(a);
        expect(JSON.parse(JSON.stringify(a))).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('never offers an action it blocks', () => {
    fc.assert(
      fc.property(caseArb, policyArb, ({ facts, now }, policy) => {
        const d = sut(facts, policy, now);
        for (const a of [...d.required, ...d.customerChoice, ...d.allowed]) {
          for (const b of d.blocked) expect(isBlockedBy(a, b)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('cites at least one known rule for every action, and lists each cited rule with its citation', () => {
    fc.assert(
      fc.property(caseArb, policyArb, ({ facts, now }, policy) => {
        const d = sut(facts, policy, now);
        const cited = new Set(d.rules.map((r) => r.id));
        for (const a of [...everyAction(d), ...d.blocked]) {
          expect(a.ruleIds.length).toBeGreaterThan(0);
          for (const id of a.ruleIds) {
            expect(RULES).toHaveProperty([id]);
            expect(cited.has(id)).toBe(true);
          }
        }
        for (const r of d.rules) expect(r.citation).toBe(RULES[r.id as keyof typeof RULES].citation);
      }),
      RUNS,
    );
  });

  it('always explains itself in both languages and marks unverified rules', () => {
    fc.assert(
      fc.property(caseArb, policyArb, ({ facts, now }, policy) => {
        const d = sut(facts, policy, now);
        expect(d.explanation.en.length).toBeGreaterThan(0);
        expect(d.explanation.ja.length).toBe(d.explanation.en.length);
        if (d.rules.some((r) => r.status === 'UNVERIFIED')) {
          expect(d.explanation.en.at(-1)).toMatch(/unverified/);
          expect(d.explanation.ja.at(-1)).toMatch(/未確認/);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('needs a supervisor whenever a required or offered remedy exceeds the agent limit', () => {
    fc.assert(
      fc.property(caseArb, policyArb, ({ facts, now }, policy) => {
        const d = sut(facts, policy, now);
        const top = Math.max(0, ...[...d.required, ...d.customerChoice].map((a) => (money(a) ?? (a.kind === 'RESHIP' ? a.valueMinor : 0))));
        if (top > policy.approval.agentUpToMinor) expect(d.approval).toBe('supervisor');
      }),
      RUNS,
    );
  });
});
