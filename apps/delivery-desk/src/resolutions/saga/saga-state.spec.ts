import {
  assertResolutionTransition,
  assertStepTransition,
  FINAL_RESOLUTION_STATUSES,
  IllegalSagaTransitionError,
  RESOLUTION_STATUSES,
  RESOLUTION_TRANSITIONS,
  STEP_STATUSES,
  STEP_TRANSITIONS,
} from './saga-state';

describe(assertResolutionTransition.name, () => {
  it('only moves to known statuses, and final statuses go nowhere', () => {
    for (const tos of Object.values(RESOLUTION_TRANSITIONS)) for (const to of tos) expect(RESOLUTION_STATUSES).toContain(to);
    for (const s of FINAL_RESOLUTION_STATUSES) expect(RESOLUTION_TRANSITIONS[s]).toEqual([]);
  });

  it('reaches every status from pending_approval', () => {
    const seen = new Set<string>(['pending_approval']);
    const queue = ['pending_approval'] as (keyof typeof RESOLUTION_TRANSITIONS)[];
    while (queue.length) for (const n of RESOLUTION_TRANSITIONS[queue.shift()!]) if (!seen.has(n)) (seen.add(n), queue.push(n));
    expect([...seen].sort()).toEqual([...RESOLUTION_STATUSES].sort());
  });

  it('refuses running a resolution nobody approved, or reopening a completed one', () => {
    expect(() => assertResolutionTransition('pending_approval', 'running')).toThrow(IllegalSagaTransitionError);
    expect(() => assertResolutionTransition('completed', 'compensating')).toThrow('A resolution cannot go from completed to compensating');
    expect(() => assertResolutionTransition('waiting', 'running')).not.toThrow();
  });
});

describe(assertStepTransition.name, () => {
  it('only moves to known statuses', () => {
    for (const tos of Object.values(STEP_TRANSITIONS)) for (const to of tos) expect(STEP_STATUSES).toContain(to);
  });

  it('compensates only done steps (or a parked one whose wait failed), and never runs a compensated or failed step again', () => {
    const into = (to: string) => STEP_STATUSES.filter((from) => STEP_TRANSITIONS[from].includes(to as never));
    expect(into('compensating').sort()).toEqual(['compensating', 'done', 'waiting']);
    expect(STEP_TRANSITIONS.compensated).toEqual([]);
    expect(STEP_TRANSITIONS.failed).toEqual([]);
    expect(() => assertStepTransition('done', 'running')).toThrow(IllegalSagaTransitionError);
  });
});
