import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { SecretsService } from '../common/secrets.service';
import { JobQueue } from '../jobs/job-queue.service';
import { MerchantEntity } from '../merchants/merchant.entity';
import { CircuitBreaker } from './circuit-breaker';
import type { CommandActor } from './platform-command-event.entity';
import { PlatformCommandEntity } from './platform-command.entity';
import { DeliveryJob, webhookTarget, PLATFORM_DELIVERY_QUEUE, PLATFORM_SWEEP_QUEUE, PlatformCommandsService } from './platform-commands.service';
import { PlatformDeliveryEntity } from './platform-delivery.entity';
import { PlatformDeliveryOptions } from './platform-delivery.options';
import { AttemptOutcome, classifyStatus, decideRetry, parseRetryAfter } from './platform-retry.policy';
import { PlatformWebhookClient, WebhookCallResult } from './platform-webhook.client';

const SYSTEM: CommandActor = { kind: 'system', id: 'platform-delivery' };

/** Extra time, past the call's own timeout, before an attempt that never reported back counts as lost. */
const IN_FLIGHT_MARGIN_MS = 30_000;

interface Claim {
  attempt: number;
  eventId: string;
  body: string;
  url: string;
  secret: string;
}

/**
 * Delivers platform commands: each job is one attempt. An attempt is claimed in a short
 * transaction (the attempt number on the job must be the next one, so duplicate and stale jobs do
 * nothing), the POST happens with no transaction open, and its result is recorded in a second
 * transaction that also schedules the retry or settles the command. A sweep re-queues dispatches
 * whose job was lost and expires commands nobody settled.
 *
 * @example
 * // Tests drain the queue instead of sleeping:
 * await platformCommands.issue(em, { ... });
 * await app.get(JobQueue).drain();
 */
