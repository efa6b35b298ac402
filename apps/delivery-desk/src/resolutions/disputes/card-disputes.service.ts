import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isLocalDate } from '@app/returns';
import { ApiError, FieldProblem } from '../../common/api-error';
import { Clock } from '../../common/clock';
import { OrderEntity } from '../../orders/order.entity';
import { TicketEntity } from '../../tickets/ticket.entity';
import { Actor, TicketsService } from '../../tickets/tickets.service';
import { LedgerEntryEntity } from '../ledger/ledger-entry.entity';
import { isLive } from '../ledger/ledger-rules';
import { LedgerService } from '../ledger/ledger.service';
import { CardDisputeDto } from './card-dispute.dto';
import { CardDisputeEntity, DisputeStatus } from './card-dispute.entity';

/** Statuses a dispute never leaves: the network decided, or the merchant gave in. */
const CLOSED: readonly DisputeStatus[] = ['won', 'lost', 'accepted'];
/** Closed with the money back to the customer through the bank. */
const CHARGED_BACK: readonly DisputeStatus[] = ['lost', 'accepted'];
const LEDGER: Actor = { kind: 'system', id: 'ledger' };

/** The loss a chargeback compensates: the disputed payment itself, one per processor dispute. */
export const disputeLossKey = (processorDisputeId: string) => `dispute:${processorDisputeId}`;

