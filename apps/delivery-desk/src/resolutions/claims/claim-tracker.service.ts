import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CarrierError, Claim } from '@app/carriers';
import { ApiError } from '../../common/api-error';
import { Clock } from '../../common/clock';
import { JobQueue } from '../../jobs/job-queue.service';
import { ShipmentEntity } from '../../orders/shipment.entity';
import { TicketEntity, TicketPriority } from '../../tickets/ticket.entity';
import { Actor, TicketsService } from '../../tickets/tickets.service';
import { CarrierRegistry } from '../../tracking/carrier-registry.service';
import { CarrierWebhooksService } from '../../tracking/carrier-webhooks.service';
import { LedgerEntryEntity } from '../ledger/ledger-entry.entity';
import { LedgerService } from '../ledger/ledger.service';
import { lossKey } from '../ledger/loss-key';
import { CLAIM_FILE_STEP } from '../playbooks/claim-clock';
import { isSettled, nextClaimCheck, paidAmountMinor } from './claim-follow-up';

export const CLAIM_SWEEP_QUEUE = 'carrier-claims-sweep';

/** How long a claim picked by one sweep is left alone by the others. */
const SWEEP_LEASE_MS = 10 * 60_000;
const PRIORITY_ORDER: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
const CARRIER: Actor = { kind: 'carrier', id: null };
const LEDGER: Actor = { kind: 'system', id: 'ledger' };

/** What applying one look at a claim did. */
export interface ClaimUpdate {
  shipmentId: string;
  claimId: string;
  from: string | null;
  to: string;
  changed: boolean;
  /** The `carrier_payout` entry, when this look found the claim paid (or it already was). */
  payoutEntryId: string | null;
  ticketIds: string[];
}

/**
 * Follows carrier claims after filing, until they reach a final state: a sweep on the job queue asks
 * the carrier (often while a claim is young, less as it ages, backing off on errors), and EasyPost's
 * claim webhooks apply the same way. A change lands on the shipment, in the audit trail of the
 * claim's tickets and, through a fresh decision, in the facts. A paid claim is the merchant's money:
 * one `carrier_payout` per claim in the ledger, no customer message. A rejected one goes to a
 * supervisor with the carrier's reason.
 */
@Injectable()
export class ClaimTracker implements OnModuleInit {
  private readonly logger = new Logger(ClaimTracker.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly jobs: JobQueue,
    private readonly carriers: CarrierRegistry,
    private readonly webhooks: CarrierWebhooksService,
    private readonly tickets: TicketsService,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register(CLAIM_SWEEP_QUEUE, { retryLimit: 1, cron: '*/15 * * * *' }, async () => {
      await this.sweep();
    });
    this.webhooks.onClaim(async (em, claim, ctx) => {
      const rows: { id: string; merchant_id: string }[] = await em.query(
        `SELECT id, merchant_id FROM shipments WHERE claim_id = $1 AND ($2::uuid IS NULL OR merchant_id = $2) ORDER BY created_at`,
        [claim.claimId, ctx.merchantId],
      );
      let changed = 0;
      for (const row of rows) {
        const update = await this.apply(em, row.merchant_id, row.id, claim, 'webhook');
        if (update?.changed) changed++;
      }
      return changed;
    });
  }

