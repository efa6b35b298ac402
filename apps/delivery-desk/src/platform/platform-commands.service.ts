import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { PostalAddress } from '@app/carriers';
import { ApiError, FieldProblem } from '../common/api-error';
import { Clock } from '../common/clock';
import { SETTINGS, Settings } from '../config/settings';
import { JobQueue } from '../jobs/job-queue.service';
import { MerchantEntity } from '../merchants/merchant.entity';
import { platformSecretContext, type SecretsService } from '../common/secrets.service';
import { OrderLineEntity } from '../orders/order-line.entity';
import { OrderEntity } from '../orders/order.entity';
import { CommandActor, PlatformCommandEventEntity } from './platform-command-event.entity';
import {
  AMOUNT_KINDS,
  assertTransition,
  isSettled,
  LINE_KINDS,
  PLATFORM_COMMAND_KINDS,
  PlatformCommandKind,
  PlatformCommandStatus,
} from './platform-command-state';
import { PlatformCommandEntity, PlatformCommandLine, PlatformCommandPayload } from './platform-command.entity';
import { DeliveryTrigger, PlatformDeliveryEntity } from './platform-delivery.entity';
import { PlatformDeliveryOptions } from './platform-delivery.options';
import { newEventId, toPlatformEvent } from './platform-event.mapper';

export const PLATFORM_DELIVERY_QUEUE = 'platform-command-delivery';
export const PLATFORM_SWEEP_QUEUE = 'platform-command-sweep';

/** A delivery job: attempt number `attempt` of one command (see `PlatformCommandEntity.attempts`). */
export interface DeliveryJob {
  merchantId: string;
  commandId: string;
  attempt: number;
  trigger: DeliveryTrigger;
}

/** The payload as the issuer gives it: lines by our order line ids. */
export interface IssuePayload {
  amountMinor?: number;
  currency?: string;
  lines?: { lineId: string; quantity: number }[];
  reason: string;
  note?: string;
  shipTo?: PostalAddress;
}

export interface IssueCommandInput {
  merchantId: string;
  orderId: string;
  ticketId?: string | null;
  resolutionId?: string | null;
  kind: PlatformCommandKind;
  payload: IssuePayload;
  /** Unique per merchant: issuing again with the same key returns the first command. */
  idempotencyKey: string;
}

/** Called once when a command reaches confirmed, failed, expired or cancelled, inside that transaction. */
export type SettledListener = (em: EntityManager, command: PlatformCommandEntity) => Promise<void>;

export interface ConfirmInput {
  platformReference: string;
  refundedMinor?: number;
  note?: string;
}

export interface FailInput {
  reason: string;
  retryable?: boolean;
}

export interface ListFilter {
  status?: PlatformCommandStatus;
  orderExternalId?: string;
  ticketId?: string;
  limit?: number;
  cursor?: string;
}

/** The result of confirm / fail: `changed` is false for an idempotent repeat. */
export interface SettleResult {
  command: PlatformCommandEntity;
  changed: boolean;
}

const SYSTEM: CommandActor = { kind: 'system', id: 'platform-delivery' };
const SERVICE: CommandActor = { kind: 'service', id: null };

/**
 * Platform commands: instructions (refund, reship, cancel, store credit) to a merchant's platform,
 * delivered as signed webhooks by {@link PlatformDeliveryService} and settled when the platform
 * confirms or fails them through the API. Every state change goes through {@link transition}, which
 * checks the transition table, writes the command's history and, on settling, calls the
 * {@link onSettled} listeners in the same transaction.
 *
 * @example
 * // A saga step that refunds, then waits for the platform:
 * const command = await platformCommands.issue(em, {
 *   merchantId, orderId, ticketId, resolutionId: run.id,
 *   kind: 'refund',
 *   payload: { amountMinor: 2500, currency: 'USD', reason: 'lost_in_transit', note: 'Parcel lost by carrier' },
 *   idempotencyKey: `resolution:${run.id}:step:${step.index}`,
 * });
 * return { waitFor: { kind: 'platform_command', ref: command.id } };
 *
 * // Once, at module init: wake the waiting step inside the settling transaction (with its `em`).
 * platformCommands.onSettled(async (em, c) => {
 *   if (c.resolutionId) await sagas.signal(c.merchantId, 'platform_command', c.id, c.status === 'confirmed' ? 'succeeded' : 'failed', em);
 * });
 */
