import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { ApiError, FieldProblem } from '../../common/api-error';
import { Clock } from '../../common/clock';
import { SETTINGS, Settings } from '../../config/settings';
import { JobQueue } from '../../jobs/job-queue.service';
import { approvalRefusal, needsApproval, ResolutionActor, VerifiedActor } from './approval';
import { ResolutionSignalEntity, SignalOutcome } from './resolution-signal.entity';
import { ResolutionStepEntity } from './resolution-step.entity';
import { PlanItem, ResolutionEntity } from './resolution.entity';
import {
  ACTIVE_RESOLUTION_STATUSES,
  assertResolutionTransition,
  assertStepTransition,
  ResolutionStatus,
  StepStatus,
} from './saga-state';
import {
  DEFAULT_LEASE_SECONDS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_COMPENSATION_ATTEMPTS,
  describeError,
  isTransient,
  MAX_ATTEMPTS_CEILING,
  ResolutionFacts,
  SagaStep,
  TransientError,
  ResolutionFailure,
  WaitRequest,
  WaitSpec,
} from './saga-step';
import { StepRegistry } from './step-registry.service';

export const RESOLUTION_STEP_QUEUE = 'resolution-step';
export const RESOLUTION_SWEEP_QUEUE = 'resolution-sweep';

interface StepJob {
  merchantId: string;
  resolutionId: string;
}

/** What a playbook asks for. */
export interface ResolutionRequest {
  merchantId: string;
  orderId: string;
  ticketId?: string | null;
  /** What it does, for people and reports (`refund`, `reship`...). */
  kind: string;
  /** The value at stake, compared with the requester's approval limit. */
  amountMinor: number;
  currency: string;
  /**
   * The caller's key for this request (e.g. `ticket:<id>:refund:1`): asking again with the same key
   * returns the same resolution; the same key with a different request is refused.
   */
  idempotencyKey: string;
  /** The steps to run, in order. */
  plan: PlanItem[];
  requester: ResolutionActor;
}

export interface ResolutionView {
  resolution: ResolutionEntity;
  /** In plan order. */
  steps: ResolutionStepEntity[];
}

export interface RequestOutcome extends ResolutionView {
  /** False when the idempotency key had already been used for this very request. */
  created: boolean;
}

/** What {@link SagaRunner.signal} did with a signal. */
export type SignalResult =
  /** Steps wait for it: their resolutions are queued and the runner applies it as soon as the signal commits. */
  | { status: 'accepted'; resolutionIds: string[] }
  /** No step waits for it yet: it is kept, and the step takes it when it parks. */
  | { status: 'stored' }
  /** The step it is for has moved on (a duplicate or late signal): recorded and otherwise ignored. */
  | { status: 'ignored' };

/** A step leased to this worker: to invoke or to compensate. */
interface Claimed {
  kind: 'invoke' | 'compensate';
  resolution: ResolutionEntity;
  step: ResolutionStepEntity;
  def: SagaStep;
  /** The attempt number we leased; a different one on record means another worker took over. */
  attempt: number;
  results: Record<string, unknown>;
}

