import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { SecretsService } from '../common/secrets.service';
import { JobQueue } from '../jobs/job-queue.service';
import { MerchantEntity } from '../merchants/merchant.entity';
import { connectionProblem, webhookTarget } from './platform-commands.service';
import { PlatformDeliveryOptions } from './platform-delivery.options';
import { newEventId } from './platform-event.mapper';
import { classifyStatus, decideRetry, parseRetryAfter } from './platform-retry.policy';
import { PlatformWebhookClient, WebhookCallResult } from './platform-webhook.client';

export const MESSAGE_DELIVERY_QUEUE = 'platform-message-delivery';
export const MESSAGE_SWEEP_QUEUE = 'platform-message-sweep';

interface MessageJob {
  merchantId: string;
  messageId: string;
  /** The attempt this job is meant to make: a stale or duplicate job finds another number and does nothing. */
  attempt: number;
}

/** What a stored message looks like to this channel (the ticket message row, as the tickets module keeps it). */
export interface ChannelMessage {
  id: string;
  merchantId: string;
  ticketId: string;
  direction: string;
  channel: string;
  authorKind: string;
  languages: string[];
  templateId: string | null;
  subject: string;
  bodyText: string;
  bodyHtml: string | null;
  createdAt: Date;
}

/** The `message.created` webhook body: one customer message of a ticket, for the platform to show or send. */
export interface MessageEvent {
  id: string;
  type: 'message.created';
  apiVersion: 1;
  createdAt: string;
  merchantId: string;
  message: {
    id: string;
    direction: string;
    channel: string;
    authorKind: string;
    languages: string[];
    templateId: string | null;
    subject: string;
    bodyText: string;
    bodyHtml: string | null;
    createdAt: string;
  };
  order: { id: string; externalId: string };
  ticket: { id: string; number: number; reference: string; category: string };
  customer: { email: string; name: string };
}

interface Claim {
  attempt: number;
  eventId: string;
  body: string;
  url: string;
  secret: string;
}

interface Row {
  platform_status: string;
  platform_attempts: number;
  platform_event_id: string | null;
  platform_event_body: string | null;
}

/**
 * The platform message channel: every customer message stored on a ticket is also sent to the
 * merchant's platform as a signed `message.created` webhook, so the platform can show it in its own
 * UI or send it by its own channels. On only for merchants with `platformMessageEvents`.
 *
 * Same contract as platform commands (`README.md` here): the body is frozen when the message is
 * stored and every attempt sends the same bytes under the same event id, signed afresh; 408, 429,
 * 5xx and network failures are retried with the commands' backoff, other answers fail at once. The
 * state (pending, sent, failed; attempts, last error, next attempt) is kept on the message row and
 * shown with the message. There is nothing to confirm: a 2xx is the end.
 *
 * @example
 * // in the transaction that stores the message:
 * await platformMessages.enqueue(em, message);
 */
@Injectable()
export class PlatformMessageDelivery implements OnModuleInit {
  private readonly logger = new Logger(PlatformMessageDelivery.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly jobs: JobQueue,
    private readonly client: PlatformWebhookClient,
    private readonly secrets: SecretsService,
    private readonly options: PlatformDeliveryOptions,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // The retry schedule lives on the message row; the queue's retries only cover a crashed handler.
    this.jobs.register<MessageJob>(MESSAGE_DELIVERY_QUEUE, { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 300, concurrency: 4 }, (job) => this.deliver(job));
    this.jobs.register(MESSAGE_SWEEP_QUEUE, { retryLimit: 1, cron: '* * * * *' }, async () => {
      await this.sweep();
    });
  }