  /**
   * Asks the carrier about every claim whose check is due. The rows are leased (pushed forward) in
   * their own transaction first, so sweeps on several replicas, or two at once, never ask twice.
   */
  async sweep(limit = 100): Promise<number> {
    const now = this.clock.now();
    const due = await this.ds.transaction(async (em) => {
      const rows: { id: string; merchant_id: string }[] = await em.query(
        `SELECT id, merchant_id FROM shipments WHERE claim_check_due_at <= $1 AND claim_id IS NOT NULL
          ORDER BY claim_check_due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, limit],
      );
      if (rows.length) await em.query(`UPDATE shipments SET claim_check_due_at = $2 WHERE id = ANY($1)`, [rows.map((r) => r.id), new Date(now.getTime() + SWEEP_LEASE_MS)]);
      return rows;
    });
    for (const row of due) {
      try {
        await this.check(row.merchant_id, row.id);
      } catch (err) {
        // One bad claim must not starve the others; the lease brings it back.
        this.logger.error({ err, shipmentId: row.id }, 'claim check failed');
      }
    }
    return due.length;
  }

  /** Asks the carrier about one shipment's claim and applies the answer; a carrier error is recorded and backed off. */
  async check(merchantId: string, shipmentId: string): Promise<ClaimUpdate | null> {
    const shipment = await this.ds.getRepository(ShipmentEntity).findOneBy({ merchantId, id: shipmentId });
    if (!shipment?.claimId) return null;
    let claim: Claim;
    try {
      const adapter = await this.carriers.adapterFor(merchantId, shipment.carrier);
      claim = await adapter.getClaim(shipment.claimId, { idempotencyKey: `claim:${shipment.claimId}` });
    } catch (err) {
      if (!(err instanceof CarrierError)) throw err;
      const now = this.clock.now();
      const failures = shipment.claimCheckFailures + 1;
      await this.ds.query(
        `UPDATE shipments SET claim_check_failures = $3, claim_last_error = $4, claim_check_due_at = $5 WHERE merchant_id = $1 AND id = $2 AND claim_id = $6`,
        [
          merchantId,
          shipmentId,
          failures,
          `${err.code}: ${err.message}`.slice(0, 500),
          nextClaimCheck({ filedAt: shipment.claimFiledAt ?? now, now, failures, retryAfterMs: err.details.retryAfterMs ?? null }),
          shipment.claimId,
        ],
      );
      this.logger.warn({ shipmentId, carrier: shipment.carrier, code: err.code, failures }, 'carrier claim lookup failed');
      return null;
    }
    return this.ds.transaction((em) => this.apply(em, merchantId, shipmentId, claim, 'poll'));
  }

  /**
   * Applies what the carrier says about a claim, with the shipment row locked: concurrent looks (two
   * sweeps, a sweep and a webhook) apply one after the other, and the second finds nothing new.
   */
  async apply(em: EntityManager, merchantId: string, shipmentId: string, claim: Claim, source: 'poll' | 'webhook'): Promise<ClaimUpdate | null> {
    const s = await em.findOne(ShipmentEntity, { where: { merchantId, id: shipmentId }, lock: { mode: 'pessimistic_write' } });
    if (!s || s.claimId !== claim.claimId) return null;
    const now = this.clock.now();
    const from = s.claimStatus;
    // An unmapped status is logged by the mapper; keep the last one we understood.
    const to = claim.status === 'unknown' ? (from ?? 'submitted') : claim.status;
    const paid = paidAmountMinor(claim);
    const newlyPaid = paid !== null && s.claimPaidMinor === null;
    const changed = to !== from || newlyPaid;
    const detail = claim.statusDetail ? claim.statusDetail.slice(0, 500) : null;
    await em.update(
      ShipmentEntity,
      { merchantId, id: shipmentId },
      {
        claimStatus: to.slice(0, 16),
        claimStatusDetail: detail,
        claimPaidMinor: s.claimPaidMinor ?? paid,
        claimCheckedAt: now,
        claimCheckFailures: 0,
        claimLastError: null,
        claimCheckDueAt: isSettled(to, s.claimPaidMinor ?? paid) ? null : nextClaimCheck({ filedAt: s.claimFiledAt ?? now, now, failures: 0 }),
      },
    );
    const update: ClaimUpdate = { shipmentId, claimId: claim.claimId, from, to, changed, payoutEntryId: null, ticketIds: [] };
    const existing = await em.findOneBy(LedgerEntryEntity, { merchantId, orderId: s.orderId, kind: 'carrier_payout', externalRef: claim.claimId });
    update.payoutEntryId = existing?.id ?? null;
    if (!changed) return update;

    const owners = await this.owners(em, merchantId, s);
    update.ticketIds = owners.tickets.map((t) => t.id);
    for (const ticket of owners.tickets) {
      await this.tickets.appendEvent(em, ticket, CARRIER, 'carrier_claim_status_changed', {
        shipmentId,
        claimId: claim.claimId,
        from,
        to,
        detail,
        approvedMinor: claim.approvedAmount?.amountMinor ?? null,
        source,
      });
    }
    if (newlyPaid && !existing) update.payoutEntryId = await this.recordPayout(em, s, claim, paid!, owners);
    if (to === 'rejected' && from !== 'rejected') {
      for (const ticket of owners.tickets) await this.escalateRejection(em, ticket, claim, detail);
    }
    for (const ticket of owners.tickets) {
      if (ticket.status === 'waiting_carrier' && (to === 'rejected' || to === 'cancelled' || newlyPaid)) {
        await this.tickets.moveTo(em, ticket, 'open', { kind: 'system', id: 'claim' }, { because: `carrier_claim_${newlyPaid ? 'paid' : to}` });
      }
      // The engine sees the claim's new state (paid, denied) and lifts what waited for it.
      if (ticket.status !== 'resolved' && ticket.status !== 'closed') await this.tickets.redecide(em, ticket, { kind: 'system', id: 'claim' });
    }
    return update;
  }

  /**
   * The carrier's payout: the merchant's half of the loss, once per claim (by claim id). A customer
   * refund for the same loss is expected (the payout offsets the shop's cost); a second payout for
   * one loss is refused by the ledger and flagged for a person.
   */
  private async recordPayout(em: EntityManager, s: ShipmentEntity, claim: Claim, amountMinor: number, owners: Owners): Promise<string | null> {
    const [order]: { currency: string }[] = await em.query(`SELECT currency FROM orders WHERE merchant_id = $1 AND id = $2`, [s.merchantId, s.orderId]);
    const loss = owners.lossKey ?? lossKey.shipment(s.id);
    await em.query('SAVEPOINT carrier_payout');
    try {
      const entry = await this.ledger.record(em, {
        merchantId: s.merchantId,
        orderId: s.orderId,
        resolutionId: owners.resolutionId,
        kind: 'carrier_payout',
        lossKey: loss,
        amountMinor,
        // EasyPost pays in USD; an order in another currency is refused by the ledger and audited below.
        currency: order?.currency ?? claim.requestedAmount.currency,
        externalRef: claim.claimId,
      });
      await em.query('RELEASE SAVEPOINT carrier_payout');
      for (const ticket of owners.tickets) {
        await this.tickets.appendEvent(em, ticket, LEDGER, 'carrier_payout_recorded', { entryId: entry.id, claimId: claim.claimId, amountMinor, lossKey: loss });
      }
      return entry.id;
    } catch (err) {
      await em.query('ROLLBACK TO SAVEPOINT carrier_payout');
      if (!(err instanceof ApiError)) throw err;
      const flag =
        err.code === 'loss_already_compensated'
          ? await this.ledger.flagDoubleCompensation(em, {
              merchantId: s.merchantId,
              orderId: s.orderId,
              lossKey: loss,
              reason: 'second_carrier_payout',
              details: { claimId: claim.claimId, amountMinor, shipmentId: s.id },
            })
          : null;
      for (const ticket of owners.tickets) {
        await this.tickets.appendEvent(em, ticket, LEDGER, 'carrier_payout_refused', { claimId: claim.claimId, amountMinor, lossKey: loss, code: err.code, message: err.message, flagId: flag?.flag.id ?? null });
        if (flag?.created && (ticket.status === 'resolved' || ticket.status === 'closed')) await this.tickets.moveTo(em, ticket, 'reopened', LEDGER, { because: 'double_compensation', flagId: flag.flag.id });
      }
      this.logger.warn({ shipmentId: s.id, claimId: claim.claimId, code: err.code }, 'carrier payout not recorded');
      return null;
    }
  }

  /** A rejected claim: priority high at least, and a supervisor on it (unless one already is). */
  private async escalateRejection(em: EntityManager, ticket: TicketEntity, claim: Claim, reason: string | null): Promise<void> {
    const from = ticket.priority;
    if (PRIORITY_ORDER.indexOf(ticket.priority) < PRIORITY_ORDER.indexOf('high')) ticket.priority = 'high';
    const supervisors: { id: string }[] = await em.query(
      `SELECT a.id FROM agents a WHERE a.merchant_id = $1 AND a.active AND a.role IN ('supervisor', 'admin')
        ORDER BY (a.role = 'supervisor') DESC,
                 (SELECT count(*) FROM tickets t WHERE t.merchant_id = a.merchant_id AND t.assignee_id = a.id AND t.status NOT IN ('resolved', 'closed')), a.created_at
        LIMIT 1`,
      [ticket.merchantId],
    );
    const current = ticket.assigneeId
      ? ((await em.query(`SELECT role FROM agents WHERE merchant_id = $1 AND id = $2`, [ticket.merchantId, ticket.assigneeId])) as { role: string }[])[0]
      : undefined;
    const assignee = current && current.role !== 'agent' ? ticket.assigneeId : (supervisors[0]?.id ?? ticket.assigneeId);
    ticket.assigneeId = assignee;
    await em.save(ticket);
    await this.tickets.appendEvent(em, ticket, CARRIER, 'carrier_claim_rejected', {
      claimId: claim.claimId,
      reason: reason ?? 'The carrier gave no reason.',
      priority: { from, to: ticket.priority },
      escalatedTo: { role: 'supervisor', agentId: assignee },
    });
  }

  /**
   * The tickets a claim belongs to (the ones whose resolution filed it, else the open tickets on its
   * parcel), the filing resolution, and the loss their customer compensation named, so the payout
   * pairs with it in the ledger.
   */
  private async owners(em: EntityManager, merchantId: string, s: ShipmentEntity): Promise<Owners> {
    const filed: { id: string; ticket_id: string | null }[] = await em.query(
      `SELECT r.id, r.ticket_id FROM resolutions r JOIN resolution_steps st ON st.merchant_id = r.merchant_id AND st.resolution_id = r.id
        WHERE r.merchant_id = $1 AND r.order_id = $2 AND st.name = $3 AND st.output->>'claimId' = $4 ORDER BY r.created_at`,
      [merchantId, s.orderId, CLAIM_FILE_STEP, s.claimId],
    );
    let ticketIds = [...new Set(filed.map((f) => f.ticket_id).filter((id): id is string => !!id))];
    if (!ticketIds.length) {
      const rows: { id: string }[] = await em.query(
        `SELECT id FROM tickets WHERE merchant_id = $1 AND order_id = $2 AND shipment_id = $3 AND status NOT IN ('closed') ORDER BY created_at`,
        [merchantId, s.orderId, s.id],
      );
      ticketIds = rows.map((r) => r.id);
    }
    const tickets: TicketEntity[] = [];
    for (const id of ticketIds) tickets.push(await this.tickets.lockForChange(em, merchantId, id, null));
    let loss: string | null = null;
    if (ticketIds.length) {
      const [row]: { loss_key: string }[] = await em.query(
        `SELECT e.loss_key FROM ledger_entries e JOIN resolutions r ON r.merchant_id = e.merchant_id AND r.id = e.resolution_id
          WHERE e.merchant_id = $1 AND e.order_id = $2 AND e.beneficiary = 'customer' AND e.status IN ('reserved', 'confirmed') AND r.ticket_id = ANY($3::uuid[])
          ORDER BY e.created_at LIMIT 1`,
        [merchantId, s.orderId, ticketIds],
      );
      loss = row?.loss_key ?? null;
    }
    return { tickets, resolutionId: filed[0]?.id ?? null, lossKey: loss };
  }
}

interface Owners {
  tickets: TicketEntity[];
  resolutionId: string | null;
  lossKey: string | null;
}

