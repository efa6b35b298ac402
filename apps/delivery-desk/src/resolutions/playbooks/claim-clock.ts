import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CarrierClaimAction, Decision } from '@app/returns';
import { CarrierError, ClaimRequest } from '@app/carriers';
import { ShipmentEntity } from '../../orders/shipment.entity';
import { TicketClocks } from '../../tickets/ticket-clocks.service';
import { TicketDecisionEntity } from '../../tickets/ticket-decision.entity';
import type { TicketTimerEntity } from '../../tickets/ticket-timer.entity';
import { TicketEntity, TicketPriority } from '../../tickets/ticket.entity';
import { Actor, TicketsService } from '../../tickets/tickets.service';
import { CarrierRegistry } from '../../tracking/carrier-registry.service';
import type { PlannedResolution } from './action-plan';
import { SagaRunner } from '../saga/saga-runner.service';
import { failResolution, type SagaStep } from '../saga/saga-step';
import { nextClaimCheck } from '../claims/claim-follow-up';
import { StepRegistry } from '../saga/step-registry.service';
import { startResolution } from './start-resolution';

/** The step that asks the carrier; its outcome is recorded on the case by {@link CLAIM_RECORD_STEP}. */
export const CLAIM_FILE_STEP = 'carrier-claim-file';
export const CLAIM_RECORD_STEP = 'carrier-claim-record';

/** At most this many evidence files, each at most this big, go with a claim (carriers cap attachments). */
const MAX_EVIDENCE_FILES = 6;
const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;

export interface ClaimFileInput {
  shipmentId: string;
  type: 'loss' | 'damage' | 'theft';
  amountMinor: number;
}

/** What the carrier said: filed (with its claim id and status), or refused for good. */
export type ClaimFileOutput =
  | { outcome: 'filed'; claimId: string; status: string; evidenceFiles: number }
  | { outcome: 'refused'; code: string; message: string };

/** The idempotency key of a ticket's carrier claim: the clock and a person choosing it share one claim. */
export const claimResolutionKey = (ticketId: string): string => `ticket:${ticketId}:carrier_claim`;

/**
 * The saga of a carrier claim: file it (remote; a refusal is an outcome, a timeout is retried by the
 * saga), then record what came of it on the ticket and the shipment (local), so the next decision
 * sees `claim_already_filed` and the desk sees the claim id.
 */
export function claimPlan(action: CarrierClaimAction): PlannedResolution {
  return {
    kind: 'carrier_claim',
    amountMinor: 0,
    plan: [
      { step: CLAIM_FILE_STEP, input: { shipmentId: action.shipmentId, type: action.claimType === 'loss' ? 'loss' : 'damage', amountMinor: action.amountMinor } },
      { step: CLAIM_RECORD_STEP, input: { shipmentId: action.shipmentId, claimType: action.claimType } },
    ],
  };
}

/** The claim a merchant files with the carrier itself, when the decision offers one now. */
export function autoFileableClaim(decision: Decision, shipmentId: unknown): CarrierClaimAction | null {
  const offered = [...decision.required, ...decision.customerChoice, ...decision.allowed].filter((a): a is CarrierClaimAction => a.kind === 'CARRIER_CLAIM');
  const claim = offered.find((a) => !shipmentId || a.shipmentId === shipmentId) ?? null;
  if (!claim || claim.filer === 'customer' || claim.claimWith !== 'carrier') return null;
  return claim;
}

const CLOCK: Actor = { kind: 'system', id: 'clock' };
const PRIORITY_ORDER: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

/**
 * Carrier claims filed by the clock. When a claim window opens (`claim_opens`) and the decision
 * offers a claim the merchant files with the carrier, the claim runs as a resolution on its own;
 * on the file-by morning (`claim_file_by`) it is filed if it still is not. One idempotency key per
 * ticket means a timer that fires twice, both timers at once, or an agent choosing the claim too,
 * file one claim.
 */