  /**
   * Freezes the message's event and queues its first attempt, in the caller's transaction (the
   * message is sent if and only if it is stored). Does nothing for inbound or internal messages, or
   * for merchants that have not opted in. Idempotent per message.
   */
  async enqueue(em: EntityManager, message: ChannelMessage): Promise<void> {
    if (message.direction !== 'outbound') return;
    const merchant = await em.findOneBy(MerchantEntity, { id: message.merchantId });
    if (!merchant?.platformMessageEvents) return;
    const [row]: Row[] = await em.query(`SELECT platform_status FROM ticket_messages WHERE merchant_id = $1 AND id = $2`, [message.merchantId, message.id]);
    if (!row || row.platform_status !== 'none') return;
    const [c]: { number: number; category: string; order_id: string; external_id: string; email: string; name: string }[] = await em.query(
      `SELECT t.number, t.category, o.id AS order_id, o.external_id, c.email, c.name
         FROM tickets t JOIN orders o ON o.merchant_id = t.merchant_id AND o.id = t.order_id
         JOIN customers c ON c.merchant_id = o.merchant_id AND c.id = o.customer_id
        WHERE t.merchant_id = $1 AND t.id = $2`,
      [message.merchantId, message.ticketId],
    );
    const now = this.clock.now();
    const eventId = newEventId();
    const event: MessageEvent = {
      id: eventId,
      type: 'message.created',
      apiVersion: 1,
      createdAt: now.toISOString(),
      merchantId: message.merchantId,
      message: {
        id: message.id,
        direction: message.direction,
        channel: message.channel,
        authorKind: message.authorKind,
        languages: [...message.languages],
        templateId: message.templateId,
        subject: message.subject,
        bodyText: message.bodyText,
        bodyHtml: message.bodyHtml,
        createdAt: (message.createdAt ?? now).toISOString(),
      },
      order: { id: c.order_id, externalId: c.external_id },
      ticket: { id: message.ticketId, number: c.number, reference: `DD-${c.number}`, category: c.category },
      customer: { email: c.email, name: c.name },
    };
    const blocked = connectionProblem(merchant);
    await em.query(
      `UPDATE ticket_messages SET platform_status = 'pending', platform_event_id = $3, platform_event_body = $4, platform_next_attempt_at = $5, platform_last_error = $6
        WHERE merchant_id = $1 AND id = $2`,
      [message.merchantId, message.id, eventId, JSON.stringify(event), blocked ? new Date(now.getTime() + this.options.notConnectedRecheckMs) : now, blocked ? `${blocked.code}: ${blocked.message}`.slice(0, 500) : null],
    );
    if (!blocked) await this.schedule(em, message.merchantId, message.id, 1, 0);
  }

  /** One attempt (or nothing, for a stale job). */
  async deliver(job: MessageJob): Promise<void> {
    const claim = await this.ds.transaction((em) => this.claim(em, job));
    if (!claim) return;
    // Wall time: the platform checks the signed timestamp against its own clock.
    const result = await this.client.postSigned({ url: claim.url, secret: claim.secret, eventId: claim.eventId, body: claim.body, timeoutMs: this.options.timeoutMs, excerptBytes: this.options.responseExcerptBytes });
    await this.ds.transaction((em) => this.record(em, job, claim, result));
  }

  private async claim(em: EntityManager, job: MessageJob): Promise<Claim | null> {
    const now = this.clock.now();
    const [row]: Row[] = await em.query(
      `SELECT platform_status, platform_attempts, platform_event_id, platform_event_body FROM ticket_messages WHERE merchant_id = $1 AND id = $2 FOR UPDATE`,
      [job.merchantId, job.messageId],
    );
    if (!row || row.platform_status !== 'pending' || row.platform_attempts !== job.attempt - 1 || !row.platform_event_body) return null;
    const merchant = await em.findOneByOrFail(MerchantEntity, { id: job.merchantId });
    const target = webhookTarget(this.secrets, merchant);
    if ('code' in target) {
      // No attempt is spent: the sweep looks again once the merchant is connected.
      await em.query(`UPDATE ticket_messages SET platform_last_error = $3, platform_next_attempt_at = $4 WHERE merchant_id = $1 AND id = $2`, [
        job.merchantId,
        job.messageId,
        `${target.code}: ${target.message}`.slice(0, 500),
        new Date(now.getTime() + this.options.notConnectedRecheckMs),
      ]);
      return null;
    }
    // The attempt is counted before the call, so a crash mid-call cannot send it twice under one number.
    await em.query(`UPDATE ticket_messages SET platform_attempts = platform_attempts + 1, platform_next_attempt_at = $3 WHERE merchant_id = $1 AND id = $2`, [
      job.merchantId,
      job.messageId,
      new Date(now.getTime() + this.options.timeoutMs + this.options.sweepGraceMs),
    ]);
    return { attempt: job.attempt, eventId: row.platform_event_id!, body: row.platform_event_body, ...target };
  }

