import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/clock';
import type { EntityManager } from 'typeorm';
import { TicketClocks } from '../../tickets/ticket-clocks.service';
import { TicketsService } from '../../tickets/tickets.service';
import type { SagaStep } from '../saga/saga-step';
import { StepRegistry } from '../saga/step-registry.service';
import type { TicketTimerEntity } from '../../tickets/ticket-timer.entity';
import type { TicketEntity } from '../../tickets/ticket.entity';
import { loadCaseContext } from './case-context';
import { CaseMessages, customerParams } from './case-messages.service';
import { playbookFor } from './playbooks';

/** The local step after `carrier-hold`: the hold is recorded on the case, and its end starts the reminder clock. */
export const RECORD_HOLD_STEP = 'record-hold';

/** What the case keeps of a hold the desk arranged (`details.hold`); its end drives the hold-expiry timer. */
export interface HoldRecord {
  location: string;
  until: string;
  reference: string | null;
  carrier: string;
  at: string;
}

/**
 * The day before a carrier hold runs out, the customer is reminded where the parcel waits and until
 * when (the agents' escalation runs on the same timer). Only a parcel that is really waiting is worth
 * a reminder: one the desk had held (`details.hold`), or one the carrier reports ready for pickup.
 */
@Injectable()
export class HoldReminder implements OnModuleInit {
  constructor(
    private readonly clocks: TicketClocks,
    private readonly messages: CaseMessages,
    private readonly tickets: TicketsService,
    private readonly registry: StepRegistry,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.clocks.on('hold_expiry_warning', (em, ticket, timer) => this.remind(em, ticket, timer));
    this.registry.register(this.recordHold() as SagaStep);
  }

  /**
   * Keeps the carrier's answer on the case and decides again: the hold's end (from the carrier, not
   * from the engine's estimate) becomes the hold-expiry timer, so the customer is reminded in time.
   */
  private recordHold(): SagaStep<Record<string, never>, { until: string }> {
    return {
      name: RECORD_HOLD_STEP,
      mode: 'local',
      invoke: async ({ em, resolution, results }) => {
        const held = results['carrier-hold'] as { location: string; holdUntil: string; reference: string | null; carrier: string };
        const ticket = await this.tickets.lockForChange(em, resolution.merchantId, resolution.ticketId!, null);
        const hold: HoldRecord = { location: held.location, until: held.holdUntil, reference: held.reference, carrier: held.carrier, at: this.clock.now().toISOString() };
        ticket.details = { ...ticket.details, hold };
        await em.save(ticket);
        const actor = { kind: 'system' as const, id: 'resolution' };
        await this.tickets.appendEvent(em, ticket, actor, 'parcel_held', { resolutionId: resolution.id, ...hold });
        await this.tickets.redecide(em, ticket, actor);
        return { until: hold.until };
      },
    };
  }

  private async remind(em: EntityManager, ticket: TicketEntity, timer: TicketTimerEntity): Promise<void> {
    if (ticket.status === 'resolved' || ticket.status === 'closed') return;
    const ctx = await loadCaseContext(em, ticket);
    const s = ctx.shipment;
    if (!s || s.status === 'delivered' || s.status === 'return_to_sender' || s.declaredLostAt) return;
    const held = (ticket.details as { hold?: HoldRecord }).hold ?? null;
    if (!held && s.status !== 'available_for_pickup') return;
    const expiresOn = String(timer.payload.expiresOn ?? held?.until ?? '');
    if (!expiresOn) return;
    await this.messages.send(em, ctx, 'address.hold_expiring', {
      ...customerParams(ctx),
      carrier: held?.carrier ?? s.carrierName ?? s.carrier.toUpperCase(),
      trackingCode: s.trackingCode,
      ...(held?.location ? { locationName: held.location } : {}),
      holdUntil: expiresOn,
      cause: { code: playbookFor(ticket.category).cause },
    });
  }
}
