import {
  assertTransition,
  canTransition,
  IllegalCommandTransitionError,
  isSettled,
  PLATFORM_COMMAND_STATUSES,
  PLATFORM_COMMAND_TRANSITIONS,
  SETTLED_STATUSES,
} from './platform-command-state';

describe(assertTransition.name, () => {
  it('lets nothing leave a settled status', () => {
    for (const s of SETTLED_STATUSES) expect(PLATFORM_COMMAND_TRANSITIONS[s]).toEqual([]);
  });

  it('can settle from every open status, and only expire or be confirmed/failed once delivered', () => {
    for (const s of ['pending', 'delivering', 'delivered'] as const) {
      expect(canTransition(s, 'confirmed')).toBe(true);
      expect(canTransition(s, 'failed')).toBe(true);
      expect(canTransition(s, 'expired')).toBe(true);
    }
    expect(canTransition('delivered', 'cancelled')).toBe(false);
    expect(canTransition('delivered', 'delivering')).toBe(false);
  });

  it('only names known statuses in the table', () => {
    for (const targets of Object.values(PLATFORM_COMMAND_TRANSITIONS)) for (const t of targets) expect(PLATFORM_COMMAND_STATUSES).toContain(t);
    expect(Object.keys(PLATFORM_COMMAND_TRANSITIONS).sort()).toEqual([...PLATFORM_COMMAND_STATUSES].sort());
  });

  it('throws on an illegal move instead of ignoring it', () => {
    expect(() => assertTransition('delivered', 'confirmed')).not.toThrow();
    expect(() => assertTransition('failed', 'confirmed')).toThrow(IllegalCommandTransitionError);
    expect(() => assertTransition('confirmed', 'confirmed')).toThrow('cannot go from confirmed to confirmed');
  });

  it('knows which statuses are settled', () => {
    expect(PLATFORM_COMMAND_STATUSES.filter(isSettled)).toEqual(['confirmed', 'failed', 'expired', 'cancelled']);
  });
});
