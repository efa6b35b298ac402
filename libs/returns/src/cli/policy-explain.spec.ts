import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide } from '../engine/decide';
import { diffDecisions } from '../engine/decision-diff';
import { parseFacts } from '../facts/facts.schema';
import { DEFAULT_POLICY } from '../policy/default-policy';
import { parsePolicy } from '../policy/merchant-policy.schema';

const dir = join(__dirname, '..', '..', 'examples');
const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

describe('policy:explain examples', () => {
  const cases = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'draft-policy.json');

  it('ships at least three cases and a valid draft policy', () => {
    expect(cases.length).toBeGreaterThanOrEqual(3);
    expect(parsePolicy(read('draft-policy.json')).version).toBe('draft-2026.2');
  });

  it.each(cases)('%s decides under both policies', (name) => {
    const c = read(name);
    const facts = parseFacts(c.facts);
    const current = decide(facts, DEFAULT_POLICY, c.now);
    const draft = decide(facts, parsePolicy(read('draft-policy.json')), c.now);
    expect(current.explanation.en.length).toBeGreaterThan(1);
    expect(Array.isArray(diffDecisions(current, draft))).toBe(true);
  });
});
