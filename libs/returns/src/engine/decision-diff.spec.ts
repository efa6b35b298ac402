import { DEFAULT_POLICY } from '../policy/default-policy';
import { aFacts, problem } from '../testing/facts.factory';
import { decide } from './decide';
import { diffDecisions } from './decision-diff';

describe(diffDecisions.name, () => {
  const facts = aFacts(problem('not_received', { shipmentId: 's1' }));
  const now = '2026-03-08T23:00:00Z';

  it('finds nothing between a decision and itself', () => {
    expect(diffDecisions(decide(facts, DEFAULT_POLICY, now), decide(facts, DEFAULT_POLICY, now))).toEqual([]);
  });

  it('shows what a longer not-received wait changes', () => {
    const draft = { ...DEFAULT_POLICY, version: 'draft', notReceived: { ...DEFAULT_POLICY.notReceived, waitHours: 72 } };
    const changes = diffDecisions(decide(facts, DEFAULT_POLICY, now), decide(facts, draft, now));
    expect(changes).toContainEqual({ path: 'deadlines.dnrWaitUntil.date', change: 'changed', before: '2026-03-08', after: '2026-03-09' });
    expect(changes).toContainEqual(expect.objectContaining({ path: 'required', change: 'added', after: expect.stringMatching(/^WAIT\(/) }));
    expect(changes).toContainEqual(expect.objectContaining({ path: 'customerChoice', change: 'removed', before: expect.stringMatching(/^RESHIP\(/) }));
  });
});
