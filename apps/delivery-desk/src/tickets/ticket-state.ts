import { ApiError } from '../common/api-error';
import type { TicketStatus } from './ticket.entity';

/** Allowed status moves. A ticket's status changes only through {@link assertTransition}. */
export const TICKET_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  open: ['waiting_customer', 'waiting_carrier', 'pending_approval', 'resolved', 'closed'],
  waiting_customer: ['open', 'waiting_carrier', 'pending_approval', 'resolved', 'closed'],
  waiting_carrier: ['open', 'waiting_customer', 'pending_approval', 'resolved', 'closed'],
  pending_approval: ['open', 'waiting_customer', 'waiting_carrier', 'resolved'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
  reopened: ['open', 'waiting_customer', 'waiting_carrier', 'pending_approval', 'resolved', 'closed'],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TICKET_TRANSITIONS[from].includes(to);
}

/** An illegal move is an error (409), never a silent no-op. */
export function assertTransition(from: TicketStatus, to: TicketStatus): void {
  if (!canTransition(from, to)) {
    throw ApiError.conflict('illegal_transition', `A ticket cannot go from ${from} to ${to}.`, [
      { path: 'status', problem: `allowed from ${from}: ${TICKET_TRANSITIONS[from].join(', ') || 'none'}` },
    ]);
  }
}
