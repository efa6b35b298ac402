import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { type CarrierTraceAction, localDateOf } from '@app/returns';
import { Clock } from '../../common/clock';
import { JobQueue } from '../../jobs/job-queue.service';
import { ShipmentEntity } from '../../orders/shipment.entity';
import { TicketClocks } from '../../tickets/ticket-clocks.service';
import type { TicketDecisionEntity } from '../../tickets/ticket-decision.entity';
import type { TicketEntity } from '../../tickets/ticket.entity';
import { Actor, TicketsService } from '../../tickets/tickets.service';
import { SignalsService } from '../../tracking/signals.service';
import type { ShipmentSignalEntity } from '../../tracking/shipment-signal.entity';
import { TrackingService } from '../../tracking/tracking.service';
import type { SagaStep } from '../saga/saga-step';
import { StepRegistry } from '../saga/step-registry.service';
import type { PlannedResolution } from './action-plan';
import { loadCaseContext } from './case-context';
import { CaseMessages, customerParams } from './case-messages.service';

export const TRACE_REFRESH_STEP = 'carrier-trace';
export const TRACE_OPEN_STEP = 'carrier-trace-open';
export const TRACE_FOLLOWUP_QUEUE = 'carrier-trace-followup';

/** How long a carrier trace runs before we look again and, with still no scan, call the parcel lost. */
export const TRACE_FOLLOWUP_DAYS = 3;

interface TraceRefreshOutput {
  status: string;
  lastEventAt: string | null;
}

interface FollowupJob {
  merchantId: string;
  ticketId: string;
  shipmentId: string;
  /** The last scan when the trace opened: a later one means the parcel moved. */
  lastScanAt: string | null;
  resolutionId: string | null;
}

const FOUND: readonly string[] = ['delivered', 'return_to_sender', 'available_for_pickup', 'out_for_delivery'];

/**
 * The saga of a carrier trace. Carriers here have no trace API, so the trace is our recorded
 * request plus a fresh look at the tracker: refresh from the carrier (remote), then (local) record
 * the trace on the shipment and the ticket, tell the customer, wait for the carrier, and start the
 * `trace_followup` clock.
 */
export function tracePlan(ticket: TicketEntity, action: CarrierTraceAction): PlannedResolution {
  const shipmentId = action.shipmentId ?? ticket.shipmentId;
  return {
    kind: 'carrier_trace',
    amountMinor: 0,
    plan: [
      { step: TRACE_REFRESH_STEP, input: { shipmentId } },
      { step: TRACE_OPEN_STEP, input: { shipmentId, step: action.step } },
    ],
  };
}

/** A moved parcel: a scan after the one the trace started from, or a status that means it was found. */
export function movedSince(shipment: Pick<ShipmentEntity, 'status' | 'lastEventAt'>, lastScanAt: string | null): boolean {
  if (FOUND.includes(shipment.status)) return true;
  if (!shipment.lastEventAt) return false;
  return !lastScanAt || shipment.lastEventAt.getTime() > new Date(lastScanAt).getTime();
}

/**
 * Stalled parcels: trace, then declared lost. When the `trace_followup` clock fires, the tracker is
 * refreshed once more (outside the timer's transaction: the refresh may resolve the stall signal,
 * which locks the ticket). A parcel still silent is declared lost on the shipment, which the facts
 * pass to the policy engine, so the next decision offers refund / reship / claim; the customer is
 * told and the case goes back to open for the choice. A parcel that moved closes the trace and the
 * case follows the recovery.
 */