/** What the platform sees of a dispute. */
export function disputeView(d: CardDisputeEntity) {
  return {
    id: d.id,
    disputeId: d.processorDisputeId,
    network: d.network,
    reasonCode: d.reasonCode,
    category: d.category,
    noticeAt: d.noticeAt.toISOString(),
    status: d.status,
    amountMinor: d.amountMinor,
    currency: d.currency,
    respondBy: d.respondBy,
    chargebackEntryId: d.ledgerEntryId,
    closedAt: d.closedAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

/**
 * Card disputes (chargebacks) on orders, as the platform relays them. Each change is audited on the
 * order's tickets and redecides them: while a dispute is open the engine blocks refunds
 * (`dispute_open`) and asks for a `DISPUTE_RESPONSE`. A lost or accepted dispute sent the money
 * back through the bank: a `chargeback` in the ledger, and if the customer was already compensated
 * for a loss of this order, a double-compensation flag that reopens the case.
 */
@Injectable()
export class CardDisputesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tickets: TicketsService,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
  ) {}

  /**
   * Opens or updates a dispute, idempotent by the processor's dispute id per merchant: the same body
   * twice changes nothing. Errors: 404 (no such order for this merchant), 422 `dispute_invalid`
   * (amount above the order total, a date that does not exist), 409 `dispute_other_order`,
   * 409 `dispute_closed` (a closed dispute cannot change status).
   */
  async upsert(merchantId: string, orderExternalId: string, dto: CardDisputeDto, actor: Actor): Promise<{ created: boolean; dispute: CardDisputeEntity }> {
    const order = await this.ds.getRepository(OrderEntity).findOneBy({ merchantId, externalId: orderExternalId });
    if (!order) throw ApiError.notFound('Order');
    const problems: FieldProblem[] = [];
    if (dto.amountMinor < 1 || dto.amountMinor > order.totalMinor) problems.push({ path: 'amountMinor', problem: `must be between 1 and the order total ${order.totalMinor}` });
    if (dto.respondBy && !isLocalDate(dto.respondBy)) problems.push({ path: 'respondBy', problem: 'is not a calendar date' });
    if (problems.length) throw ApiError.unprocessable('dispute_invalid', 'The dispute does not fit this order.', problems);

    return this.ds.transaction(async (em) => {
      // A concurrent first post of the same dispute waits here and then updates the row this one wrote.
      const inserted: { id: string }[] = await em.query(
        `INSERT INTO card_disputes (merchant_id, order_id, processor_dispute_id, network, reason_code, category, notice_at, status, amount_minor, currency, respond_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (merchant_id, processor_dispute_id) DO NOTHING RETURNING id`,
        [merchantId, order.id, dto.disputeId, dto.network, dto.reasonCode, dto.category, new Date(dto.noticeAt), dto.status, dto.amountMinor, order.currency, dto.respondBy ?? null],
      );
      const row = await em.findOne(CardDisputeEntity, { where: { merchantId, processorDisputeId: dto.disputeId }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new Error('dispute row vanished inside its transaction');
      if (row.orderId !== order.id) {
        throw ApiError.conflict('dispute_other_order', `Dispute ${dto.disputeId} belongs to another order.`, [{ path: 'disputeId', problem: 'is already recorded on another order' }]);
      }
      const created = inserted.length > 0;
      const from: DisputeStatus | null = created ? null : row.status;
      if (from && CLOSED.includes(from) && dto.status !== from) {
        throw ApiError.conflict('dispute_closed', `Dispute ${dto.disputeId} is ${from}; a closed dispute does not change.`, [{ path: 'status', problem: `must stay ${from}` }]);
      }
      const next = {
        network: dto.network,
        reasonCode: dto.reasonCode,
        category: dto.category,
        noticeAt: new Date(dto.noticeAt),
        status: dto.status,
        amountMinor: dto.amountMinor,
        respondBy: dto.respondBy ?? null,
      };
      const changed =
        created ||
        row.network !== next.network ||
        row.reasonCode !== next.reasonCode ||
        row.category !== next.category ||
        row.noticeAt.getTime() !== next.noticeAt.getTime() ||
        row.status !== next.status ||
        row.amountMinor !== next.amountMinor ||
        (row.respondBy ?? null) !== next.respondBy;
      if (!changed) return { created: false, dispute: row };

      const now = this.clock.now();
      Object.assign(row, next, { closedAt: CLOSED.includes(next.status) ? (row.closedAt ?? now) : null });
      await em.save(row);

      const tickets = await this.orderTickets(em, merchantId, order.id);
      const audit = { disputeId: row.processorDisputeId, status: row.status, from, network: row.network, reasonCode: row.reasonCode, category: row.category, amountMinor: row.amountMinor, respondBy: row.respondBy };
      for (const t of tickets) await this.tickets.appendEvent(em, t, actor, from === null ? 'card_dispute_opened' : 'card_dispute_updated', audit);

      if (CHARGED_BACK.includes(row.status) && !row.ledgerEntryId) await this.chargeBack(em, order, row, tickets);

      for (const t of tickets) {
        if (t.status !== 'resolved' && t.status !== 'closed') await this.tickets.redecide(em, t, { kind: 'system', id: 'dispute' });
      }
      return { created: from === null, dispute: row };
    });
  }

  /** The order's disputes, newest notice first. 404 for another merchant's order. */
  async list(merchantId: string, orderExternalId: string): Promise<CardDisputeEntity[]> {
    const order = await this.ds.getRepository(OrderEntity).findOneBy({ merchantId, externalId: orderExternalId });
    if (!order) throw ApiError.notFound('Order');
    return this.ds.getRepository(CardDisputeEntity).find({ where: { merchantId, orderId: order.id }, order: { noticeAt: 'DESC', createdAt: 'DESC' } });
  }

  /**
   * The bank gave the money back: a `chargeback` entry, recorded even beyond what is left to refund
   * (it happened). Every other loss of the order the customer was already compensated for is now
   * compensated twice: flagged, and the flagged cases reopened.
   */
  private async chargeBack(em: EntityManager, order: OrderEntity, dispute: CardDisputeEntity, tickets: TicketEntity[]): Promise<void> {
    const loss = disputeLossKey(dispute.processorDisputeId);
    const entry = await this.ledger.recordImposed(em, {
      merchantId: order.merchantId,
      orderId: order.id,
      resolutionId: null,
      kind: 'chargeback',
      lossKey: loss,
      amountMinor: dispute.amountMinor,
      currency: order.currency,
      externalRef: dispute.processorDisputeId,
    });
    dispute.ledgerEntryId = entry.id;
    await em.save(dispute);
    for (const t of tickets) {
      await this.tickets.appendEvent(em, t, LEDGER, 'chargeback_recorded', { disputeId: dispute.processorDisputeId, entryId: entry.id, amountMinor: entry.amountMinor, status: dispute.status });
    }

    const entries = await em.findBy(LedgerEntryEntity, { merchantId: order.merchantId, orderId: order.id });
    const compensated = [...new Set(entries.filter((e) => e.beneficiary === 'customer' && isLive(e) && e.lossKey !== loss).map((e) => e.lossKey))];
    const reopened = new Set<string>();
    const byId = new Map(tickets.map((t) => [t.id, t]));
    for (const other of compensated) {
      const found = await this.ledger.flagDoubleCompensation(em, {
        merchantId: order.merchantId,
        orderId: order.id,
        lossKey: other,
        reason: 'chargeback_after_compensation',
        details: { disputeId: dispute.processorDisputeId, chargebackEntryId: entry.id, amountMinor: entry.amountMinor },
      });
      if (!found?.created) continue;
      // The compensating resolutions' tickets, and every ticket of the order when none is known (a refund made on the platform).
      const ids = found.ticketIds.length ? found.ticketIds : tickets.map((t) => t.id);
      for (const id of ids) {
        const t = byId.get(id) ?? (await this.tickets.lockForChange(em, order.merchantId, id, null));
        await this.tickets.appendEvent(em, t, LEDGER, 'double_compensation_flagged', {
          flagId: found.flag.id,
          lossKey: other,
          reason: 'chargeback_after_compensation',
          disputeId: dispute.processorDisputeId,
          chargebackEntryId: entry.id,
          resolutionIds: found.resolutionIds,
        });
        if ((t.status === 'resolved' || t.status === 'closed') && !reopened.has(t.id)) {
          await this.tickets.moveTo(em, t, 'reopened', LEDGER, { because: 'double_compensation', flagId: found.flag.id });
          reopened.add(t.id);
        }
      }
    }
  }

  /** The order's tickets, locked, oldest first: every one of them carries the dispute in its audit trail. */
  private async orderTickets(em: EntityManager, merchantId: string, orderId: string): Promise<TicketEntity[]> {
    const rows = await em.find(TicketEntity, { where: { merchantId, orderId }, order: { createdAt: 'ASC' }, select: { id: true } });
    const out: TicketEntity[] = [];
    for (const r of rows) out.push(await this.tickets.lockForChange(em, merchantId, r.id, null));
    return out;
  }
}