  private async record(em: EntityManager, job: MessageJob, claim: Claim, result: WebhookCallResult): Promise<void> {
    const now = this.clock.now();
    const [row]: Row[] = await em.query(`SELECT platform_status, platform_attempts FROM ticket_messages WHERE merchant_id = $1 AND id = $2 FOR UPDATE`, [job.merchantId, job.messageId]);
    if (!row || row.platform_status !== 'pending' || row.platform_attempts !== claim.attempt) return;
    const outcome = result.kind === 'answer' ? classifyStatus(result.status) : 'transient';
    const error = describe(result);
    const decision = decideRetry({
      outcome,
      attemptsInDispatch: claim.attempt,
      maxAttempts: this.options.maxAttempts,
      retryAfterMs: result.kind === 'answer' ? parseRetryAfter(result.retryAfter, now) : null,
      backoff: { baseDelayMs: this.options.baseDelayMs, maxDelayMs: this.options.maxDelayMs },
      maxRetryAfterMs: this.options.maxRetryAfterMs,
    });
    if (decision.kind === 'done') {
      await em.query(
        `UPDATE ticket_messages SET platform_status = 'sent', platform_delivered_at = $3, platform_next_attempt_at = NULL, platform_last_error = NULL WHERE merchant_id = $1 AND id = $2`,
        [job.merchantId, job.messageId, now],
      );
      return;
    }
    if (decision.kind === 'retry') {
      await em.query(`UPDATE ticket_messages SET platform_last_error = $3, platform_next_attempt_at = $4 WHERE merchant_id = $1 AND id = $2`, [
        job.merchantId,
        job.messageId,
        error,
        new Date(now.getTime() + decision.delayMs),
      ]);
      await this.schedule(em, job.merchantId, job.messageId, claim.attempt + 1, decision.delayMs);
      return;
    }
    const why = decision.why === 'permanent' ? `refused: ${error}` : `not delivered after ${claim.attempt} attempts; last: ${error}`;
    await em.query(`UPDATE ticket_messages SET platform_status = 'failed', platform_last_error = $3, platform_next_attempt_at = NULL WHERE merchant_id = $1 AND id = $2`, [
      job.merchantId,
      job.messageId,
      why.slice(0, 500),
    ]);
    this.logger.warn({ merchantId: job.merchantId, messageId: job.messageId, attempts: claim.attempt, why: decision.why }, 'message not delivered to the platform');
  }

  /**
   * Re-queues pending messages whose next attempt is overdue: a job lost with a crashed process, or a
   * merchant that has since connected its platform.
   */
  async sweep(limit = 200): Promise<number> {
    const now = this.clock.now();
    return this.ds.transaction(async (em) => {
      const due: { id: string; merchant_id: string; platform_attempts: number }[] = await em.query(
        `SELECT id, merchant_id, platform_attempts FROM ticket_messages
          WHERE platform_status = 'pending' AND platform_next_attempt_at <= $1
          ORDER BY platform_next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [new Date(now.getTime() - this.options.sweepGraceMs), limit],
      );
      for (const d of due) {
        await em.query(`UPDATE ticket_messages SET platform_next_attempt_at = $3 WHERE merchant_id = $1 AND id = $2`, [d.merchant_id, d.id, now]);
        await this.schedule(em, d.merchant_id, d.id, d.platform_attempts + 1, 0);
      }
      return due.length;
    });
  }

  private async schedule(em: EntityManager, merchantId: string, messageId: string, attempt: number, delayMs: number): Promise<void> {
    // The queue runs on the database's clock, not the injected one: give it a real instant. No
    // singleton key: a sweep may queue an attempt a delayed job also holds; the attempt number lets one act.
    await this.jobs.send<MessageJob>(MESSAGE_DELIVERY_QUEUE, { merchantId, messageId, attempt }, delayMs > 0 ? { startAfter: new Date(Date.now() + delayMs) } : {}, em);
  }

}

function describe(r: WebhookCallResult): string {
  if (r.kind === 'no_answer') return `${r.code}: ${r.message}`.slice(0, 500);
  const excerpt = r.bodyExcerpt.replace(/\s+/g, ' ').trim().slice(0, 200);
  return `HTTP ${r.status}${r.retryAfter ? ` (Retry-After: ${r.retryAfter.slice(0, 40)})` : ''}${excerpt ? `: ${excerpt}` : ''}`.slice(0, 500);
}