@Injectable()
export class PlatformDeliveryService implements OnModuleInit {
  private readonly logger = new Logger(PlatformDeliveryService.name);
  /** Per merchant, per process (see {@link CircuitBreaker}). */
  readonly breaker = new CircuitBreaker(() => this.options.breaker);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly jobs: JobQueue,
    private readonly commands: PlatformCommandsService,
    private readonly client: PlatformWebhookClient,
    private readonly secrets: SecretsService,
    private readonly options: PlatformDeliveryOptions,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // Our own retry schedule lives in the command row; the queue's retries only cover crashes of the handler itself.
    this.jobs.register<DeliveryJob>(PLATFORM_DELIVERY_QUEUE, { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 300, concurrency: 4 }, (job) => this.deliver(job));
    this.jobs.register(PLATFORM_SWEEP_QUEUE, { retryLimit: 1, cron: '* * * * *' }, async () => {
      await this.sweep();
    });
  }

  /** Runs one attempt (or does nothing when the job is stale). */
  async deliver(job: DeliveryJob): Promise<void> {
    const claim = await this.ds.transaction((em) => this.claim(em, job));
    if (!claim) return;
    // Wall time, not the injected clock: the platform checks the signed timestamp against its own
    // clock, and a demo's time machine must not make every delivery look stale.
    const sentAt = new Date();
    const result = await this.client.postSigned({ url: claim.url, secret: claim.secret, eventId: claim.eventId, body: claim.body, timeoutMs: this.options.timeoutMs, excerptBytes: this.options.responseExcerptBytes }, sentAt);
    await this.ds.transaction((em) => this.record(em, job, claim, sentAt, result));
  }

  private async claim(em: EntityManager, job: DeliveryJob): Promise<Claim | null> {
    const now = this.clock.now();
    const c = await em.findOne(PlatformCommandEntity, { where: { merchantId: job.merchantId, id: job.commandId }, lock: { mode: 'pessimistic_write' } });
    if (!c || !c.dispatchOpen || c.attempts !== job.attempt - 1) return null;
    if (c.inFlightUntil && c.inFlightUntil > now) return null;

    const merchant = await em.findOneByOrFail(MerchantEntity, { id: job.merchantId });
    const target = webhookTarget(this.secrets, merchant);
    if ('code' in target) {
      // No attempt is spent: the sweep looks again later, and a replay after connecting sends at once.
      const changed = c.lastErrorCode !== target.code;
      c.lastErrorCode = target.code;
      c.lastError = target.message;
      c.nextAttemptAt = new Date(now.getTime() + this.options.notConnectedRecheckMs);
      await em.save(c);
      if (changed) await this.commands.appendHistory(em, c, { type: 'blocked', from: null, to: null, actor: SYSTEM, data: { ...target } });
      return null;
    }

    const gate = this.breaker.check(job.merchantId, now.getTime());
    if (!gate.allowed) {
      const delayMs = Math.max(0, gate.retryAtMs - now.getTime()) + Math.round(Math.random() * 1000);
      c.lastErrorCode = 'circuit_open';
      c.lastError = 'Recent deliveries to this platform failed; waiting before trying again.';
      c.nextAttemptAt = new Date(now.getTime() + delayMs);
      await em.save(c);
      await this.commands.schedule(em, c, job.attempt, job.trigger, delayMs);
      return null;
    }

    c.attempts += 1;
    c.dispatchAttempts += 1;
    c.lastAttemptAt = now;
    c.inFlightUntil = new Date(now.getTime() + this.options.timeoutMs + IN_FLIGHT_MARGIN_MS);
    c.nextAttemptAt = c.inFlightUntil;
    if (c.status === 'pending') await this.commands.transition(em, c, 'delivering', SYSTEM, { attempt: c.attempts });
    else await em.save(c);
    return { attempt: c.attempts, eventId: c.eventId, body: c.eventBody, ...target };
  }

  private async record(em: EntityManager, job: DeliveryJob, claim: Claim, sentAt: Date, result: WebhookCallResult): Promise<void> {
    const now = this.clock.now();
    const outcome: AttemptOutcome = result.kind === 'answer' ? classifyStatus(result.status) : 'transient';
    const error = describe(result, outcome);
    await em.insert(PlatformDeliveryEntity, {
      merchantId: job.merchantId,
      commandId: job.commandId,
      eventId: claim.eventId,
      attempt: claim.attempt,
      trigger: job.trigger,
      url: claim.url.slice(0, 2000),
      requestedAt: sentAt,
      responseStatus: result.kind === 'answer' ? result.status : null,
      responseBody: result.kind === 'answer' ? result.bodyExcerpt.slice(0, 2000) : null,
      durationMs: result.durationMs,
      outcome,
      errorCode: error?.code ?? null,
      error: error?.message ?? null,
    });
    this.breaker.record(job.merchantId, outcome === 'transient' ? 'failure' : 'success', now.getTime());

    const c = await em.findOne(PlatformCommandEntity, { where: { merchantId: job.merchantId, id: job.commandId }, lock: { mode: 'pessimistic_write' } });
    // A later attempt started after our lease ran out: its result decides, ours is only recorded.
    if (!c || c.attempts !== claim.attempt) return;
    c.inFlightUntil = null;
    c.lastErrorCode = error?.code ?? null;
    c.lastError = error?.message ?? null;
    if (!c.dispatchOpen) {
      // Settled while the call was on the wire (the platform confirmed by polling, or we cancelled).
      await em.save(c);
      return;
    }
    const decision = decideRetry({
      outcome,
      attemptsInDispatch: c.dispatchAttempts,
      maxAttempts: this.options.maxAttempts,
      retryAfterMs: result.kind === 'answer' ? parseRetryAfter(result.retryAfter, now) : null,
      backoff: { baseDelayMs: this.options.baseDelayMs, maxDelayMs: this.options.maxDelayMs },
      maxRetryAfterMs: this.options.maxRetryAfterMs,
    });
    if (decision.kind === 'retry') {
      c.nextAttemptAt = new Date(now.getTime() + decision.delayMs);
      await em.save(c);
      await this.commands.schedule(em, c, c.attempts + 1, 'retry', decision.delayMs);
      return;
    }
    c.dispatchOpen = false;
    c.nextAttemptAt = null;
    if (c.status !== 'delivering') {
      // A replay of a command the platform already has: its outcome never moves the status back.
      await em.save(c);
      return;
    }
    if (decision.kind === 'done') {
      await this.commands.transition(em, c, 'delivered', SYSTEM, { attempt: claim.attempt, responseStatus: result.kind === 'answer' ? result.status : null });
      return;
    }
    c.failureCode = decision.why === 'permanent' ? 'rejected' : 'undeliverable';
    this.logger.warn({ merchantId: c.merchantId, commandId: c.id, eventId: c.eventId, failureCode: c.failureCode, attempts: c.dispatchAttempts, lastError: error?.code }, 'platform command not delivered');
    c.failureReason =
      decision.why === 'permanent'
        ? `The platform refused the webhook: ${error?.message ?? 'unknown'}`
        : `Not delivered after ${c.dispatchAttempts} attempts; last: ${error?.message ?? 'unknown'}`.slice(0, 1000);
    await this.commands.transition(em, c, 'failed', SYSTEM, { failureCode: c.failureCode, attempts: c.dispatchAttempts, lastError: error });
  }

  /**
   * Re-queues open dispatches whose next attempt is long overdue (a job lost with a crashed process,
   * a merchant that has since connected its platform), then expires commands past their window.
   */
  async sweep(limit = 200): Promise<{ requeued: number; expired: number }> {
    const now = this.clock.now();
    const requeued = await this.ds.transaction(async (em) => {
      const due: { id: string; merchant_id: string; attempts: number }[] = await em.query(
        `SELECT id, merchant_id, attempts FROM platform_commands
          WHERE dispatch_open AND next_attempt_at <= $1 AND (in_flight_until IS NULL OR in_flight_until <= $2)
          ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [new Date(now.getTime() - this.options.sweepGraceMs), now, limit],
      );
      for (const d of due) {
        await em.query(`UPDATE platform_commands SET next_attempt_at = $3 WHERE merchant_id = $1 AND id = $2`, [d.merchant_id, d.id, now]);
        await this.commands.schedule(em, { merchantId: d.merchant_id, id: d.id } as PlatformCommandEntity, d.attempts + 1, 'sweep', 0);
      }
      return due.length;
    });
    const expiring: { id: string; merchant_id: string }[] = await this.ds.query(
      `SELECT id, merchant_id FROM platform_commands WHERE status IN ('pending', 'delivering', 'delivered') AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
      [now, limit],
    );
    let expired = 0;
    for (const e of expiring) {
      // One transaction each: a listener that throws holds back its own command, not the batch.
      try {
        expired += await this.ds.transaction(async (em) => {
          const c = await em.findOne(PlatformCommandEntity, { where: { merchantId: e.merchant_id, id: e.id }, lock: { mode: 'pessimistic_write' } });
          if (!c || !['pending', 'delivering', 'delivered'].includes(c.status) || c.expiresAt > now) return 0;
          await this.commands.transition(em, c, 'expired', SYSTEM, { expiresAt: c.expiresAt.toISOString() });
          return 1;
        });
      } catch (err) {
        this.logger.error({ err, commandId: e.id }, 'could not expire a platform command');
      }
    }
    return { requeued, expired };
  }

}

function describe(r: WebhookCallResult, outcome: AttemptOutcome): { code: string; message: string } | null {
  if (r.kind === 'no_answer') return { code: r.code, message: r.message };
  if (outcome === 'success') return null;
  const excerpt = r.bodyExcerpt.replace(/\s+/g, ' ').trim().slice(0, 200);
  const retryAfter = r.retryAfter ? ` (Retry-After: ${r.retryAfter.slice(0, 40)})` : '';
  const code = outcome === 'permanent' ? 'rejected' : r.status === 429 ? 'rate_limited' : 'http_error';
  return { code, message: `HTTP ${r.status}${retryAfter}${excerpt ? `: ${excerpt}` : ''}`.slice(0, 500) };
}
