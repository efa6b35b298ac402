import type { EntityManager } from 'typeorm';

/**
 * A failure worth trying again later (a timeout, a 503, a lock). Throw it from a step's `invoke` or
 * `compensate`: the runner records the attempt and the job queue retries with exponential backoff.
 * Anything else thrown is permanent, except errors that carry `retryable: true` (`CarrierError`).
 *
 * @example
 * if (res.status >= 500) throw new TransientError(`platform answered ${res.status}`);
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  readonly retryable = true;
}

/** Whether a thrown value asks for a retry: a {@link TransientError}, or any error with `retryable: true`. */
export function isTransient(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === true;
}

/** A short, log-safe description of a failure for `last_error` columns. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return (typeof code === 'string' && code ? `${code}: ${err.message}` : `${err.name}: ${err.message}`).slice(0, 2000);
  }
  return String(err).slice(0, 2000);
}

/** What a step waits for: an outside confirmation identified by `kind` and `ref`, e.g. a platform command id. */
export interface WaitSpec {
  /** A name shared by the step and whoever signals, e.g. `platform-command`. At most 64 characters. */
  kind: string;
  /** Identifies the awaited event within the merchant and kind. At most 200 characters. */
  ref: string;
  /** Give up after this long: the step then fails (`onTimeout: 'fail'`, the default) or is invoked again (`'retry'`). */
  timeoutSeconds?: number;
  onTimeout?: 'fail' | 'retry';
}

/** Returned by `invoke` to park the step until `SagaRunner.signal`. Build it with {@link waitFor}. */
export class WaitRequest<O = unknown> {
  constructor(
    readonly wait: WaitSpec,
    /** Kept as the step's output while it waits; merged with the signal's output when it resumes. */
    readonly output: O | undefined,
  ) {}
}

/**
 * Parks the step until someone calls `SagaRunner.signal(merchantId, kind, ref, outcome)`. A signal
 * that arrives before the wait is recorded is kept and applied as soon as the step parks.
 *
 * @example
 * async invoke(ctx) {
 *   const command = await platform.issueRefund(ctx.input, { idempotencyKey: ctx.idempotencyKey });
 *   return waitFor({ kind: 'platform-command', ref: command.id, timeoutSeconds: 7 * 86_400 }, { commandId: command.id });
 * }
 */
export function waitFor<O>(wait: WaitSpec, output?: O): WaitRequest<O> {
  return new WaitRequest(wait, output);
}

/**
 * Returned by `invoke` when the step did its work (recorded what happened) but the resolution cannot
 * reach its goal for good, e.g. the carrier refused the claim: no retry. Done steps with a
 * `compensate` are undone (the resolution ends `compensated`); when there is nothing to undo it ends
 * `failed` with `needsAttention`, so a person sees it. Build it with {@link failResolution}.
 */
export class ResolutionFailure<O = unknown> {
  constructor(
    /** Why, kept as the resolution's `error`. */
    readonly reason: string,
    /** Kept as the step's output. */
    readonly output: O | undefined,
  ) {}
}

/**
 * Ends the resolution as failed after this step, with the reason on the resolution.
 *
 * @example
 * if (filed.outcome === 'refused') return failResolution(`carrier refused the claim: ${filed.message}`, { recorded: 'refused' });
 */
export function failResolution<O>(reason: string, output?: O): ResolutionFailure<O> {
  return new ResolutionFailure(reason, output);
}

/** What the runner tells a step about the resolution it belongs to. */
export interface ResolutionFacts {
  id: string;
  merchantId: string;
  orderId: string;
  ticketId: string | null;
  kind: string;
  amountMinor: number;
  currency: string;
  requestedBy: string;
  approvedBy: string | null;
}

interface BaseContext<I> {
  resolution: ResolutionFacts;
  step: { key: string; name: string; position: number; attempt: number };
  input: I;
  /**
   * Stable across retries, crashes and replicas: `<resolution id>:<step key>` for `invoke`,
   * with `:compensate` appended for `compensate`. Pass it to every external call.
   */
  idempotencyKey: string;
  /** Outputs of the steps already done in this resolution, by step key. */
  results: Readonly<Record<string, unknown>>;
  /** The service clock's now. */
  now: Date;
  /** Aborted when the job queue gives up on the job (its expiry); hand it to HTTP calls. */
  signal?: AbortSignal;
}