@Injectable()
export class ClaimClock implements OnModuleInit {
  private readonly logger = new Logger(ClaimClock.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly registry: StepRegistry,
    private readonly clocks: TicketClocks,
    private readonly tickets: TicketsService,
    private readonly runner: SagaRunner,
    private readonly carriers: CarrierRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.fileStep(), this.recordStep());
    // Registered after the tickets module's own handlers, so the decision read here is the fresh one.
    this.clocks.on('claim_opens', (em, ticket, timer) => this.fileIfOffered(em, ticket, timer));
    this.clocks.on('claim_file_by', (em, ticket, timer) => this.fileIfOffered(em, ticket, timer));
  }

  /** In the timer's transaction, with the ticket locked. */
  async fileIfOffered(em: EntityManager, ticket: TicketEntity, timer: TicketTimerEntity): Promise<void> {
    if (ticket.status === 'resolved' || ticket.status === 'closed') return;
    const row = await em.findOne(TicketDecisionEntity, { where: { merchantId: ticket.merchantId, ticketId: ticket.id }, order: { decidedAt: 'DESC' } });
    if (!row) return;
    const action = autoFileableClaim(row.decision, timer.payload.shipmentId);
    if (!action) {
      const offered = [...row.decision.required, ...row.decision.customerChoice, ...row.decision.allowed].find((a) => a.kind === 'CARRIER_CLAIM') as CarrierClaimAction | undefined;
      // A claim the customer or an insurer must file is left to people; the escalation says so.
      if (offered) await this.tickets.appendEvent(em, ticket, CLOCK, 'claim_not_auto_filed', { timerId: timer.id, filer: offered.filer, claimWith: offered.claimWith });
      return;
    }
    // The key makes a second firing (or an agent's earlier choice) find the claim already requested.
    await startResolution(em, this.runner, this.tickets, {
      ticket,
      action,
      decision: row,
      planned: claimPlan(action),
      idempotencyKey: claimResolutionKey(ticket.id),
      requester: { id: 'system:claim-clock', role: 'system', approvalLimitMinor: Number.MAX_SAFE_INTEGER },
      actor: CLOCK,
      audit: { amountMinor: action.amountMinor, trigger: timer.kind, timerId: timer.id },
    });
  }

  private fileStep(): SagaStep<ClaimFileInput, ClaimFileOutput> {
    return {
      name: CLAIM_FILE_STEP,
      mode: 'remote',
      maxAttempts: 8,
      invoke: async ({ resolution, input, idempotencyKey }) => {
        const shipment = await this.ds.getRepository(ShipmentEntity).findOneByOrFail({ merchantId: resolution.merchantId, id: input.shipmentId });
        const adapter = await this.carriers.adapterFor(resolution.merchantId, shipment.carrier);
        if (!adapter.capabilities.claim) return { outcome: 'refused', code: 'unsupported', message: 'This carrier takes no claims through Delivery Desk; file it with the carrier directly.' };
        const evidence = resolution.ticketId ? await this.evidenceOf(resolution.merchantId, resolution.ticketId) : [];
        try {
          const claim = await adapter.fileClaim(
            {
              type: input.type,
              trackingCode: shipment.trackingCode,
              shipmentId: shipment.trackerId?.startsWith('shp_') ? shipment.trackerId : null,
              amount: { amountMinor: input.amountMinor, currency: resolution.currency },
              description: `Delivery Desk resolution ${resolution.id}: ${input.type}`,
              ...(evidence.length ? { evidence } : {}),
            },
            { idempotencyKey },
          );
          return { outcome: 'filed', claimId: claim.claimId, status: claim.status, evidenceFiles: evidence.length };
        } catch (err) {
          // A timeout or a 5xx is the saga's to retry; anything else is the carrier's answer, recorded on the case.
          if (!(err instanceof CarrierError) || err.retryable) throw err;
          return { outcome: 'refused', code: err.code, message: err.message.slice(0, 500) };
        }
      },
    };
  }

  private recordStep(): SagaStep<{ shipmentId: string; claimType: string }, { recorded: string }> {
    return {
      name: CLAIM_RECORD_STEP,
      mode: 'local',
      invoke: async ({ em, resolution, input, results, now }) => {
        const filed = results[CLAIM_FILE_STEP] as ClaimFileOutput;
        const ticket = await this.tickets.lockForChange(em, resolution.merchantId, resolution.ticketId!, null);
        const actor: Actor = { kind: 'carrier', id: null };
        if (filed.outcome === 'filed') {
          // The claim sweep follows it from here (see ClaimTracker).
          await em.query(
            `UPDATE shipments SET claim_id = $3, claim_kind = $4, claim_status = $5, claim_filed_at = $6, claim_check_due_at = $7, claim_check_failures = 0,
                    claim_status_detail = NULL, claim_paid_minor = NULL, claim_last_error = NULL
              WHERE merchant_id = $1 AND id = $2`,
            [resolution.merchantId, input.shipmentId, filed.claimId, input.claimType, filed.status, now, nextClaimCheck({ filedAt: now, now, failures: 0 })],
          );
          await this.tickets.appendEvent(em, ticket, actor, 'carrier_claim_filed', {
            resolutionId: resolution.id,
            shipmentId: input.shipmentId,
            claimId: filed.claimId,
            status: filed.status,
            claimType: input.claimType,
            evidenceFiles: filed.evidenceFiles,
          });
          if (ticket.status !== 'resolved' && ticket.status !== 'closed') await this.tickets.redecide(em, ticket, { kind: 'system', id: 'claim' });
          return { recorded: 'filed' };
        }
        // Refused for good: no retry loop; a person takes it from here.
        const from = ticket.priority;
        if (PRIORITY_ORDER.indexOf(ticket.priority) < PRIORITY_ORDER.indexOf('urgent')) {
          ticket.priority = 'urgent';
          await em.save(ticket);
        }
        await this.tickets.appendEvent(em, ticket, actor, 'carrier_claim_refused', {
          resolutionId: resolution.id,
          shipmentId: input.shipmentId,
          code: filed.code,
          message: filed.message,
          priority: { from, to: ticket.priority },
        });
        if (ticket.status === 'waiting_carrier' || ticket.status === 'waiting_customer') await this.tickets.moveTo(em, ticket, 'open', { kind: 'system', id: 'claim' }, { because: 'carrier_claim_refused' });
        this.logger.warn({ merchantId: resolution.merchantId, ticketId: ticket.id, code: filed.code }, 'carrier refused a claim');
        // The claim was not filed: the resolution failed (not completed), with the carrier's reason.
        return failResolution(`carrier refused the claim (${filed.code}): ${filed.message}`.slice(0, 1000), { recorded: 'refused' });
      },
    };
  }

  /** The case's evidence as data URIs: photos first (what damage claims need), then documents. */
  private async evidenceOf(merchantId: string, ticketId: string): Promise<NonNullable<ClaimRequest['evidence']>> {
    const rows: { kind: string; content_type: string; data: Buffer }[] = await this.ds.query(
      `SELECT kind, content_type, data FROM ticket_evidence WHERE merchant_id = $1 AND ticket_id = $2 AND size_bytes <= $3
        ORDER BY (kind LIKE 'photo%') DESC, created_at ASC LIMIT $4`,
      [merchantId, ticketId, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES],
    );
    return rows.map((r) => ({
      kind: r.kind.startsWith('photo') ? ('photo' as const) : r.kind === 'invoice' ? ('invoice' as const) : ('supporting' as const),
      url: `data:${r.content_type};base64,${r.data.toString('base64')}`,
    }));
  }
}
