import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '../../common/api-error';
import { PlatformCommandsService } from '../../platform/platform-commands.service';
import { TicketDecisionEntity } from '../../tickets/ticket-decision.entity';
import { Actor, TicketsService } from '../../tickets/tickets.service';
import type { ResolutionActor } from '../saga/approval';
import { SagaRunner } from '../saga/saga-runner.service';
import { findOffered } from './action-plan';
import { startResolution } from './start-resolution';
import { PLATFORM_COMMAND_WAIT } from './playbook.steps';
import { CaseMessages } from './case-messages.service';
import { playbookFor } from './playbooks';
import { Clock } from '../../common/clock';
import { TrackingIngestService } from '../../tracking/tracking-ingest.service';
import { LedgerService } from '../ledger/ledger.service';
import { lossKey } from '../ledger/loss-key';
import { TicketEntity } from '../../tickets/ticket.entity';

/** Required actions the desk runs by itself as soon as the decision asks for them. */
const AUTOMATIC: ReadonlySet<string> = new Set(['CARRIER_TRACE']);

/** Who chooses: the platform relays the customer's choice; an agent may also pick what is only allowed. */
export type Chooser =
  | { kind: 'platform'; apiKeyId: string }
  | { kind: 'agent'; agentId: string; role: ResolutionActor['role']; approvalLimitMinor: number };

/**
 * Turns a chosen action into a resolution: checks it against the ticket's current decision (offered,
 * not blocked), plans its saga and asks the runner for it in the ticket's transaction, so the case
 * and its resolution change together. Platform confirmations resume the waiting steps.
 */