@Injectable()
export class PlatformCommandsService {
  private readonly listeners: SettledListener[] = [];

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly options: PlatformDeliveryOptions,
  ) {}

  /**
   * Registers a listener for settled commands (confirmed, failed, expired, cancelled). It runs inside
   * the settling transaction: write with the `em` it is given (never another connection), and know
   * that a throw rolls the settlement back (the platform's confirm call then fails and is retried).
   * Returns a function that removes the listener.
   */
  onSettled(listener: SettledListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /**
   * Issues a command in the caller's transaction and queues its delivery in that same transaction,
   * so the command is sent if and only if the caller commits. A repeated key returns the existing
   * command; the same key with a different request is 422 `idempotency_key_reused`.
   */
  async issue(em: EntityManager, input: IssueCommandInput): Promise<PlatformCommandEntity> {
    checkIssueInput(input);
    const existing = await em.findOneBy(PlatformCommandEntity, { merchantId: input.merchantId, idempotencyKey: input.idempotencyKey });
    if (existing) return sameIssue(existing, input);

    const order = await em.findOneBy(OrderEntity, { merchantId: input.merchantId, id: input.orderId });
    if (!order) throw ApiError.notFound('Order');
    const payload = await this.normalisePayload(em, order, input);
    const ticket = input.ticketId ? await this.ticketSummary(em, input.merchantId, input.ticketId) : null;
    const merchant = await em.findOneByOrFail(MerchantEntity, { id: input.merchantId });

    const now = this.clock.now();
    const id = randomUUID();
    const eventId = newEventId();
    const expiresAt = new Date(now.getTime() + this.options.confirmationWindowMs);
    const eventBody = JSON.stringify(
      toPlatformEvent({
        eventId,
        merchantId: input.merchantId,
        createdAt: now,
        command: { id, kind: input.kind, payload, resolutionId: input.resolutionId ?? null, expiresAt },
        order: { id: order.id, externalId: order.externalId, currency: order.currency, totalMinor: order.totalMinor },
        ticket,
        publicBaseUrl: this.settings.publicBaseUrl,
      }),
    );
    const blocked = connectionProblem(merchant);
    const inserted = await em
      .createQueryBuilder()
      .insert()
      .into(PlatformCommandEntity)
      .values({
        id,
        merchantId: input.merchantId,
        orderId: order.id,
        ticketId: input.ticketId ?? null,
        resolutionId: input.resolutionId ?? null,
        kind: input.kind,
        payload,
        idempotencyKey: input.idempotencyKey,
        eventId,
        eventBody,
        status: 'pending',
        lastErrorCode: blocked?.code ?? null,
        lastError: blocked?.message ?? null,
        nextAttemptAt: blocked ? new Date(now.getTime() + this.options.notConnectedRecheckMs) : now,
        expiresAt,
        createdAt: now,
        updatedAt: now,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    if (!inserted.raw.length) {
      // A concurrent issue with the same key committed first.
      return sameIssue(await em.findOneByOrFail(PlatformCommandEntity, { merchantId: input.merchantId, idempotencyKey: input.idempotencyKey }), input);
    }
    const command = await em.findOneByOrFail(PlatformCommandEntity, { merchantId: input.merchantId, id });
    await this.appendHistory(em, command, { type: 'issued', from: null, to: 'pending', actor: SERVICE, data: { kind: input.kind, eventId } });
    if (blocked) await this.appendHistory(em, command, { type: 'blocked', from: null, to: null, actor: SYSTEM, data: { ...blocked } });
    else await this.schedule(em, command, 1, 'issue', 0);
    return command;
  }

  /** A command of the merchant, or 404. */
  async get(merchantId: string, id: string, em: EntityManager = this.ds.manager): Promise<PlatformCommandEntity> {
    const c = await em.findOneBy(PlatformCommandEntity, { merchantId, id });
    if (!c) throw ApiError.notFound('Platform command');
    return c;
  }

  /** The commands issued for a ticket, oldest first (what the ticket shows). */
  listForTicket(merchantId: string, ticketId: string, em: EntityManager = this.ds.manager): Promise<PlatformCommandEntity[]> {
    return em.find(PlatformCommandEntity, { where: { merchantId, ticketId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Newest first, by keyset: pass `nextCursor` back as `cursor` for the next page. */
  async list(merchantId: string, filter: ListFilter): Promise<{ data: PlatformCommandEntity[]; nextCursor: string | null }> {
    const limit = filter.limit ?? 50;
    const qb = this.ds.getRepository(PlatformCommandEntity).createQueryBuilder('c').where('c.merchant_id = :merchantId', { merchantId });
    if (filter.status) qb.andWhere('c.status = :status', { status: filter.status });
    if (filter.ticketId) qb.andWhere('c.ticket_id = :ticketId', { ticketId: filter.ticketId });
    if (filter.orderExternalId) {
      qb.innerJoin(OrderEntity, 'o', 'o.merchant_id = c.merchant_id AND o.id = c.order_id').andWhere('o.external_id = :ext', { ext: filter.orderExternalId });
    }
    if (filter.cursor) {
      const [at, id] = decodeCursor(filter.cursor);
      qb.andWhere('(c.created_at, c.id) < (:at, :id)', { at, id });
    }
    // limit(), not take(): the order join is one-to-one, so no de-duplicating subquery is needed.
    const rows = await qb.orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { data: page, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
  }

  /** Every attempt, in order. */
  deliveries(merchantId: string, commandId: string, em: EntityManager = this.ds.manager): Promise<PlatformDeliveryEntity[]> {
    return em.find(PlatformDeliveryEntity, { where: { merchantId, commandId }, order: { attempt: 'ASC' } });
  }

  /** The audit trail, in order. */
  history(merchantId: string, commandId: string, em: EntityManager = this.ds.manager): Promise<PlatformCommandEventEntity[]> {
    return em.find(PlatformCommandEventEntity, { where: { merchantId, commandId }, order: { seq: 'ASC' } });
  }

  /** External order ids of the given orders (for views). */
  async orderExternalIds(merchantId: string, orderIds: string[], em: EntityManager = this.ds.manager): Promise<Map<string, string>> {
    if (!orderIds.length) return new Map();
    const rows: { id: string; external_id: string }[] = await em.query(`SELECT id, external_id FROM orders WHERE merchant_id = $1 AND id = ANY($2::uuid[])`, [
      merchantId,
      [...new Set(orderIds)],
    ]);
    return new Map(rows.map((r) => [r.id, r.external_id]));
  }

  /**
   * The platform did it. Confirming again with the same reference changes nothing; another
   * reference is 409 `platform_reference_mismatch`; a failed, expired or cancelled command is 409
   * `platform_command_settled`; a refund or store credit confirmed for another amount is 422
   * `refund_amount_mismatch` (and the command stays open, for the ledger's sake).
   */
  async confirm(merchantId: string, id: string, input: ConfirmInput, actor: CommandActor): Promise<SettleResult> {
    return this.ds.transaction(async (em) => {
      const c = await this.lock(em, merchantId, id);
      if (c.status === 'confirmed') {
        if (c.platformReference === input.platformReference) return { command: c, changed: false };
        throw ApiError.conflict('platform_reference_mismatch', 'This command was already confirmed with another platform reference.', [
          { path: 'platformReference', problem: 'differs from the reference it was confirmed with' },
        ]);
      }
      if (isSettled(c.status)) throw settledConflict(c);
      const amount = c.payload.amountMinor;
      if (input.refundedMinor !== undefined) {
        if (!AMOUNT_KINDS.includes(c.kind)) {
          throw ApiError.unprocessable('amount_not_applicable', `A ${c.kind} command has no amount to confirm.`, [{ path: 'refundedMinor', problem: 'only for refund and store_credit commands' }]);
        }
        if (input.refundedMinor !== amount) {
          throw ApiError.unprocessable('refund_amount_mismatch', `The command was for ${amount} ${c.payload.currency} (minor units); partial or larger amounts need a new command.`, [
            { path: 'refundedMinor', problem: `must equal the commanded amount ${amount}` },
          ]);
        }
      }
      c.platformReference = input.platformReference;
      c.refundedMinor = AMOUNT_KINDS.includes(c.kind) ? (amount ?? null) : null;
      c.platformNote = input.note ?? null;
      await this.transition(em, c, 'confirmed', actor, { platformReference: input.platformReference, ...(input.note ? { note: input.note } : {}) });
      return { command: c, changed: true };
    });
  }

  /**
   * The platform could not do it. Failing a failed command again changes nothing; a confirmed,
   * expired or cancelled one is 409 `platform_command_settled`.
   */
  async fail(merchantId: string, id: string, input: FailInput, actor: CommandActor): Promise<SettleResult> {
    return this.ds.transaction(async (em) => {
      const c = await this.lock(em, merchantId, id);
      if (c.status === 'failed') return { command: c, changed: false };
      if (isSettled(c.status)) throw settledConflict(c);
      c.failureCode = 'platform_reported';
      c.failureReason = input.reason;
      c.failureRetryable = input.retryable ?? false;
      await this.transition(em, c, 'failed', actor, { reason: input.reason, retryable: c.failureRetryable });
      return { command: c, changed: true };
    });
  }

  /**
   * Sends the command's event again, under the same event id, with a fresh retry budget. Allowed
   * until the command fails, expires or is cancelled (a confirmed command may be re-sent: the
   * platform de-duplicates by event id). 409 `delivery_in_progress` while an attempt is on the wire.
   */
  async requestDelivery(merchantId: string, id: string, actor: CommandActor, trigger: 'replay' | 'redeliver'): Promise<PlatformCommandEntity> {
    return this.ds.transaction(async (em) => {
      const c = await this.lock(em, merchantId, id);
      if (isSettled(c.status) && c.status !== 'confirmed') throw settledConflict(c);
      const now = this.clock.now();
      if (c.inFlightUntil && c.inFlightUntil > now) {
        throw new ApiError(409, 'delivery_in_progress', 'An attempt to deliver this command is under way; retry when it ends.', [], { 'retry-after': String(Math.ceil(this.options.timeoutMs / 1000)) });
      }
      c.dispatchOpen = true;
      c.dispatchAttempts = 0;
      c.nextAttemptAt = now;
      await em.save(c);
      await this.appendHistory(em, c, { type: 'replay_requested', from: null, to: null, actor, data: { trigger } });
      await this.schedule(em, c, c.attempts + 1, trigger, 0);
      return c;
    });
  }

  /**
   * Withdraws a command the platform has not received yet (saga compensation). 409
   * `platform_command_delivered` once the platform answered 2xx: it may already have acted, so only
   * its own confirm or fail settles the command then.
   */
  async cancel(em: EntityManager, merchantId: string, id: string, reason: string, actor: CommandActor = SERVICE): Promise<PlatformCommandEntity> {
    const c = await this.lock(em, merchantId, id);
    if (c.status === 'cancelled') return c;
    if (c.status === 'delivered') throw ApiError.conflict('platform_command_delivered', 'The platform has received this command; it can no longer be withdrawn.');
    if (isSettled(c.status)) throw settledConflict(c);
    if (c.inFlightUntil && c.inFlightUntil > this.clock.now()) {
      throw new ApiError(409, 'delivery_in_progress', 'An attempt to deliver this command is under way; retry when it ends.');
    }
    await this.transition(em, c, 'cancelled', actor, { reason });
    return c;
  }

  /**
   * Moves a command (already locked by the caller's transaction) along the transition table, saves
   * it, writes history and, when it settles, runs the listeners. The one door for status changes.
   */
  async transition(em: EntityManager, c: PlatformCommandEntity, to: PlatformCommandStatus, actor: CommandActor, data: Record<string, unknown> = {}): Promise<void> {
    const from = c.status;
    assertTransition(from, to);
    const now = this.clock.now();
    c.status = to;
    if (to === 'delivered') c.deliveredAt ??= now;
    if (isSettled(to)) {
      c.settledAt = now;
      c.dispatchOpen = false;
      c.nextAttemptAt = null;
    }
    await em.save(c);
    await this.appendHistory(em, c, { type: to, from, to, actor, data });
    if (isSettled(to)) {
      for (const listener of [...this.listeners]) await listener(em, c);
    }
  }

  /** Queues attempt `attempt` of the command after `delayMs`, in `em`'s transaction. */
  async schedule(em: EntityManager, c: PlatformCommandEntity, attempt: number, trigger: DeliveryTrigger, delayMs: number): Promise<void> {
    const job: DeliveryJob = { merchantId: c.merchantId, commandId: c.id, attempt, trigger };
    // The queue runs on the database's clock, not the injected one: give it a real instant.
    await this.jobs.send(PLATFORM_DELIVERY_QUEUE, job, delayMs > 0 ? { startAfter: new Date(Date.now() + delayMs) } : {}, em);
  }

  async appendHistory(
    em: EntityManager,
    c: PlatformCommandEntity,
    e: { type: string; from: PlatformCommandStatus | null; to: PlatformCommandStatus | null; actor: CommandActor; data?: Record<string, unknown> },
  ): Promise<void> {
    // The caller holds the command's row lock (or just inserted it), so max(seq) + 1 cannot race.
    await em.query(
      `INSERT INTO platform_command_events (merchant_id, command_id, seq, at, type, from_status, to_status, actor_kind, actor_id, data)
       SELECT $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9::jsonb FROM platform_command_events WHERE merchant_id = $1 AND command_id = $2`,
      [c.merchantId, c.id, this.clock.now(), e.type, e.from, e.to, e.actor.kind, e.actor.id, JSON.stringify(e.data ?? {})],
    );
  }

  private async lock(em: EntityManager, merchantId: string, id: string): Promise<PlatformCommandEntity> {
    const c = await em.findOne(PlatformCommandEntity, { where: { merchantId, id }, lock: { mode: 'pessimistic_write' } });
    if (!c) throw ApiError.notFound('Platform command');
    return c;
  }

  private async normalisePayload(em: EntityManager, order: OrderEntity, input: IssueCommandInput): Promise<PlatformCommandPayload> {
    const p = input.payload;
    const problems: FieldProblem[] = [];
    const amountKind = AMOUNT_KINDS.includes(input.kind);
    if (amountKind) {
      if (!Number.isSafeInteger(p.amountMinor) || p.amountMinor! <= 0) problems.push({ path: 'payload.amountMinor', problem: 'must be a positive integer number of minor units' });
      else if (input.kind === 'refund' && p.amountMinor! > order.totalMinor) problems.push({ path: 'payload.amountMinor', problem: `must not exceed the order total ${order.totalMinor}` });
      if (p.currency !== order.currency) problems.push({ path: 'payload.currency', problem: `must be the order's currency ${order.currency}` });
    } else if (p.amountMinor !== undefined || p.currency !== undefined) {
      problems.push({ path: 'payload.amountMinor', problem: `a ${input.kind} command carries no amount` });
    }
    let lines: PlatformCommandLine[] | undefined;
    if (LINE_KINDS.includes(input.kind) && !p.lines?.length) problems.push({ path: 'payload.lines', problem: `a ${input.kind} command needs at least one line` });
    if (input.kind === 'cancel_order' && p.lines?.length) problems.push({ path: 'payload.lines', problem: 'cancel_order cancels the whole order; use cancel_lines for some lines' });
    if (p.lines?.length) {
      const rows = await em.findBy(OrderLineEntity, { merchantId: order.merchantId, orderId: order.id });
      const byId = new Map(rows.map((r) => [r.id, r]));
      const seen = new Set<string>();
      lines = [];
      p.lines.forEach((l, i) => {
        const row = byId.get(l.lineId);
        if (!row) return problems.push({ path: `payload.lines[${i}].lineId`, problem: 'is not a line of this order' });
        if (seen.has(l.lineId)) return problems.push({ path: `payload.lines[${i}].lineId`, problem: 'appears twice' });
        seen.add(l.lineId);
        if (!Number.isSafeInteger(l.quantity) || l.quantity < 1 || l.quantity > row.quantity) {
          return problems.push({ path: `payload.lines[${i}].quantity`, problem: `must be between 1 and the ordered ${row.quantity}` });
        }
        lines!.push({ lineId: row.id, lineExternalId: row.externalId, sku: row.sku, quantity: l.quantity });
      });
    }
    if (problems.length) throw ApiError.unprocessable('invalid_platform_command', 'The platform command is not valid for this order.', problems);
    return {
      ...(amountKind ? { amountMinor: p.amountMinor, currency: p.currency } : {}),
      ...(lines ? { lines } : {}),
      reason: p.reason,
      ...(p.note !== undefined ? { note: p.note } : {}),
      ...(p.shipTo ? { shipTo: { ...p.shipTo } } : {}),
    };
  }

  /** The ticket as platforms should see it; read through SQL so this module does not depend on the tickets module. */
  private async ticketSummary(em: EntityManager, merchantId: string, ticketId: string): Promise<{ id: string; number: number | null; category: string | null }> {
    const rows: { number: number | null; category: string | null }[] = await em.query(`SELECT number, category FROM tickets WHERE merchant_id = $1 AND id = $2`, [merchantId, ticketId]);
    if (!rows.length) throw ApiError.notFound('Ticket');
    return { id: ticketId, number: rows[0].number, category: rows[0].category };
  }
}

/** Why a merchant's commands cannot be delivered, or null when they can. */
export function connectionProblem(m: Pick<MerchantEntity, 'platformWebhookUrl' | 'platformWebhookSecretEnc'>): { code: string; message: string } | null {
  if (!m.platformWebhookUrl) return { code: 'platform_not_connected', message: 'The merchant has no platform webhook URL; the command waits until one is set.' };
  if (!m.platformWebhookSecretEnc) return { code: 'platform_not_connected', message: 'The merchant has no platform webhook secret; the command waits until one is set.' };
  return null;
}

/**
 * Where and with which secret a merchant's webhooks go, or why they cannot go yet (no URL or secret,
 * or a secret sealed under another SECRETS_KEY).
 */
export function webhookTarget(secrets: SecretsService, m: MerchantEntity): { url: string; secret: string } | { code: string; message: string } {
  const problem = connectionProblem(m);
  if (problem) return problem;
  try {
    return { url: m.platformWebhookUrl!, secret: secrets.open(m.platformWebhookSecretEnc!, platformSecretContext(m.id)) };
  } catch {
    return { code: 'platform_secret_unreadable', message: 'The platform webhook secret cannot be decrypted (was SECRETS_KEY changed?); set it again.' };
  }
}

function settledConflict(c: PlatformCommandEntity): ApiError {
  return ApiError.conflict('platform_command_settled', `This command is already ${c.status}.`, [{ path: 'status', problem: `is ${c.status}` }]);
}

function checkIssueInput(input: IssueCommandInput): void {
  const problems: FieldProblem[] = [];
  if (!PLATFORM_COMMAND_KINDS.includes(input.kind)) problems.push({ path: 'kind', problem: `must be one of ${PLATFORM_COMMAND_KINDS.join(', ')}` });
  if (!/^[\x21-\x7e]{1,255}$/.test(input.idempotencyKey ?? '')) problems.push({ path: 'idempotencyKey', problem: 'must be 1 to 255 visible ASCII characters' });
  if (typeof input.payload?.reason !== 'string' || !input.payload.reason.trim() || input.payload.reason.length > 100) {
    problems.push({ path: 'payload.reason', problem: 'must be 1 to 100 characters' });
  }
  if (input.payload?.note !== undefined && (typeof input.payload.note !== 'string' || input.payload.note.length > 1000)) problems.push({ path: 'payload.note', problem: 'must be at most 1000 characters' });
  if (problems.length) throw ApiError.unprocessable('invalid_platform_command', 'The platform command is not valid.', problems);
}

/** What identifies an issue request, comparable between the stored command and a repeat. */
function fingerprint(kind: string, orderId: string, ticketId: string | null, resolutionId: string | null, p: { amountMinor?: number; currency?: string; lines?: { lineId: string; quantity: number }[]; reason: string; note?: string; shipTo?: unknown }) {
  return canonicalJson([kind, orderId, ticketId, resolutionId, p.amountMinor ?? null, p.currency ?? null, (p.lines ?? []).map((l) => [l.lineId, l.quantity]), p.reason, p.note ?? null, p.shipTo ?? null]);
}

/** JSON with object keys sorted, so a value read back from jsonb (which reorders keys) compares equal. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

function sameIssue(existing: PlatformCommandEntity, input: IssueCommandInput): PlatformCommandEntity {
  const stored = fingerprint(existing.kind, existing.orderId, existing.ticketId, existing.resolutionId, existing.payload);
  const asked = fingerprint(input.kind, input.orderId, input.ticketId ?? null, input.resolutionId ?? null, input.payload);
  if (stored !== asked) {
    throw ApiError.unprocessable('idempotency_key_reused', 'A different platform command was already issued with this idempotency key.', [{ path: 'idempotencyKey', problem: 'already used for another command' }]);
  }
  return existing;
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): [Date, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at);
  if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id ?? '')) throw ApiError.validation([{ path: 'cursor', problem: 'is not a cursor this API gave out' }]);
  return [date, id];
}
