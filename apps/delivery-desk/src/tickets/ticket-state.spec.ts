import { ApiError } from '../common/api-error';
import { assertTransition, canTransition, TICKET_TRANSITIONS } from './ticket-state';
import { TICKET_STATUSES } from './ticket.entity';

describe(assertTransition.name, () => {
  it('lets a resolved ticket be closed or reopened, and nothing else', () => {
    expect(TICKET_STATUSES.filter((s) => canTransition('resolved', s))).toEqual(['closed', 'reopened']);
  });

  it('refuses a closed ticket going straight back to work', () => {
    expect(() => assertTransition('closed', 'open')).toThrow(ApiError);
    try {
      assertTransition('closed', 'open');
    } catch (e) {
      expect((e as ApiError).status).toBe(409);
      expect((e as ApiError).code).toBe('illegal_transition');
    }
  });

  it('has no transition to the same status and every target is a known status', () => {
    for (const [from, tos] of Object.entries(TICKET_TRANSITIONS)) {
      expect(tos).not.toContain(from);
      for (const to of tos) expect(TICKET_STATUSES).toContain(to);
    }
  });

  it('reaches every status from open', () => {
    const seen = new Set(['open']);
    const queue = ['open'];
    while (queue.length) for (const n of TICKET_TRANSITIONS[queue.shift() as keyof typeof TICKET_TRANSITIONS]) if (!seen.has(n)) (seen.add(n), queue.push(n));
    expect([...seen].sort()).toEqual([...TICKET_STATUSES].sort());
  });
});
