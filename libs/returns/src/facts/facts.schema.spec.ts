import { aFacts, problem } from '../testing/facts.factory';
import { ValidationError } from '../policy/merchant-policy.schema';
import { parseFacts } from './facts.schema';

describe(parseFacts.name, () => {
  it('accepts facts from the factory, round-tripped through JSON', () => {
    const facts = aFacts(problem('not_received', { shipmentId: 's1' }));
    expect(parseFacts(JSON.parse(JSON.stringify(facts)))).toEqual(facts);
  });

  it.each([
    ['problem.lines.0.lineId', aFacts(problem('damaged', { lines: [{ lineId: 'nope', quantity: 1 }], extent: 'partial' }))],
    ['problem.lines.0.quantity', aFacts(problem('damaged', { lines: [{ lineId: 'l1', quantity: 5 }], extent: 'partial' }))],
    ['problem.shipmentId', aFacts(problem('not_received', { shipmentId: 's9' }))],
    ['problem.reportedAt', aFacts(problem('not_received', { shipmentId: 's1', reportedAt: 'yesterday' }))],
    ['timeZone', aFacts(problem('not_received', { shipmentId: 's1' }), { timeZone: 'Mars/Olympus' })],
  ])('reports %s', (path, facts) => {
    try {
      parseFacts(JSON.parse(JSON.stringify(facts)));
      throw new Error('expected a ValidationError');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues.map((i) => i.path)).toContain(path);
    }
  });
});