@Injectable()
export class CarrierTrace implements OnModuleInit {
  private readonly logger = new Logger(CarrierTrace.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly registry: StepRegistry,
    private readonly clocks: TicketClocks,
    private readonly tickets: TicketsService,
    private readonly messages: CaseMessages,
    private readonly tracking: TrackingService,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly signals: SignalsService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.refreshStep(), this.openStep());
    this.jobs.register<FollowupJob>(TRACE_FOLLOWUP_QUEUE, { retryLimit: 5, retryDelay: 60, retryBackoff: true }, (job) => this.followUp(job));
    this.clocks.on('trace_followup', async (em, ticket, timer) => {
      const p = timer.payload as Partial<FollowupJob>;
      await this.jobs.send<FollowupJob>(
        TRACE_FOLLOWUP_QUEUE,
        { merchantId: ticket.merchantId, ticketId: ticket.id, shipmentId: String(p.shipmentId ?? ticket.shipmentId), lastScanAt: p.lastScanAt ?? null, resolutionId: p.resolutionId ?? null },
        { singletonKey: timer.id },
        em,
      );
    });
    // Registered after the tickets module's listener: a case opened by the stall is already resolved by the recovery.
    this.signals.onResolved((em, signal) => this.onStallResolved(em, signal));
  }

  /** The parcel scanned again while traced: the trace closes; a case people work on goes back to them. */
  private async onStallResolved(em: EntityManager, signal: ShipmentSignalEntity): Promise<void> {
    if (signal.kind !== 'stalled') return;
    const traced: { id: string }[] = await em.query(
      `SELECT t.id FROM tickets t
        WHERE t.merchant_id = $1 AND t.shipment_id = $2
          AND EXISTS (SELECT 1 FROM ticket_timers x WHERE x.merchant_id = t.merchant_id AND x.ticket_id = t.id AND x.kind = 'trace_followup' AND x.status IN ('pending', 'cancelled'))
          AND NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.merchant_id = t.merchant_id AND e.ticket_id = t.id AND e.type IN ('carrier_trace_closed', 'shipment_declared_lost'))`,
      [signal.merchantId, signal.shipmentId],
    );
    const actor: Actor = { kind: 'system', id: 'playbook:tracking' };
    for (const { id } of traced) {
      const ticket = await this.tickets.lockForChange(em, signal.merchantId, id, null);
      await em.query(`UPDATE ticket_timers SET status = 'cancelled' WHERE merchant_id = $1 AND ticket_id = $2 AND kind = 'trace_followup' AND status = 'pending'`, [signal.merchantId, id]);
      await this.tickets.appendEvent(em, ticket, actor, 'carrier_trace_closed', { outcome: 'moved', shipmentId: signal.shipmentId, signalId: signal.id, resolution: signal.resolution });
      if (ticket.status === 'waiting_carrier') {
        await this.tickets.moveTo(em, ticket, 'open', actor, { because: 'parcel_moved' });
        await this.tickets.redecide(em, ticket, actor);
      }
    }
  }

  private refreshStep(): SagaStep<{ shipmentId: string }, TraceRefreshOutput> {
    return {
      name: TRACE_REFRESH_STEP,
      mode: 'remote',
      invoke: async ({ resolution, input }) => {
        // A refusal is recorded on the shipment and the trace goes on with what we know.
        await this.tracking.track(resolution.merchantId, input.shipmentId);
        const s = await this.ds.getRepository(ShipmentEntity).findOneByOrFail({ merchantId: resolution.merchantId, id: input.shipmentId });
        return { status: s.status, lastEventAt: s.lastEventAt?.toISOString() ?? null };
      },
    };
  }

  private openStep(): SagaStep<{ shipmentId: string; step: string }, { opened: boolean; followUpAt?: string }> {
    return {
      name: TRACE_OPEN_STEP,
      mode: 'local',
      invoke: async ({ em, resolution, input, now }) => {
        const ticket = await this.tickets.lockForChange(em, resolution.merchantId, resolution.ticketId!, null);
        const shipment = await em.findOneByOrFail(ShipmentEntity, { merchantId: resolution.merchantId, id: input.shipmentId });
        const actor: Actor = { kind: 'system', id: 'playbook:tracking' };
        // The refresh found it (and may have closed the case already): nothing to trace.
        if (ticket.status === 'resolved' || ticket.status === 'closed' || FOUND.includes(shipment.status)) {
          await this.tickets.appendEvent(em, ticket, actor, 'carrier_trace_not_needed', { resolutionId: resolution.id, shipmentId: shipment.id, status: shipment.status });
          return { opened: false };
        }
        const ctx = await loadCaseContext(em, ticket);
        const followUpAt = new Date(now.getTime() + TRACE_FOLLOWUP_DAYS * 86_400_000);
        const lastScan = shipment.lastEventAt ?? shipment.shippedAt ?? shipment.createdAt;
        shipment.traceRequestedAt = now;
        await em.save(shipment);
        await this.tickets.appendEvent(em, ticket, actor, 'carrier_trace_opened', {
          resolutionId: resolution.id,
          shipmentId: shipment.id,
          carrier: shipment.carrierName ?? shipment.carrier,
          trackingCode: shipment.trackingCode,
          step: input.step,
          lastScanAt: shipment.lastEventAt?.toISOString() ?? null,
          followUpAt: followUpAt.toISOString(),
        });
        await this.messages.send(em, { ...ctx, shipment }, 'tracking.stalled_trace_opened', {
          ...customerParams(ctx),
          carrier: shipment.carrierName ?? shipment.carrier.toUpperCase(),
          trackingCode: shipment.trackingCode,
          lastScanAt: lastScan.toISOString(),
          nextUpdateBy: localDateOf(followUpAt.toISOString(), ctx.timeZone),
          cause: { code: 'carrier_delay' },
        });
        await this.tickets.moveTo(em, ticket, 'waiting_carrier', actor, { because: 'carrier_trace', resolutionId: resolution.id });
        await this.clocks.start(em, ticket, 'trace_followup', followUpAt, {
          shipmentId: shipment.id,
          lastScanAt: shipment.lastEventAt?.toISOString() ?? null,
          resolutionId: resolution.id,
        });
        return { opened: true, followUpAt: followUpAt.toISOString() };
      },
    };
  }

  /** The follow-up job: one more look at the carrier, then lost or moved. */
  async followUp(job: FollowupJob): Promise<void> {
    await this.tracking.track(job.merchantId, job.shipmentId);
    await this.ds.transaction(async (em) => {
      const ticket = await this.tickets.lockForChange(em, job.merchantId, job.ticketId, null);
      const shipment = await em.findOneByOrFail(ShipmentEntity, { merchantId: job.merchantId, id: job.shipmentId });
      const actor: Actor = { kind: 'system', id: 'playbook:tracking' };
      if (shipment.declaredLostAt) return;
      if (movedSince(shipment, job.lastScanAt)) {
        await this.tickets.appendEvent(em, ticket, actor, 'carrier_trace_closed', {
          outcome: 'moved',
          shipmentId: shipment.id,
          status: shipment.status,
          lastEventAt: shipment.lastEventAt?.toISOString() ?? null,
          resolutionId: job.resolutionId,
        });
        // A case the recovery has not closed already (someone works on it) goes back to them.
        if (ticket.status === 'waiting_carrier') {
          await this.tickets.moveTo(em, ticket, 'open', actor, { because: 'parcel_moved' });
          await this.tickets.redecide(em, ticket, actor);
        }
        return;
      }
      if (ticket.status === 'resolved' || ticket.status === 'closed') return;
      await this.declareLost(em, ticket, shipment, job, actor);
    });
  }

  private async declareLost(em: EntityManager, ticket: TicketEntity, shipment: ShipmentEntity, job: FollowupJob, actor: Actor): Promise<void> {
    const now = this.clock.now();
    shipment.declaredLostAt = now;
    await em.save(shipment);
    await this.tickets.appendEvent(em, ticket, actor, 'shipment_declared_lost', {
      shipmentId: shipment.id,
      lastScanAt: shipment.lastEventAt?.toISOString() ?? null,
      traceRequestedAt: shipment.traceRequestedAt?.toISOString() ?? null,
      resolutionId: job.resolutionId,
    });
    if (ticket.status !== 'open') await this.tickets.moveTo(em, ticket, 'open', actor, { because: 'declared_lost' });
    const decision: TicketDecisionEntity | null = await this.tickets.redecide(em, ticket, actor);
    const ctx = await loadCaseContext(em, ticket);
    const amounts = decision?.decision.amounts;
    await this.messages.send(em, { ...ctx, shipment }, 'tracking.declared_lost_options', {
      ...customerParams(ctx),
      carrier: shipment.carrierName ?? shipment.carrier.toUpperCase(),
      trackingCode: shipment.trackingCode,
      refundAmount: { amountMinor: amounts?.refundTotalMinor || ctx.order.totalMinor, currency: ctx.order.currency },
      cause: { code: 'carrier_loss' },
    });
    this.logger.log({ merchantId: ticket.merchantId, ticketId: ticket.id, shipmentId: shipment.id }, 'parcel declared lost after a trace');
  }
}