/** Context of a `local` step: `em` is the transaction that also records the step's outcome. */
export interface LocalStepContext<I> extends BaseContext<I> {
  em: EntityManager;
}

/** Context of a `remote` step: no transaction is open while it runs (external calls may be slow). */
export type RemoteStepContext<I> = BaseContext<I>;

export interface LocalCompensateContext<I, O> extends LocalStepContext<I> {
  /** What `invoke` returned (or the merged output of a wait). */
  output: O;
}

export interface RemoteCompensateContext<I, O> extends RemoteStepContext<I> {
  output: O;
}

interface StepCommon {
  /** Registry name, kebab-case, unique in the service. */
  name: string;
  /**
   * How long one run of `invoke` or `compensate` may take before the step counts as abandoned (its
   * process crashed) and another worker may take it over. Default 60 for local steps, 300 for remote.
   */
  leaseSeconds?: number;
  /** Invocations before a transient failure counts as permanent (default 5, at most 20). */
  maxAttempts?: number;
  /** Compensation attempts before the resolution is failed and handed to a person (default 10, at most 20). */
  maxCompensationAttempts?: number;
}

/**
 * A step that only writes to our database. `invoke` and `compensate` run inside the transaction that
 * records their outcome, so their effect happens exactly once, even across crashes.
 *
 * It may wait: e.g. issue a platform command (an outbox row the platform module delivers) and
 * return {@link waitFor} on the command's id. Its writes commit when it parks, so if the wait then
 * fails for good its `compensate` runs with the others. A retryable failure signal invokes it
 * again: find what the earlier attempt wrote (by `ctx.idempotencyKey`) rather than writing twice.
 */
export interface LocalSagaStep<I = any, O = any> extends StepCommon {
  mode: 'local';
  invoke(ctx: LocalStepContext<I>): Promise<O | WaitRequest<O> | ResolutionFailure<O>>;
  compensate?(ctx: LocalCompensateContext<I, O>): Promise<void>;
}

/**
 * A step that calls something outside (a carrier, the platform). It runs with no transaction open and
 * may run more than once (a crash after the call, a lease that ran out): it must be idempotent by
 * `ctx.idempotencyKey`. It may return {@link waitFor} to park until a confirmation arrives.
 */
export interface RemoteSagaStep<I = any, O = any> extends StepCommon {
  mode: 'remote';
  invoke(ctx: RemoteStepContext<I>): Promise<O | WaitRequest<O> | ResolutionFailure<O>>;
  compensate?(ctx: RemoteCompensateContext<I, O>): Promise<void>;
}

/**
 * One step of a resolution: `{ name, mode, invoke, compensate? }`. Steps are registered once by name
 * (see `StepRegistry`); a resolution's plan lists step names with their inputs.
 *
 * Order steps as the saga literature and our style guide ask: validate first, local writes next,
 * irreversible external calls as late as possible, notifications last.
 *
 * @example
 * export const reserveRefund = (ledger: LedgerService): SagaStep<{ lossKey: string }, { entryId: string }> => ({
 *   name: 'reserve-refund',
 *   mode: 'local',
 *   async invoke({ em, resolution, input }) {
 *     const entry = await ledger.reserve(em, { merchantId: resolution.merchantId, orderId: resolution.orderId, resolutionId: resolution.id,
 *       kind: 'refund', lossKey: input.lossKey, amountMinor: resolution.amountMinor, currency: resolution.currency });
 *     return { entryId: entry.id };
 *   },
 *   async compensate({ em, resolution, output }) {
 *     await ledger.undo(em, resolution.merchantId, output.entryId, 'resolution compensated');
 *   },
 * });
 */
export type SagaStep<I = any, O = any> = LocalSagaStep<I, O> | RemoteSagaStep<I, O>;

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_MAX_COMPENSATION_ATTEMPTS = 10;
export const DEFAULT_LEASE_SECONDS = { local: 60, remote: 300 } as const;
/** pg-boss's retry limit for the step queue; steps may not ask for more attempts than it allows. */
export const MAX_ATTEMPTS_CEILING = 20;
