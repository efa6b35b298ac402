import type { EntityManager } from 'typeorm';
import type { TicketEntity } from '../tickets/ticket.entity';
import type { LinkPurpose } from './customer-link.entity';

/** A link made for a customer: its row id, the page URL to send, and when it stops working. */
export interface IssuedLink {
  linkId: string;
  url: string;
  expiresAt: Date;
}

/** What playbooks need to put a signed link in a message (implemented by `CustomerLinksService`). */
export interface LinkIssuer {
  /**
   * Creates the ticket's link for `purpose` (or returns the one already made for the same `ref`),
   * in the caller's transaction.
   */
  issue(em: EntityManager, ticket: TicketEntity, purpose: LinkPurpose, opts: { ref?: string | null; expiresAt: Date }): Promise<IssuedLink>;
}
