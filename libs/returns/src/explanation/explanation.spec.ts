import { DEFAULT_POLICY } from '../policy/default-policy';
import { decide } from '../engine/decide';
import { aFacts, problem, unshippedFacts } from '../testing/facts.factory';
import { MESSAGES } from './explanation.message';
import { renderExplanation } from './explanation';

describe(renderExplanation.name, () => {
  it('explains a not-received decision in English and polite Japanese', () => {
    const d = decide(aFacts(problem('not_received', { shipmentId: 's1' })), DEFAULT_POLICY, '2026-03-07T18:00:00Z');
    expect(d.explanation.en[0]).toBe('Required: wait.');
    expect(d.explanation.en[1]).toMatch(/we wait 48 hours \(until 2026-03-08 15:00\)/); // in the ship-to zone
    expect(d.explanation.ja[1]).toMatch(/2026年3月8日 15:00まで/);
    expect(d.explanation.ja.join('')).toMatch(/いただけますでしょうか|ございます|いたします/);
  });

  it('writes money in the order currency and names configurable and unverified rules', () => {
    const d = decide(unshippedFacts(problem('where_is_my_order', {})), DEFAULT_POLICY, '2026-03-10T18:00:00Z');
    expect(d.explanation.en).toContain('Refund $95.20 (items $80.00, shipping $8.00, tax $7.20).');
    expect(d.explanation.en.at(-1)).toMatch(/^Rules configurable, from secondary sources \(V2\): .*US-FTC-435-VESTING/);
    expect(d.explanation.ja.at(-1)).toMatch(/^※二次情報に基づく設定可能な規則（V2）：/);
  });

  it('has every message in both languages', () => {
    for (const [key, m] of Object.entries(MESSAGES)) {
      const fmt = { money: String, date: String, label: String };
      const vars = new Proxy({}, { get: () => 'x' }) as Record<string, string>;
      expect([key, m.en(vars, fmt).length > 0, m.ja(vars, fmt).length > 0]).toEqual([key, true, true]);
    }
  });
});
