/**
 * The life of a resolution:
 * - `pending_approval`: above the requester's limit, waiting for a supervisor (`rejected` if refused);
 * - `approved`: may run, its first step is queued;
 * - `running` / `waiting`: a step is being run / a step waits for an outside confirmation;
 * - `completed`: every step done;
 * - `compensating` → `compensated`: a step failed for good and the done steps are being undone;
 * - `failed`: a compensation failed for good too, or a step ended the resolution with nothing to undo
 *   (`failResolution`, e.g. a claim the carrier refused); a person must look (`needs_attention`).
 */
export const RESOLUTION_STATUSES = ['pending_approval', 'approved', 'rejected', 'running', 'waiting', 'completed', 'compensating', 'compensated', 'failed'] as const;
export type ResolutionStatus = (typeof RESOLUTION_STATUSES)[number];

/**
 * The life of a step:
 * - `pending` → `running` (leased to one worker) → `done`, or `waiting` for a signal, then `done`;
 * - a transient failure puts it back to `pending` (the queue retries it later);
 * - a permanent one makes it `failed` and starts compensation;
 * - done steps with a `compensate` go `compensating` → `compensated` (so does a local step whose wait
 *   failed: it wrote before parking); steps never reached are `skipped`.
 */
export const STEP_STATUSES = ['pending', 'running', 'waiting', 'done', 'failed', 'compensating', 'compensated', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const RESOLUTION_TRANSITIONS: Readonly<Record<ResolutionStatus, readonly ResolutionStatus[]>> = {
  pending_approval: ['approved', 'rejected'],
  approved: ['running'],
  rejected: [],
  running: ['waiting', 'completed', 'compensating'],
  waiting: ['running', 'compensating'],
  completed: [],
  compensating: ['compensated', 'failed'],
  compensated: [],
  // A person may send a failed resolution back to compensating once the cause is fixed.
  failed: ['compensating'],
};

export const STEP_TRANSITIONS: Readonly<Record<StepStatus, readonly StepStatus[]>> = {
  pending: ['running', 'skipped'],
  // running → running: a lease ran out and another worker took the step over.
  running: ['running', 'done', 'waiting', 'pending', 'failed'],
  // waiting → compensating: a local step's wait failed; what it wrote before parking is undone.
  waiting: ['done', 'pending', 'failed', 'compensating'],
  done: ['compensating'],
  failed: [],
  compensating: ['compensating', 'compensated'],
  compensated: [],
  skipped: [],
};

/** Resolution statuses the runner still has work for (the sweep looks at these). */
export const ACTIVE_RESOLUTION_STATUSES: readonly ResolutionStatus[] = ['approved', 'running', 'compensating'];

/** Statuses a resolution never leaves. */
export const FINAL_RESOLUTION_STATUSES: readonly ResolutionStatus[] = ['rejected', 'completed', 'compensated'];

/** A move the state tables do not allow: a bug in the runner, never a client error. */
export class IllegalSagaTransitionError extends Error {
  override readonly name = 'IllegalSagaTransitionError';
  constructor(
    readonly what: 'resolution' | 'step',
    readonly from: string,
    readonly to: string,
  ) {
    super(`A ${what} cannot go from ${from} to ${to}`);
  }
}

export function assertResolutionTransition(from: ResolutionStatus, to: ResolutionStatus): void {
  if (!RESOLUTION_TRANSITIONS[from].includes(to)) throw new IllegalSagaTransitionError('resolution', from, to);
}

export function assertStepTransition(from: StepStatus, to: StepStatus): void {
  if (!STEP_TRANSITIONS[from].includes(to)) throw new IllegalSagaTransitionError('step', from, to);
}