@Injectable()
export class PlaybooksService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tickets: TicketsService,
    private readonly runner: SagaRunner,
    private readonly platform: PlatformCommandsService,
    private readonly messages: CaseMessages,
    private readonly clock: Clock,
    private readonly ingest: TrackingIngestService,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    this.tickets.onOpened((em, ticket, decision) => this.acknowledge(em, ticket, decision));
    // A parcel already compensated as lost that turns up (delivered, or back at the shop): flag it, reopen the case.
    this.ingest.onStatusChanged(async (em, shipment) => {
      if (shipment.status !== 'delivered' && shipment.status !== 'return_to_sender') return;
      const found = await this.ledger.flagDoubleCompensation(em, {
        merchantId: shipment.merchantId,
        orderId: shipment.orderId,
        lossKey: lossKey.shipment(shipment.id),
        reason: shipment.status === 'delivered' ? 'delivered_after_compensation' : 'returned_after_compensation',
        details: { shipmentId: shipment.id, trackingCode: shipment.trackingCode, at: shipment.statusAt?.toISOString() ?? null },
      });
      if (!found?.created) return;
      for (const ticketId of found.ticketIds) {
        const ticket = await this.tickets.lockForChange(em, shipment.merchantId, ticketId, null);
        const actor = { kind: 'system' as const, id: 'ledger' };
        await this.tickets.appendEvent(em, ticket, actor, 'double_compensation_flagged', { flagId: found.flag.id, shipmentStatus: shipment.status, resolutionIds: found.resolutionIds });
        if (ticket.status === 'resolved' || ticket.status === 'closed') await this.tickets.moveTo(em, ticket, 'reopened', actor, { because: 'double_compensation', flagId: found.flag.id });
      }
    });
    // A settled platform command resumes the step waiting for it, in the same transaction.
    this.platform.onSettled(async (em, command) => {
      if (!command.resolutionId) return;
      const outcome =
        command.status === 'confirmed'
          ? { ok: true as const, output: { commandId: command.id, platformReference: command.platformReference } }
          : { ok: false as const, error: `platform ${command.status}: ${command.failureReason ?? ''}`.slice(0, 500), retryable: false };
      await this.runner.signal(command.merchantId, PLATFORM_COMMAND_WAIT, command.id, outcome, em);
    });
  }

  /** The first answer to the customer, by the case's playbook; then what the decision requires of the desk. */
  private async acknowledge(em: EntityManager, ticket: TicketEntity, decision: TicketDecisionEntity | null): Promise<void> {
    await playbookFor(ticket.category).acknowledge?.(em, ticket, decision, { messages: this.messages, tickets: this.tickets, clock: this.clock });
    if (decision) await this.runRequired(em, ticket, decision);
  }

  /**
   * Runs at once the required actions that move no money and need nobody's choice (a stalled parcel's
   * carrier trace): the desk does them without a hand-off. Same idempotency key as a chosen action, so
   * choosing it afterwards returns this resolution rather than starting another.
   */
  private async runRequired(em: EntityManager, ticket: TicketEntity, row: TicketDecisionEntity): Promise<void> {
    if (ticket.status === 'resolved' || ticket.status === 'closed') return;
    for (const action of row.decision.required) {
      if (!AUTOMATIC.has(action.kind)) continue;
      await startResolution(em, this.runner, this.tickets, {
        ticket,
        action,
        decision: row,
        requester: { id: 'system:playbook', role: 'system', approvalLimitMinor: 0 },
        actor: { kind: 'system', id: 'playbook' },
        audit: { automatic: true },
      });
    }
  }

  async choose(merchantId: string, ticketId: string, actionKind: string, chooser: Chooser, expectedVersion: number | null) {
    return this.ds.transaction(async (em) => {
      const ticket = await this.tickets.lockForChange(em, merchantId, ticketId, expectedVersion);
      if (ticket.status === 'resolved' || ticket.status === 'closed') {
        throw ApiError.conflict('ticket_closed', 'The ticket is resolved; reopen it before choosing another resolution.');
      }
      const row = await em.findOne(TicketDecisionEntity, { where: { merchantId, ticketId: ticket.id }, order: { decidedAt: 'DESC' } });
      if (!row) throw ApiError.unprocessable('no_decision', 'This ticket has no decision to choose from.');
      // The customer (through the platform) picks among what is offered to them; agents may also do what is allowed.
      const action = findOffered(row.decision, actionKind, chooser.kind === 'platform' ? ['required', 'customerChoice'] : ['required', 'customerChoice', 'allowed']);
      const requester: ResolutionActor =
        chooser.kind === 'agent'
          ? { id: chooser.agentId, role: chooser.role, approvalLimitMinor: chooser.approvalLimitMinor }
          : // The customer's own choice needs no approval when the decision says so; otherwise an agent approves.
            { id: 'system:platform', role: 'system', approvalLimitMinor: 'approval' in action && action.approval === 'none' ? Number.MAX_SAFE_INTEGER : 0 };
      const actor: Actor = chooser.kind === 'agent' ? { kind: 'agent', id: chooser.agentId } : { kind: 'platform', id: chooser.apiKeyId };
      return startResolution(em, this.runner, this.tickets, { ticket, action, decision: row, requester, actor });
    });
  }

  async approve(merchantId: string, resolutionId: string, approver: ResolutionActor, reject = false, note?: string) {
    return this.ds.transaction(async (em) => {
      const view = reject
        ? await this.runner.reject(merchantId, resolutionId, approver, { em, note })
        : await this.runner.approve(merchantId, resolutionId, approver, { em, note });
      const ticketId = view.resolution.ticketId;
      if (ticketId) {
        const ticket = await this.tickets.lockForChange(em, merchantId, ticketId, null);
        await this.tickets.appendEvent(em, ticket, { kind: 'agent', id: approver.id }, reject ? 'resolution_rejected' : 'resolution_approved', { resolutionId, note: note ?? null });
        if (ticket.status === 'pending_approval') await this.tickets.moveTo(em, ticket, 'open', { kind: 'agent', id: approver.id }, { resolutionId });
      }
      return view;
    });
  }
}