/** What a claim leaves to do: run a step, hand a transient failure to the queue, or nothing. */
type Work = Claimed | { kind: 'retry'; error: unknown } | null;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const KEY = /^[a-z][a-z0-9-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PLAN_STEPS = 50;
/** Whole minutes are the cron's grain; a lease running out sooner gets a sweep of its own. */
const SWEEP_EVERY_MS = 60_000;

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Runs resolutions as sagas: a plan of registered steps executed one step per job on the job queue,
 * each recorded before and after it runs, in the same transaction as the job that follows it.
 *
 * - **Retries**: a transient failure ({@link TransientError}, `retryable: true`) puts the step back to
 *   `pending` and the queue retries it with exponential backoff, up to the step's `maxAttempts`.
 * - **Compensation**: a permanent failure (or the last attempt) fails the step, skips the rest and
 *   runs the `compensate` of done steps in reverse order, each retried the same way. A compensation
 *   that fails for good leaves the resolution `failed` with `needsAttention`.
 * - **Waiting**: a step may return `waitFor(...)`; {@link signal} resumes it, even when the signal
 *   comes before the step parked.
 * - **Crashes**: a remote step is leased while it runs. A sweep on boot and every minute re-queues
 *   resolutions whose lease ran out or that have no job, and the step is invoked again with the same
 *   idempotency key. Local steps commit with their outcome, so they never run twice.
 * - **Approval**: above the requester's limit a resolution waits in `pending_approval` for
 *   {@link approve} by a supervisor or admin, not the requester, whose own limit covers it.
 *
 * @example
 * const { resolution } = await runner.requestResolution({
 *   merchantId, orderId: ticket.orderId, ticketId: ticket.id, kind: 'refund',
 *   amountMinor: 2599, currency: 'USD', idempotencyKey: `ticket:${ticket.id}:refund`,
 *   requester: agent,
 *   plan: [
 *     { step: 'reserve-refund', input: { lossKey: lossKey.shipment(ticket.shipmentId) } },
 *     { step: 'platform-refund' },           // remote: issues the command, waits for the platform
 *     { step: 'confirm-refund' },            // local: confirms the ledger entry
 *     { step: 'notify', key: 'notify-customer', input: { template: 'refund_done' } },
 *   ],
 * }, em); // inside the playbook's transaction: the resolution exists iff the ticket change commits
 * // later, from the platform module: await runner.signal(merchantId, 'platform-command', commandId, { ok: true, output: { refundId } });
 */
@Injectable()
export class SagaRunner implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(SagaRunner.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly jobs: JobQueue,
    private readonly registry: StepRegistry,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register<StepJob>(
      RESOLUTION_STEP_QUEUE,
      {
        // Our own attempt counts decide when to give up; the queue's limit only has to be above them.
        retryLimit: MAX_ATTEMPTS_CEILING,
        retryDelay: this.settings.jobs.retryDelaySeconds,
        retryBackoff: true,
        retryDelayMax: 3600,
        expireInSeconds: 900,
        concurrency: 4,
      },
      async (data, job) => this.advance(data.merchantId, data.resolutionId, job.signal),
    );
    this.jobs.register(RESOLUTION_SWEEP_QUEUE, { retryLimit: 1, cron: '* * * * *' }, async () => {
      await this.sweep();
    });
  }

  /** Resumes what a stopped or crashed process left behind, as soon as this one's queue runs. */
  onApplicationBootstrap(): void {
    if (!this.settings.jobs.workers) return;
    this.jobs.whenStarted(async () => {
      try {
        await this.sweep();
      } catch (err) {
        this.logger.error({ err }, 'resolution sweep at boot failed');
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Requesting, approving, reading

  /**
   * Records a resolution and its steps. Within the requester's approval limit it is `approved` and
   * its first step is queued; above it, it waits in `pending_approval`. With `em`, everything
   * (the job included) is written in the caller's transaction.
   *
   * Errors: 400 `validation_failed` (bad plan, unknown step), 422 `order_not_found`,
   * `currency_mismatch`, `idempotency_key_reused`; 403 `agent_unknown`, `agent_inactive`.
   */
  async requestResolution(request: ResolutionRequest, em?: EntityManager): Promise<RequestOutcome> {
    const plan = this.validate(request);
    const requestHash = createHash('sha256')
      .update(stableJson({ orderId: request.orderId, ticketId: request.ticketId ?? null, kind: request.kind, amountMinor: request.amountMinor, currency: request.currency, plan }))
      .digest('hex');
    return this.inTransaction(em, async (tx) => {
      const replay = await this.replay(tx, request, requestHash);
      if (replay) return replay;
      const [order]: { currency: string }[] = await tx.query(`SELECT currency FROM orders WHERE merchant_id = $1 AND id = $2`, [request.merchantId, request.orderId]);
      if (!order) throw ApiError.unprocessable('order_not_found', 'No such order for this merchant.', [{ path: 'orderId', problem: 'is not an order of this merchant' }]);
      if (order.currency !== request.currency) {
        throw ApiError.unprocessable('currency_mismatch', `The order is in ${order.currency}.`, [{ path: 'currency', problem: `must be ${order.currency}` }]);
      }
      const requester = await this.verify(tx, request.merchantId, request.requester);
      if (!requester.active) throw ApiError.forbidden('agent_inactive', 'This agent is deactivated.');
      const status: ResolutionStatus = needsApproval(requester, request.amountMinor) ? 'pending_approval' : 'approved';
      const inserted = await tx
        .createQueryBuilder()
        .insert()
        .into(ResolutionEntity)
        .values({
          merchantId: request.merchantId,
          orderId: request.orderId,
          ticketId: request.ticketId ?? null,
          kind: request.kind,
          status,
          requestedBy: requester.id,
          approvedBy: null,
          amountMinor: request.amountMinor,
          currency: request.currency,
          idempotencyKey: request.idempotencyKey,
          requestHash,
          // TypeORM's insert typing cannot follow jsonb values; the column takes the plan as is.
          plan: plan as never,
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      const id: string | undefined = inserted.raw?.[0]?.id;
      if (!id) {
        // Another request with this key committed while we checked: it is the one.
        const again = await this.replay(tx, request, requestHash);
        if (again) return again;
        throw new Error('resolution insert ignored but no resolution holds the key');
      }
      await tx.save(
        plan.map((item, position) =>
          tx.create(ResolutionStepEntity, {
          merchantId: request.merchantId,
          resolutionId: id,
          position,
          key: item.key!,
          name: item.step,
          status: 'pending' as StepStatus,
          idempotencyKey: `${id}:${item.key}`,
            input: item.input ?? {},
          }),
        ),
      );
      if (status === 'approved') await this.enqueue(tx, request.merchantId, id);
      return { ...(await this.view(tx, request.merchantId, id))!, created: true };
    });
  }

  /**
   * A supervisor's approval of a `pending_approval` resolution; its first step is queued. Refused
   * with 403 `approver_is_requester`, `approver_not_supervisor`, `approval_limit_exceeded`,
   * `agent_inactive`; 409 `resolution_not_pending`, or `resolution_version_conflict` when
   * `version` (what the desk showed) is stale.
   */
  async approve(merchantId: string, resolutionId: string, approver: ResolutionActor, opts: { version?: number; note?: string; em?: EntityManager } = {}): Promise<ResolutionView> {
    return this.decide(merchantId, resolutionId, approver, 'approved', opts);
  }

  /** A supervisor's refusal: the resolution is `rejected` and its steps `skipped`. Same checks as {@link approve}, except the limit. */
  async reject(merchantId: string, resolutionId: string, approver: ResolutionActor, opts: { version?: number; note?: string; em?: EntityManager } = {}): Promise<ResolutionView> {
    return this.decide(merchantId, resolutionId, approver, 'rejected', opts);
  }

  /**
   * Sends a `failed` resolution back to compensating with a fresh attempt budget, once a person has
   * fixed what made the compensation fail.
   */
  async retryCompensation(merchantId: string, resolutionId: string, em?: EntityManager): Promise<ResolutionView> {
    return this.inTransaction(em, async (tx) => {
      const r = await this.lock(tx, merchantId, resolutionId);
      if (!r) throw ApiError.notFound('Resolution');
      if (r.status !== 'failed') throw ApiError.conflict('resolution_not_failed', `The resolution is ${r.status}.`);
      await this.setStatus(tx, r, 'compensating', { needsAttention: false });
      await tx.update(ResolutionStepEntity, { merchantId, resolutionId, status: 'compensating' }, { compensationAttempts: 0, leaseUntil: null });
      await this.enqueue(tx, merchantId, resolutionId);
      return (await this.view(tx, merchantId, resolutionId))!;
    });
  }

  /** A resolution with its steps, or null. */
  async get(merchantId: string, resolutionId: string, em: EntityManager = this.ds.manager): Promise<ResolutionView | null> {
    return this.view(em, merchantId, resolutionId);
  }

  /** The resolutions of a ticket, oldest first. */
  async forTicket(merchantId: string, ticketId: string, em: EntityManager = this.ds.manager): Promise<ResolutionEntity[]> {
    return em.find(ResolutionEntity, { where: { merchantId, ticketId }, order: { createdAt: 'ASC' } });
  }

  /** Resolutions a person must look at (a compensation failed for good). */
  async needingAttention(merchantId: string, em: EntityManager = this.ds.manager): Promise<ResolutionEntity[]> {
    return em.find(ResolutionEntity, { where: { merchantId, needsAttention: true }, order: { updatedAt: 'ASC' } });
  }

  // ---------------------------------------------------------------------------------------------
  // Signals

  /**
   * Resumes the steps waiting for `(waitKind, ref)`: with `ok` the step is done (its output merged
   * with `outcome.output`) and the next one runs; a retryable failure invokes the step again after
   * a backoff; a permanent one starts compensation. A signal no step waits for yet is kept for the
   * step that will; one for a step that has moved on is recorded and ignored, so platforms may
   * repeat confirmations safely.
   *
   * The signal is recorded, and its resolutions queued, in one transaction (the caller's, with
   * `em`: settle a platform command and signal atomically); the runner applies it right after.
   */
  async signal(merchantId: string, waitKind: string, ref: string, outcome: SignalOutcome, em?: EntityManager): Promise<SignalResult> {
    return this.inTransaction(em, async (tx) => {
      // Only the wait's lock here, never a resolution's: the runner takes the row first, then this.
      await this.lockWait(tx, merchantId, waitKind, ref);
      const now = this.clock.now();
      const steps = await tx.find(ResolutionStepEntity, { where: { merchantId, waitKind, waitRef: ref }, order: { resolutionId: 'ASC' } });
      const waiting = steps.filter((s) => s.status === 'waiting');
      for (const step of waiting) {
        await this.recordSignal(tx, { merchantId, waitKind, ref, outcome, status: 'pending', resolutionId: step.resolutionId, stepId: step.id, receivedAt: now, appliedAt: null });
        await this.enqueue(tx, merchantId, step.resolutionId);
      }
      if (waiting.length) return { status: 'accepted' as const, resolutionIds: waiting.map((s) => s.resolutionId) };
      // A step that has not parked yet (or will invoke again after a retryable failure) may still want it.
      const ignored = steps.length > 0 && steps.every((s) => s.status !== 'pending' && s.status !== 'running');
      await this.recordSignal(tx, { merchantId, waitKind, ref, outcome, status: ignored ? 'ignored' : 'pending', resolutionId: null, stepId: null, receivedAt: now, appliedAt: null });
      return { status: ignored ? ('ignored' as const) : ('stored' as const) };
    }).finally(() => this.jobs.wake());
  }

  // ---------------------------------------------------------------------------------------------
  // Running

  /**
   * Moves one resolution one step forward (or one compensation back). The job handler; safe to call
   * any number of times concurrently: the row lock and the step's lease let one caller act.
   *
   * Three transactions at most: claim (the step is `running` with a lease, committed before it
   * runs), the call itself (remote steps: outside any transaction), and the record of its outcome
   * together with the next job (local steps run their writes inside this one, so they commit once).
   */
  async advance(merchantId: string, resolutionId: string, abort?: AbortSignal): Promise<void> {
    const work = await this.ds.transaction(async (em) => {
      const r = await this.lock(em, merchantId, resolutionId);
      if (!r) return null;
      if (r.status === 'approved') await this.setStatus(em, r, 'running', { startedAt: this.clock.now() });
      if (r.status === 'running') return this.claimInvoke(em, r);
      if (r.status === 'waiting') return this.takeSignal(em, r);
      if (r.status === 'compensating') return this.claimCompensation(em, r);
      return null;
    });
    // Claiming may have queued the next job (a resolution completed, a failure compensating): wake a worker.
    this.jobs.wake();
    if (!work) return;
    if (work.kind === 'retry') throw work.error;
    const remote = work.def.mode === 'remote' ? await this.runRemote(work, abort) : null;
    const after = await this.ds.transaction(async (em) => {
      const r = await this.lock(em, merchantId, resolutionId);
      const step = await em.findOneBy(ResolutionStepEntity, { merchantId, id: work.step.id });
      const attempts = work.kind === 'invoke' ? step?.attempts : step?.compensationAttempts;
      const expected = work.kind === 'invoke' ? 'running' : 'compensating';
      if (!r || !step || r.status !== expected || step.status !== expected || attempts !== work.attempt) {
        // Our lease ran out and another worker took the step over; its outcome is the one recorded.
        this.logger.warn({ resolutionId, step: work.step.key }, 'saga step outcome discarded: the step moved on while it ran');
        return null;
      }
      const outcome = remote ?? (await this.runLocal(em, work, step));
      if (work.kind === 'invoke') {
        if (!outcome.ok) return this.failAttempt(em, r, step, work.def, outcome.error);
        if (outcome.value instanceof WaitRequest) return this.park(em, r, step, work.def, outcome.value);
        if (outcome.value instanceof ResolutionFailure) {
          await this.endFailed(em, r, step, outcome.value);
          return null;
        }
        await this.finishStep(em, r, step, outcome.value);
        return null;
      }
      if (outcome.ok) {
        await this.finishCompensation(em, r, step);
        return null;
      }
      return this.failCompensation(em, r, step, work.def, outcome.error);
    });
    this.jobs.wake();
    if (after?.kind === 'retry') throw after.error;
  }

  /**
   * Re-queues what a crash or a lost job left behind: steps whose lease ran out, resolutions with
   * work and no job, and waits past their deadline. Runs at boot and every minute on the queue.
   */
  async sweep(): Promise<{ requeued: number; timedOut: number }> {
    const now = this.clock.now();
    const expired: { merchant_id: string; wait_kind: string; wait_ref: string }[] = await this.ds.query(
      `SELECT DISTINCT merchant_id, wait_kind, wait_ref FROM resolution_steps WHERE status = 'waiting' AND wait_until <= $1 LIMIT 200`,
      [now],
    );
    let timedOut = 0;
    for (const w of expired) timedOut += await this.timeOut(w.merchant_id, w.wait_kind, w.wait_ref);
    const requeued = await this.ds.transaction(async (em) => {
      const stuck: { merchant_id: string; id: string }[] = await em.query(
        `SELECT r.merchant_id, r.id FROM resolutions r
          WHERE r.status = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = $2 AND j.state IN ('created', 'retry') AND j.data->>'resolutionId' = r.id::text)
            AND (
              EXISTS (SELECT 1 FROM resolution_steps s WHERE s.merchant_id = r.merchant_id AND s.resolution_id = r.id AND s.lease_until <= $3)
              OR (
                NOT EXISTS (SELECT 1 FROM resolution_steps s WHERE s.merchant_id = r.merchant_id AND s.resolution_id = r.id AND s.lease_until > $3)
                -- An active job holding no lease for a minute is taken for dead (its process crashed while claiming or recording).
                AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = $2 AND j.state = 'active' AND j.started_on > now() - interval '60 seconds' AND j.data->>'resolutionId' = r.id::text)
              )
            )
          ORDER BY r.updated_at LIMIT 500`,
        [ACTIVE_RESOLUTION_STATUSES, RESOLUTION_STEP_QUEUE, now],
      );
      for (const s of stuck) await this.enqueue(em, s.merchant_id, s.id);
      return stuck.length;
    });
    // A lease running out before the next cron tick gets a sweep of its own, so a restarted process
    // resumes within seconds rather than a minute.
    const [next]: { at: Date | null }[] = await this.ds.query(`SELECT min(lease_until) AS at FROM resolution_steps WHERE lease_until > $1`, [now]);
    if (next?.at && new Date(next.at).getTime() - now.getTime() < SWEEP_EVERY_MS) {
      await this.jobs.send(RESOLUTION_SWEEP_QUEUE, {}, { startAfter: Math.ceil((new Date(next.at).getTime() - now.getTime()) / 1000) + 1 });
    }
    if (requeued || timedOut) this.logger.log({ requeued, timedOut }, 'resolution sweep resumed work');
    this.jobs.wake();
    return { requeued, timedOut };
  }

  // ---------------------------------------------------------------------------------------------
  // Forward

  /** Leases the next step to run, or completes the resolution when none is left. */
  private async claimInvoke(em: EntityManager, r: ResolutionEntity): Promise<Work> {
    const steps = await this.steps(em, r);
    const step = steps.find((s) => s.status !== 'done' && s.status !== 'skipped');
    if (!step) {
      await this.setStatus(em, r, 'completed', { finishedAt: this.clock.now() });
      return null;
    }
    const now = this.clock.now();
    if (step.status === 'running' && step.leaseUntil && step.leaseUntil > now) return null;
    if (step.status !== 'pending' && step.status !== 'running') {
      this.logger.warn({ resolutionId: r.id, step: step.key, status: step.status }, 'running resolution has no runnable step');
      return null;
    }
    const def = this.registry.get(step.name);
    if (!def) return this.failAttempt(em, r, step, undefined, new Error(`Saga step ${step.name} is not registered in this service`));
    this.moveStep(step, 'running');
    Object.assign(step, { attempts: step.attempts + 1, leaseUntil: this.leaseEnd(def, now), startedAt: step.startedAt ?? now });
    await em.save(step);
    return { kind: 'invoke', resolution: r, step, def, attempt: step.attempts, results: this.results(steps) };
  }

  private async finishStep(em: EntityManager, r: ResolutionEntity, step: ResolutionStepEntity, output: unknown): Promise<void> {
    this.moveStep(step, 'done');
    Object.assign(step, { output: output ?? null, leaseUntil: null, finishedAt: this.clock.now() });
    await em.save(step);
    if (r.status === 'waiting') await this.setStatus(em, r, 'running');
    const left = await em.count(ResolutionStepEntity, { where: { merchantId: r.merchantId, resolutionId: r.id, status: In(['pending', 'running', 'waiting']) } });
    if (left === 0) await this.setStatus(em, r, 'completed', { finishedAt: this.clock.now() });
    else await this.enqueue(em, r.merchantId, r.id);
  }

  /** Records a failed attempt: a retry later when transient and attempts remain, else compensation. */
  private async failAttempt(em: EntityManager, r: ResolutionEntity, step: ResolutionStepEntity, def: SagaStep | undefined, err: unknown): Promise<Work> {
    const error = describeError(err);
    const max = def?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (def && isTransient(err) && step.attempts < max) {
      this.moveStep(step, 'pending');
      Object.assign(step, { lastError: error, leaseUntil: null });
      await em.save(step);
      return { kind: 'retry', error: err };
    }
    this.moveStep(step, 'failed');
    Object.assign(step, { lastError: error, leaseUntil: null, finishedAt: this.clock.now() });
    await em.save(step);
    await this.beginCompensation(em, r, `${step.key}: ${isTransient(err) ? `gave up after ${step.attempts} attempts: ` : ''}${error}`);
    return null;
  }

  /** The step is done but the resolution failed for good: undo what can be undone, else end `failed` for a person. */
  private async endFailed(em: EntityManager, r: ResolutionEntity, step: ResolutionStepEntity, failure: ResolutionFailure): Promise<void> {
    const now = this.clock.now();
    this.moveStep(step, 'done');
    Object.assign(step, { output: failure.output ?? null, leaseUntil: null, finishedAt: now });
    await em.save(step);
    await this.beginCompensation(em, r, `${step.key}: ${failure.reason}`);
    if (!this.nextToCompensate(await this.steps(em, r))) await this.setStatus(em, r, 'failed', { needsAttention: true, finishedAt: now });
  }

  private async beginCompensation(em: EntityManager, r: ResolutionEntity, error: string): Promise<void> {
    await em.update(ResolutionStepEntity, { merchantId: r.merchantId, resolutionId: r.id, status: 'pending' }, { status: 'skipped' });
    await this.setStatus(em, r, 'compensating', { error: error.slice(0, 2000) });
    await this.enqueue(em, r.merchantId, r.id);
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting

  private async park(em: EntityManager, r: ResolutionEntity, step: ResolutionStepEntity, def: SagaStep, request: WaitRequest): Promise<Work> {
    const wait: WaitSpec = request.wait;
    if (!wait.kind || wait.kind.length > 64 || !wait.ref || wait.ref.length > 200) {
      return this.failAttempt(em, r, step, def, new Error(`Step ${step.key} asked to wait on an invalid kind or ref`));
    }
    const now = this.clock.now();
    this.moveStep(step, 'waiting');
    Object.assign(step, {
      output: request.output ?? null,
      leaseUntil: null,
      waitKind: wait.kind,
      waitRef: wait.ref,
      waitUntil: wait.timeoutSeconds ? new Date(now.getTime() + wait.timeoutSeconds * 1000) : null,
      waitOnTimeout: wait.onTimeout ?? 'fail',
    });
    await em.save(step);
    await this.setStatus(em, r, 'waiting');
    // The confirmation may have come before we parked: take it now.
    await this.takeSignal(em, r, step);
    return null;
  }

  /**
   * Applies the oldest signal kept for a waiting step (one that came for it, or before it parked).
   * Holds the resolution's row lock, then the wait's: signals arriving meanwhile queue behind us
   * and will see the step as we leave it.
   */
  private async takeSignal(em: EntityManager, r: ResolutionEntity, parked?: ResolutionStepEntity): Promise<Work> {
    const step = parked ?? (await em.findOneBy(ResolutionStepEntity, { merchantId: r.merchantId, resolutionId: r.id, status: 'waiting' }));
    if (!step?.waitKind || !step.waitRef) return null;
    await this.lockWait(em, r.merchantId, step.waitKind, step.waitRef);
    const base = { merchantId: r.merchantId, waitKind: step.waitKind, ref: step.waitRef, status: 'pending' as const };
    const signal = await em.findOne(ResolutionSignalEntity, { where: [{ ...base, stepId: step.id }, { ...base, stepId: IsNull() }], order: { receivedAt: 'ASC', id: 'ASC' } });
    if (!signal) return null;
    Object.assign(signal, { status: 'applied', resolutionId: r.id, stepId: step.id, appliedAt: this.clock.now() });
    await em.save(signal);
    await this.applyOutcome(em, r, step, signal.outcome);
    // Anything else sent to this wait came too late: the step has moved on.
    await em.update(ResolutionSignalEntity, { merchantId: r.merchantId, stepId: step.id, status: 'pending' }, { status: 'ignored' });
    return null;
  }

  private async applyOutcome(em: EntityManager, r: ResolutionEntity, step: ResolutionStepEntity, outcome: SignalOutcome): Promise<void> {
    if (outcome.ok) {
      const before = step.output;
      const merged = isPlainObject(before) && isPlainObject(outcome.output) ? { ...before, ...outcome.output } : (outcome.output ?? before ?? null);
      await this.finishStep(em, r, step, merged);
      return;
    }
    const def = this.registry.get(step.name);
    if (outcome.retryable && def && step.attempts < (def.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
      this.moveStep(step, 'pending');
      Object.assign(step, { lastError: outcome.error.slice(0, 2000), waitUntil: null });
      await em.save(step);
      await this.setStatus(em, r, 'running');
      const delay = Math.min(3600, this.settings.jobs.retryDelaySeconds * 2 ** Math.max(0, step.attempts - 1));
      await this.enqueue(em, r.merchantId, r.id, delay);
      return;
    }
    // A local step committed its writes when it parked: they are undone with the rest. A remote
    // step's outside party has just said it did nothing, so there is nothing of it to undo.
    const undo = def?.mode === 'local' && !!def.compensate;
    this.moveStep(step, undo ? 'compensating' : 'failed');
    Object.assign(step, { lastError: outcome.error.slice(0, 2000), waitUntil: null, finishedAt: this.clock.now() });
    await em.save(step);
    await this.beginCompensation(em, r, `${step.key}: ${outcome.error}`);
  }

  /** Sends the timeout outcome to steps still waiting past their deadline, as a signal of its own. */
  private async timeOut(merchantId: string, waitKind: string, ref: string): Promise<number> {
    return this.ds.transaction(async (em) => {
      await this.lockWait(em, merchantId, waitKind, ref);
      const now = this.clock.now();
      const late = (await em.find(ResolutionStepEntity, { where: { merchantId, waitKind, waitRef: ref, status: 'waiting' } })).filter((s) => s.waitUntil && s.waitUntil <= now);
      for (const step of late) {
        const outcome: SignalOutcome = { ok: false, error: `no ${waitKind} signal for ${ref} before ${step.waitUntil!.toISOString()}`, retryable: step.waitOnTimeout === 'retry' };
        await this.recordSignal(em, { merchantId, waitKind, ref, outcome, status: 'pending', resolutionId: step.resolutionId, stepId: step.id, receivedAt: now, appliedAt: null });
        await this.enqueue(em, merchantId, step.resolutionId);
      }
      return late.length;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Backward

  /** Leases the next done step to undo, latest first, or ends the compensation when none is left. */
  private async claimCompensation(em: EntityManager, r: ResolutionEntity): Promise<Work> {
    const steps = await this.steps(em, r);
    const step = this.nextToCompensate(steps);
    if (!step) {
      await this.setStatus(em, r, 'compensated', { finishedAt: this.clock.now() });
      return null;
    }
    const now = this.clock.now();
    if (step.status === 'compensating' && step.leaseUntil && step.leaseUntil > now) return null;
    const def = this.registry.get(step.name);
    if (!def) return this.failCompensation(em, r, step, undefined, new Error(`Saga step ${step.name} is not registered in this service`));
    this.moveStep(step, 'compensating');
    Object.assign(step, { compensationAttempts: step.compensationAttempts + 1, leaseUntil: this.leaseEnd(def, now) });
    await em.save(step);
    return { kind: 'compensate', resolution: r, step, def, attempt: step.compensationAttempts, results: this.results(steps) };
  }

  /** The next done step to undo, latest first; done steps without a `compensate` stay done. */
  private nextToCompensate(steps: ResolutionStepEntity[]): ResolutionStepEntity | undefined {
    return [...steps]
      .reverse()
      .find((s) => s.status === 'compensating' || (s.status === 'done' && (!this.registry.has(s.name) || !!this.registry.get(s.name)!.compensate)));
  }

  private async finishCompensation(em: EntityManager, r: ResolutionEntity, step: ResolutionStepEntity): Promise<void> {
    this.moveStep(step, 'compensated');
    Object.assign(step, { leaseUntil: null, compensatedAt: this.clock.now() });
    await em.save(step);
    if (this.nextToCompensate(await this.steps(em, r))) await this.enqueue(em, r.merchantId, r.id);
    else await this.setStatus(em, r, 'compensated', { finishedAt: this.clock.now() });
  }

  private async failCompensation(em: EntityManager, r: ResolutionEntity, step: ResolutionStepEntity, def: SagaStep | undefined, err: unknown): Promise<Work> {
    const error = describeError(err);
    Object.assign(step, { lastError: error, leaseUntil: null });
    await em.save(step);
    if (def && isTransient(err) && step.compensationAttempts < (def.maxCompensationAttempts ?? DEFAULT_MAX_COMPENSATION_ATTEMPTS)) return { kind: 'retry', error: err };
    this.logger.error({ resolutionId: r.id, merchantId: r.merchantId, step: step.key, error }, 'saga compensation failed for good: a person must look');
    await this.setStatus(em, r, 'failed', { needsAttention: true, error: `compensating ${step.key} failed: ${error}`.slice(0, 2000), finishedAt: this.clock.now() });
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private async runRemote(work: Claimed, abort?: AbortSignal): Promise<Outcome> {
    const { def, step, resolution, results } = work;
    const now = this.clock.now();
    try {
      if (work.kind === 'invoke') {
        return { ok: true, value: await def.invoke({ ...this.context(resolution, step, results, now), signal: abort } as never) };
      }
      await def.compensate!({ ...this.context(resolution, step, results, now, ':compensate'), signal: abort, output: step.output } as never);
      return { ok: true, value: undefined };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** Runs a local step in the recording transaction; a failure rolls back only its own writes. */
  private async runLocal(em: EntityManager, work: Claimed, step: ResolutionStepEntity): Promise<Outcome> {
    const ctx = { ...this.context(work.resolution, step, work.results, this.clock.now(), work.kind === 'compensate' ? ':compensate' : ''), em };
    await em.query('SAVEPOINT saga_step');
    try {
      const value = work.kind === 'invoke' ? await work.def.invoke(ctx as never) : await work.def.compensate!({ ...ctx, output: step.output } as never);
      await em.query('RELEASE SAVEPOINT saga_step');
      return { ok: true, value };
    } catch (error) {
      await em.query('ROLLBACK TO SAVEPOINT saga_step');
      return { ok: false, error };
    }
  }

  private leaseEnd(def: SagaStep, now: Date): Date {
    return new Date(now.getTime() + (def.leaseSeconds ?? DEFAULT_LEASE_SECONDS[def.mode]) * 1000);
  }

  private context(r: ResolutionEntity, step: ResolutionStepEntity, results: Record<string, unknown>, now: Date, suffix = '') {
    const resolution: ResolutionFacts = {
      id: r.id,
      merchantId: r.merchantId,
      orderId: r.orderId,
      ticketId: r.ticketId,
      kind: r.kind,
      amountMinor: r.amountMinor,
      currency: r.currency,
      requestedBy: r.requestedBy,
      approvedBy: r.approvedBy,
    };
    return {
      resolution,
      step: { key: step.key, name: step.name, position: step.position, attempt: suffix ? step.compensationAttempts : step.attempts },
      input: step.input,
      idempotencyKey: `${step.idempotencyKey}${suffix}`,
      results,
      now,
    };
  }

  private results(steps: ResolutionStepEntity[]): Record<string, unknown> {
    return Object.fromEntries(steps.filter((s) => s.status === 'done' || s.status === 'compensating' || s.status === 'compensated').map((s) => [s.key, s.output]));
  }

  private steps(em: EntityManager, r: ResolutionEntity): Promise<ResolutionStepEntity[]> {
    return em.find(ResolutionStepEntity, { where: { merchantId: r.merchantId, resolutionId: r.id }, order: { position: 'ASC' } });
  }

  private lock(em: EntityManager, merchantId: string, id: string): Promise<ResolutionEntity | null> {
    return em.findOne(ResolutionEntity, { where: { merchantId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Serialises everything that concerns one awaited event (a signal, a step parking on it, a
   * timeout), so a signal can never slip between "no step waits" and "the step parks". The runner
   * takes it after the resolution's row lock; `signal` takes no row lock at all: no deadlock.
   */
  private async lockWait(em: EntityManager, merchantId: string, waitKind: string, ref: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7416))`, [`saga-wait:${merchantId}:${waitKind}:${ref}`]);
  }

  private async recordSignal(em: EntityManager, row: Omit<ResolutionSignalEntity, 'id' | 'merchant'>): Promise<void> {
    await em.save(em.create(ResolutionSignalEntity, row));
  }

  private async setStatus(em: EntityManager, r: ResolutionEntity, to: ResolutionStatus, changes: Partial<ResolutionEntity> = {}): Promise<void> {
    if (r.status !== to) assertResolutionTransition(r.status, to);
    Object.assign(r, changes, { status: to });
    await em.save(r);
  }

  private moveStep(step: ResolutionStepEntity, to: StepStatus): void {
    assertStepTransition(step.status, to);
    step.status = to;
  }

  private async enqueue(em: EntityManager, merchantId: string, resolutionId: string, delaySeconds?: number): Promise<void> {
    await this.jobs.send<StepJob>(RESOLUTION_STEP_QUEUE, { merchantId, resolutionId }, delaySeconds ? { startAfter: delaySeconds } : {}, em);
  }

  private async view(em: EntityManager, merchantId: string, id: string): Promise<ResolutionView | null> {
    const resolution = await em.findOneBy(ResolutionEntity, { merchantId, id });
    if (!resolution) return null;
    return { resolution, steps: await this.steps(em, resolution) };
  }

  private async replay(em: EntityManager, request: ResolutionRequest, requestHash: string): Promise<RequestOutcome | null> {
    const existing = await em.findOneBy(ResolutionEntity, { merchantId: request.merchantId, idempotencyKey: request.idempotencyKey });
    if (!existing) return null;
    if (existing.requestHash !== requestHash) {
      throw ApiError.unprocessable('idempotency_key_reused', 'This idempotency key was used for a different resolution.', [
        { path: 'idempotencyKey', problem: `already names resolution ${existing.id}` },
      ]);
    }
    return { resolution: existing, steps: await this.steps(em, existing), created: false };
  }

  private async decide(
    merchantId: string,
    resolutionId: string,
    approver: ResolutionActor,
    to: 'approved' | 'rejected',
    opts: { version?: number; note?: string; em?: EntityManager },
  ): Promise<ResolutionView> {
    return this.inTransaction(opts.em, async (tx) => {
      const r = await this.lock(tx, merchantId, resolutionId);
      if (!r) throw ApiError.notFound('Resolution');
      if (opts.version !== undefined && opts.version !== r.version) {
        throw ApiError.conflict('resolution_version_conflict', `The resolution changed since version ${opts.version} (now ${r.version}).`);
      }
      if (r.status !== 'pending_approval') throw ApiError.conflict('resolution_not_pending', `The resolution is ${r.status}, not waiting for approval.`);
      const refusal = approvalRefusal(await this.verify(tx, merchantId, approver), r, to === 'rejected');
      if (refusal) throw refusal;
      await this.setStatus(tx, r, to, { approvedBy: approver.id, decidedAt: this.clock.now(), decisionNote: opts.note?.slice(0, 500) ?? null, ...(to === 'rejected' ? { finishedAt: this.clock.now() } : {}) });
      if (to === 'approved') await this.enqueue(tx, merchantId, resolutionId);
      else await tx.update(ResolutionStepEntity, { merchantId, resolutionId, status: 'pending' }, { status: 'skipped' });
      return (await this.view(tx, merchantId, resolutionId))!;
    });
  }

  /** The actor as the database knows it: agents are re-read (role, limit, active); system actors are trusted. */
  private async verify(em: EntityManager, merchantId: string, actor: ResolutionActor): Promise<VerifiedActor> {
    if (actor.role === 'system') {
      if (!/^system:[a-z0-9-]{1,56}$/.test(actor.id)) throw ApiError.validation([{ path: 'requester.id', problem: 'a system actor is named system:<component>' }]);
      return { ...actor, active: true };
    }
    const [agent]: { role: VerifiedActor['role']; approval_limit_minor: string; active: boolean }[] = UUID.test(actor.id)
      ? await em.query(`SELECT role, approval_limit_minor, active FROM agents WHERE merchant_id = $1 AND id = $2`, [merchantId, actor.id])
      : [];
    if (!agent) throw ApiError.forbidden('agent_unknown', 'No such agent for this merchant.');
    return { id: actor.id, role: agent.role, approvalLimitMinor: Number(agent.approval_limit_minor), active: agent.active };
  }

  private validate(request: ResolutionRequest): PlanItem[] {
    const problems: FieldProblem[] = [];
    if (!UUID.test(request.orderId ?? '')) problems.push({ path: 'orderId', problem: 'must be a UUID' });
    if (request.ticketId != null && !UUID.test(request.ticketId)) problems.push({ path: 'ticketId', problem: 'must be a UUID' });
    if (!/^[a-z][a-z0-9_-]{0,47}$/.test(request.kind ?? '')) problems.push({ path: 'kind', problem: 'must be a lower-case name of at most 48 characters' });
    if (!Number.isSafeInteger(request.amountMinor) || request.amountMinor < 0) problems.push({ path: 'amountMinor', problem: 'must be a whole number of minor units, 0 or more' });
    if (!/^[A-Z]{3}$/.test(request.currency ?? '')) problems.push({ path: 'currency', problem: 'must be an ISO 4217 code' });
    if (!/^[\x21-\x7e]{1,255}$/.test(request.idempotencyKey ?? '')) problems.push({ path: 'idempotencyKey', problem: 'must be 1–255 visible ASCII characters' });
    if (!Array.isArray(request.plan) || request.plan.length === 0 || request.plan.length > MAX_PLAN_STEPS) {
      problems.push({ path: 'plan', problem: `must list 1 to ${MAX_PLAN_STEPS} steps` });
    }
    const plan: PlanItem[] = [];
    const keys = new Set<string>();
    (Array.isArray(request.plan) ? request.plan : []).forEach((item, i) => {
      const key = item?.key ?? item?.step;
      if (!item || !this.registry.has(item.step)) problems.push({ path: `plan[${i}].step`, problem: `is not a registered step` });
      else if (!KEY.test(key)) problems.push({ path: `plan[${i}].key`, problem: 'must be kebab-case, at most 64 characters' });
      else if (keys.has(key)) problems.push({ path: `plan[${i}].key`, problem: `repeats ${key}: give repeated steps a key of their own` });
      else if (item.input !== undefined && !isPlainObject(item.input)) problems.push({ path: `plan[${i}].input`, problem: 'must be an object' });
      else {
        keys.add(key);
        // Through JSON, so the stored plan and the hash see exactly what the database will hold.
        plan.push({ step: item.step, key, input: item.input === undefined ? {} : JSON.parse(JSON.stringify(item.input)) });
      }
    });
    if (problems.length) throw ApiError.validation(problems, 'The resolution request is invalid.');
    return plan;
  }

  private inTransaction<T>(em: EntityManager | undefined, fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return em ? fn(em) : this.ds.transaction(fn);
  }
}
