import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, QueryFailedError } from 'typeorm';
import { ApiError, FieldProblem } from '../../common/api-error';
import { Clock } from '../../common/clock';
import { ResolutionEntity } from '../saga/resolution.entity';
import { CompensationFlagEntity, FlaggedEntry } from './compensation-flag.entity';
import { LedgerEntryEntity } from './ledger-entry.entity';
import {
  beneficiaryOf,
  isLive,
  LedgerEntryKind,
  LedgerSummary,
  MONEY_BACK_KINDS,
  RESERVABLE_KINDS,
  reserveRefusal,
  summarize,
} from './ledger-rules';
import { LOSS_KEY_PATTERN } from './loss-key';

/** A compensation to reserve (or, with {@link LedgerService.record}, to record as done). */
export interface CompensationRequest {
  merchantId: string;
  orderId: string;
  /** The resolution making it; null for facts from outside (a refund the merchant made on the platform). */
  resolutionId?: string | null;
  kind: Exclude<LedgerEntryKind, 'refund_reversal'>;
  /** Which loss it compensates: build it with `lossKey`. */
  lossKey: string;
  /** Integer minor units of the order's currency; above 0 except for a reship. */
  amountMinor: number;
  currency: string;
  externalRef?: string | null;
}

/** What {@link LedgerService.flagDoubleCompensation} found and did. */
export interface DoubleCompensation {
  flag: CompensationFlagEntity;
  /** False when an open flag for this loss already existed (it is returned as is). */
  created: boolean;
  /** Resolutions and tickets behind the compensations, so the cases can be reopened. */
  resolutionIds: string[];
  ticketIds: string[];
}

export interface OrderLedger extends LedgerSummary {
  orderId: string;
  entries: LedgerEntryEntity[];
  openFlags: CompensationFlagEntity[];
}

const MAX_MINOR = 1e13;

/**
 * The compensation ledger: for each order, every refund, store credit, reship, carrier payout and
 * chargeback, and their reversals. It guarantees that the money handed back never exceeds what the
 * customer paid, and that one loss is compensated once for the customer and once for the merchant.
 *
 * Every write takes the caller's transaction (`em`) and first locks the order row
 * (`FOR NO KEY UPDATE`), so concurrent resolutions on one order queue up and each sees the others'
 * committed entries; partial unique indexes back the one-loss rule should a writer skip the lock.
 * Inside a saga, call it from a `local` step: the entry and the step's outcome commit together.
 *
 * @example
 * // A local saga step: reserve now, confirm when the platform confirms, undo on compensation.
 * const entry = await ledger.reserve(ctx.em, {
 *   merchantId, orderId, resolutionId: ctx.resolution.id,
 *   kind: 'refund', lossKey: lossKey.shipment(shipmentId), amountMinor: 2599, currency: 'USD',
 * });
 * await ledger.confirm(em, merchantId, entry.id, { externalRef: 're_123' });
 * await ledger.undo(em, merchantId, entry.id, 'resolution compensated'); // release, or reverse if confirmed
 */
