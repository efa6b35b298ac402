import type { EntityManager } from 'typeorm';
import type { Action } from '@app/returns';
import type { TicketDecisionEntity } from '../../tickets/ticket-decision.entity';
import type { TicketEntity } from '../../tickets/ticket.entity';
import type { Actor, TicketsService } from '../../tickets/tickets.service';
import type { ResolutionActor } from '../saga/approval';
import type { RequestOutcome, SagaRunner } from '../saga/saga-runner.service';
import { planFor, type PlannedResolution } from './action-plan';

/** One action of a decision, about to become a resolution. */
export interface StartResolution {
  ticket: TicketEntity;
  action: Action;
  decision: TicketDecisionEntity;
  /** Whose approval limit applies (a person choosing, or the desk acting on the policy's behalf). */
  requester: ResolutionActor;
  /** Who the audit trail names. */
  actor: Actor;
  /** Default `ticket:<id>:<kind>`: the same action chosen twice, or chosen and run by the desk, is one resolution. */
  idempotencyKey?: string;
  /** The plan, when the caller adjusted what {@link planFor} gives. */
  planned?: PlannedResolution;
  /** More for the `resolution_requested` event (the trigger, the timer…). */
  audit?: Record<string, unknown>;
}

/**
 * Plans an action's saga and asks the runner for it in the caller's transaction (the ticket locked),
 * so the case and its resolution change together: audited once when it is new, and the case waits
 * for approval when the resolution does. Every way a resolution starts goes through here — a customer's
 * or agent's choice, a link answer, a clock, a scheduled refund, an action the decision requires.
 */
export async function startResolution(em: EntityManager, runner: SagaRunner, tickets: TicketsService, s: StartResolution): Promise<RequestOutcome> {
  const { ticket, action, decision: row } = s;
  const planned = s.planned ?? planFor(ticket, action, row.decision);
  const outcome = await runner.requestResolution(
    {
      merchantId: ticket.merchantId,
      orderId: ticket.orderId,
      ticketId: ticket.id,
      kind: planned.kind,
      amountMinor: planned.amountMinor,
      currency: row.decision.amounts.currency,
      idempotencyKey: s.idempotencyKey ?? `ticket:${ticket.id}:${planned.kind}`,
      plan: planned.plan,
      requester: s.requester,
    },
    em,
  );
  if (outcome.created) {
    await tickets.appendEvent(em, ticket, s.actor, 'resolution_requested', {
      resolutionId: outcome.resolution.id,
      action: action.kind,
      kind: planned.kind,
      amountMinor: planned.amountMinor,
      status: outcome.resolution.status,
      decisionId: row.id,
      ...s.audit,
    });
    if (outcome.resolution.status === 'pending_approval') await tickets.moveTo(em, ticket, 'pending_approval', s.actor, { resolutionId: outcome.resolution.id });
  }
  return outcome;
}