@Injectable()
export class LedgerService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Reserves a compensation: counts against the refundable amount and the loss at once. Refused with
   * 409 `loss_already_compensated` (this side of the loss is compensated already) or 422
   * `refund_exceeds_paid` (more money back than was paid).
   */
  async reserve(em: EntityManager, request: CompensationRequest): Promise<LedgerEntryEntity> {
    return this.insert(em, request, 'reserved');
  }

  /** Records a compensation that already happened (confirmed at once), under the same rules. */
  async record(em: EntityManager, request: CompensationRequest): Promise<LedgerEntryEntity> {
    return this.insert(em, request, 'confirmed');
  }

  /**
   * Records money that moved outside our control and cannot be refused, such as a chargeback the
   * bank took: validated like the others and still one live compensation per side of a loss, but
   * never refused for handing back more than was paid. The ledger must show what happened; the
   * caller flags the excess (see {@link flagDoubleCompensation}).
   */
  async recordImposed(em: EntityManager, request: CompensationRequest): Promise<LedgerEntryEntity> {
    return this.insert(em, request, 'confirmed', false);
  }

  /**
   * Marks a reservation done, optionally with what was really done: a smaller amount (the platform
   * refunded less) and its external id. Confirming twice returns the entry unchanged.
   */
  async confirm(em: EntityManager, merchantId: string, entryId: string, done: { externalRef?: string | null; amountMinor?: number } = {}): Promise<LedgerEntryEntity> {
    const entry = await this.lockedEntry(em, merchantId, entryId);
    if (entry.status === 'confirmed') return entry;
    if (entry.status !== 'reserved') throw ApiError.conflict('ledger_entry_not_reserved', `This entry is ${entry.status}; only a reservation can be confirmed.`);
    const amount = done.amountMinor ?? entry.amountMinor;
    if (!Number.isSafeInteger(amount) || amount < 0 || amount > entry.amountMinor || (amount === 0 && entry.kind !== 'reship')) {
      throw ApiError.unprocessable('confirm_exceeds_reserved', `The confirmed amount must be above 0 and at most the ${entry.amountMinor} reserved.`, [
        { path: 'amountMinor', problem: `must be between 1 and ${entry.amountMinor}` },
      ]);
    }
    Object.assign(entry, { status: 'confirmed', amountMinor: amount, externalRef: done.externalRef ?? entry.externalRef, confirmedAt: this.clock.now() });
    return em.save(entry);
  }

  /** Gives a reservation back. Releasing twice is a no-op; a confirmed entry cannot be released (reverse it). */
  async release(em: EntityManager, merchantId: string, entryId: string, note: string): Promise<LedgerEntryEntity> {
    const entry = await this.lockedEntry(em, merchantId, entryId);
    if (entry.status === 'released') return entry;
    if (entry.status !== 'reserved') throw ApiError.conflict('ledger_entry_not_reserved', `This entry is ${entry.status}; reverse it instead of releasing it.`);
    Object.assign(entry, { status: 'released', note: note.slice(0, 500), releasedAt: this.clock.now() });
    return em.save(entry);
  }

  /**
   * Records that a confirmed refund, store credit or chargeback came back (wholly or in part) with a
   * `refund_reversal` entry. Once wholly reversed, the entry is `reversed` and its loss may be
   * compensated again.
   */
  async reverse(
    em: EntityManager,
    merchantId: string,
    entryId: string,
    opts: { amountMinor?: number; externalRef?: string | null; note: string; resolutionId?: string | null },
  ): Promise<LedgerEntryEntity> {
    const entry = await this.lockedEntry(em, merchantId, entryId);
    if (!MONEY_BACK_KINDS.includes(entry.kind) || entry.status !== 'confirmed') {
      throw ApiError.conflict('ledger_entry_not_reversible', `A ${entry.status} ${entry.kind} cannot be reversed.`);
    }
    const reversals = await em.findBy(LedgerEntryEntity, { merchantId, reversesEntryId: entry.id, status: 'confirmed' });
    const left = entry.amountMinor - reversals.reduce((s, r) => s + r.amountMinor, 0);
    const amount = opts.amountMinor ?? left;
    if (!Number.isSafeInteger(amount) || amount <= 0 || amount > left) {
      throw ApiError.unprocessable('reversal_exceeds_entry', `At most ${left} of this entry can still be reversed.`, [{ path: 'amountMinor', problem: `must be between 1 and ${left}` }]);
    }
    const now = this.clock.now();
    await em.insert(LedgerEntryEntity, {
      merchantId,
      orderId: entry.orderId,
      resolutionId: opts.resolutionId === undefined ? entry.resolutionId : opts.resolutionId,
      kind: 'refund_reversal',
      beneficiary: 'merchant',
      lossKey: entry.lossKey,
      amountMinor: amount,
      currency: entry.currency,
      status: 'confirmed',
      reversesEntryId: entry.id,
      externalRef: opts.externalRef ?? null,
      note: opts.note.slice(0, 500),
      confirmedAt: now,
    });
    if (amount === left) {
      Object.assign(entry, { status: 'reversed', note: opts.note.slice(0, 500) });
      await em.save(entry);
    }
    return entry;
  }

  /**
   * Undoes an entry whatever became of it: releases a reservation, reverses what is left of a
   * confirmed money-back entry, leaves a released or reversed one alone. What a compensation calls.
   */
  async undo(em: EntityManager, merchantId: string, entryId: string, note: string): Promise<LedgerEntryEntity> {
    const entry = await this.lockedEntry(em, merchantId, entryId);
    if (entry.status === 'reserved') return this.release(em, merchantId, entryId, note);
    if (entry.status === 'confirmed' && MONEY_BACK_KINDS.includes(entry.kind)) return this.reverse(em, merchantId, entryId, { note });
    if (entry.status === 'confirmed') throw ApiError.conflict('ledger_entry_not_reversible', `A confirmed ${entry.kind} cannot be undone in the ledger alone.`);
    return entry;
  }

  /**
   * A loss compensated as final turned out not to be (the lost parcel was delivered or came back):
   * records an open flag naming the live compensations of that loss, at most one open flag per loss.
   * Returns null when the loss was never compensated (nothing was paid twice). Call it from the
   * transaction that applied the tracking event.
   *
   * @example
   * const found = await ledger.flagDoubleCompensation(em, { merchantId, orderId, lossKey: lossKey.shipment(s.id), reason: 'delivered_after_loss' });
   * if (found?.created) for (const t of found.ticketIds) await tickets.reopen(em, merchantId, t, 'parcel delivered after refund');
   */
  async flagDoubleCompensation(
    em: EntityManager,
    args: { merchantId: string; orderId: string; lossKey: string; reason: string; details?: Record<string, unknown> },
  ): Promise<DoubleCompensation | null> {
    await this.lockOrder(em, args.merchantId, args.orderId);
    const live = (await em.find(LedgerEntryEntity, { where: { merchantId: args.merchantId, orderId: args.orderId, lossKey: args.lossKey }, order: { createdAt: 'ASC' } }))
      .filter((e) => isLive(e) && e.kind !== 'refund_reversal');
    if (!live.length) return null;
    const resolutionIds = [...new Set(live.map((e) => e.resolutionId).filter((id): id is string => !!id))];
    const ticketIds = resolutionIds.length
      ? [...new Set((await em.findBy(ResolutionEntity, { merchantId: args.merchantId, id: In(resolutionIds) })).map((r) => r.ticketId).filter((id): id is string => !!id))]
      : [];
    const open = await em.findOneBy(CompensationFlagEntity, { merchantId: args.merchantId, orderId: args.orderId, lossKey: args.lossKey, resolvedAt: IsNull() });
    if (open) return { flag: open, created: false, resolutionIds, ticketIds };
    const entries: FlaggedEntry[] = live.map((e) => ({ id: e.id, kind: e.kind, beneficiary: e.beneficiary, status: e.status, amountMinor: e.amountMinor, resolutionId: e.resolutionId }));
    const flag = await em.save(
      em.create(CompensationFlagEntity, {
        merchantId: args.merchantId,
        orderId: args.orderId,
        lossKey: args.lossKey,
        reason: args.reason.slice(0, 48),
        details: args.details ?? {},
        entries,
        raisedAt: this.clock.now(),
        resolvedAt: null,
        resolvedBy: null,
        resolutionNote: null,
      }),
    );
    return { flag, created: true, resolutionIds, ticketIds };
  }

  /** Open double-compensation flags of a merchant (of one order, with `orderId`), oldest first. */
  async openFlags(merchantId: string, opts: { orderId?: string; em?: EntityManager } = {}): Promise<CompensationFlagEntity[]> {
    const em = opts.em ?? this.ds.manager;
    return em.find(CompensationFlagEntity, {
      where: { merchantId, resolvedAt: IsNull(), ...(opts.orderId ? { orderId: opts.orderId } : {}) },
      order: { raisedAt: 'ASC' },
    });
  }

  /** Closes a flag once a person has dealt with it. Closing a closed flag is refused (409 `flag_resolved`). */
  async resolveFlag(em: EntityManager, merchantId: string, flagId: string, by: string, note: string): Promise<CompensationFlagEntity> {
    const flag = await em.findOne(CompensationFlagEntity, { where: { merchantId, id: flagId }, lock: { mode: 'pessimistic_write' } });
    if (!flag) throw ApiError.notFound('Compensation flag');
    if (flag.resolvedAt) throw ApiError.conflict('flag_resolved', 'This flag was already resolved.');
    Object.assign(flag, { resolvedAt: this.clock.now(), resolvedBy: by, resolutionNote: note.slice(0, 500) });
    return em.save(flag);
  }

  /** What was paid, handed back, reserved and still refundable, per loss, with the entries and open flags. */
  async summary(merchantId: string, orderId: string, em: EntityManager = this.ds.manager): Promise<OrderLedger> {
    const [order]: { total_minor: string; currency: string }[] = await em.query(`SELECT total_minor, currency FROM orders WHERE merchant_id = $1 AND id = $2`, [merchantId, orderId]);
    if (!order) throw ApiError.notFound('Order');
    const entries = await em.find(LedgerEntryEntity, { where: { merchantId, orderId }, order: { createdAt: 'ASC', id: 'ASC' } });
    const openFlags = await this.openFlags(merchantId, { orderId, em });
    return { orderId, ...summarize({ totalMinor: Number(order.total_minor), currency: order.currency }, entries), entries, openFlags };
  }

  private async insert(em: EntityManager, r: CompensationRequest, status: 'reserved' | 'confirmed', enforcePaid = true): Promise<LedgerEntryEntity> {
    const problems: FieldProblem[] = [];
    if (!RESERVABLE_KINDS.includes(r.kind)) problems.push({ path: 'kind', problem: `must be one of ${RESERVABLE_KINDS.join(', ')}` });
    if (!LOSS_KEY_PATTERN.test(r.lossKey ?? '')) problems.push({ path: 'lossKey', problem: 'must look like shipment:<id> or lines:<lineId>x<qty>' });
    const minimum = r.kind === 'reship' ? 0 : 1;
    if (!Number.isSafeInteger(r.amountMinor) || r.amountMinor < minimum || r.amountMinor > MAX_MINOR) {
      problems.push({ path: 'amountMinor', problem: `must be a whole number of minor units, at least ${minimum}` });
    }
    if (problems.length) throw ApiError.validation(problems);
    const order = await this.lockOrder(em, r.merchantId, r.orderId);
    if (r.currency !== order.currency) {
      throw ApiError.unprocessable('currency_mismatch', `The order is in ${order.currency}.`, [{ path: 'currency', problem: `must be ${order.currency}` }]);
    }
    const entries = await em.findBy(LedgerEntryEntity, { merchantId: r.merchantId, orderId: r.orderId });
    const refusal = reserveRefusal(summarize(order, entries), r);
    if (refusal && (enforcePaid || refusal.code !== 'refund_exceeds_paid')) throw refusal;
    const now = this.clock.now();
    try {
      return await em.save(
        em.create(LedgerEntryEntity, {
          merchantId: r.merchantId,
          orderId: r.orderId,
          resolutionId: r.resolutionId ?? null,
          kind: r.kind,
          beneficiary: beneficiaryOf(r.kind),
          lossKey: r.lossKey,
          amountMinor: r.amountMinor,
          currency: r.currency,
          status,
          reversesEntryId: null,
          externalRef: r.externalRef ?? null,
          note: null,
          confirmedAt: status === 'confirmed' ? now : null,
          releasedAt: null,
        }),
      );
    } catch (err) {
      // Reached only by a writer that skipped the order lock: the index still refuses the second compensation.
      const constraint = err instanceof QueryFailedError ? (err.driverError as { constraint?: string }).constraint : undefined;
      if (constraint === 'uq_ledger_entries_customer_loss' || constraint === 'uq_ledger_entries_payout_loss') {
        throw ApiError.conflict('loss_already_compensated', `Loss ${r.lossKey} is already compensated for the ${beneficiaryOf(r.kind)}.`);
      }
      throw err;
    }
  }

  /** Locks the order row: every ledger write of one order runs one at a time. */
  private async lockOrder(em: EntityManager, merchantId: string, orderId: string): Promise<{ totalMinor: number; currency: string }> {
    const [order]: { total_minor: string; currency: string }[] = await em.query(
      `SELECT total_minor, currency FROM orders WHERE merchant_id = $1 AND id = $2 FOR NO KEY UPDATE`,
      [merchantId, orderId],
    );
    if (!order) throw ApiError.unprocessable('order_not_found', 'No such order for this merchant.', [{ path: 'orderId', problem: 'is not an order of this merchant' }]);
    return { totalMinor: Number(order.total_minor), currency: order.currency };
  }

  private async lockedEntry(em: EntityManager, merchantId: string, entryId: string): Promise<LedgerEntryEntity> {
    const first = await em.findOneBy(LedgerEntryEntity, { merchantId, id: entryId });
    if (!first) throw ApiError.notFound('Ledger entry');
    await this.lockOrder(em, merchantId, first.orderId);
    // Read again under the lock: another transaction may have moved it while we waited.
    return (await em.findOneBy(LedgerEntryEntity, { merchantId, id: entryId }))!;
  }
}
